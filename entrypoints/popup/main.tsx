import { render } from 'preact';
import { Popup } from '../../components/Popup.tsx';
import '../../components/page.css';

const app = document.getElementById('app');
if (app) render(<Popup />, app);
