import { render } from 'preact';
import { BlockPage, blockedUrlOf } from '../../components/BlockPage.tsx';
import '../../components/page.css';
import { checkWorkerRegistration } from '../../platform/worker-repair.ts';

const app = document.getElementById('app');
if (app) render(<BlockPage url={blockedUrlOf(location)} />, app);
// A worker registration the browser lost (lib/worker-repair.ts): the top-level block page restores it.
if (window.top === window) void checkWorkerRegistration('block page');
