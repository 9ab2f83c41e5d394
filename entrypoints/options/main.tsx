import { render } from 'preact';
import { OptionsPage } from '../../components/OptionsPage.tsx';
import '../../components/page.css';

const app = document.getElementById('app');
if (app) render(<OptionsPage />, app);
