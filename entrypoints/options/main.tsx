import { render } from 'preact';
import { OptionsPage } from '../../components/OptionsPage.tsx';
import { ruleListStatus } from '../../platform/rule-list.ts';
import { effectivePolicy, enforcementState } from '../../platform/storage.ts';
import { checkWorkerRegistration } from '../../platform/worker-repair.ts';
import '../../components/page.css';

const app = document.getElementById('app');
if (app)
  render(<OptionsPage sources={{ enforcementState, effectivePolicy, ruleListStatus }} />, app);

// A worker registration the browser lost (lib/worker-repair.ts): opening the options page restores it.
void checkWorkerRegistration('options page');
