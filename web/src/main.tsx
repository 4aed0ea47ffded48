import { render } from 'preact';
import { App } from './app.tsx';
import './styles.css';
import './state/theme.ts';

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
