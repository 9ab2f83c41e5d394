import { render } from 'preact';
import { DownloadStoppedPage } from '../../components/DownloadStoppedPage.tsx';
import '../../components/page.css';

const app = document.getElementById('app');
const token = new URLSearchParams(location.search).get('t') ?? '';
if (app) render(<DownloadStoppedPage token={token} />, app);
