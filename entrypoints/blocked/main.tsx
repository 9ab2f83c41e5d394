import { render } from 'preact';
import { BlockPage, blockedUrlOf } from '../../components/BlockPage.tsx';
import '../../components/page.css';

const app = document.getElementById('app');
if (app) render(<BlockPage url={blockedUrlOf(location)} />, app);
