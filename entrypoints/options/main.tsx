import { render } from 'preact';
import { OptionsPage } from '../../components/OptionsPage.tsx';
import { ruleListStatus } from '../../platform/rule-list.ts';
import { effectivePolicy, enforcementState } from '../../platform/storage.ts';
import '../../components/page.css';

const app = document.getElementById('app');
if (app)
  render(<OptionsPage sources={{ enforcementState, effectivePolicy, ruleListStatus }} />, app);
