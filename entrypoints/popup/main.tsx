import { render } from 'preact';
import { Popup } from '../../components/Popup.tsx';
import { readInstallStatus } from '../../platform/install-status.ts';
import { ruleListStatus } from '../../platform/rule-list.ts';
import {
  adapterHealth,
  effectivePolicy,
  enforcementState,
  messagingStuck,
} from '../../platform/storage.ts';
import { checkWorkerRegistration } from '../../platform/worker-repair.ts';
import '../../components/page.css';

const app = document.getElementById('app');
if (app)
  render(
    <Popup
      sources={{
        enforcementState,
        ruleListStatus,
        adapterHealth,
        effectivePolicy,
        readInstallStatus,
        messagingStuck,
      }}
    />,
    app,
  );

// A worker registration the browser lost (lib/worker-repair.ts): opening the popup restores it.
void checkWorkerRegistration('popup');
