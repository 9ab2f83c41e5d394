import { render } from 'preact';
import { BlockPage, readBlockedNavigation } from '../../components/BlockPage.tsx';
import '../../components/page.css';

const app = document.getElementById('app');
if (app) render(<BlockPage navigation={readBlockedNavigation(location)} />, app);
