import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Ant Design's component styles, made when the package was built: a style sheet of the console's build, not CSS-in-JS at run time (App.tsx, zeroRuntime).
import 'antd/dist/antd.css';
import { App } from './app/App';
import { askFirstScreen } from './app/first-screen';
import { queryClient } from './app/query-client';

/**
 * How long the first drawing waits for the first screen's answers. They were asked before this code loaded
 * (first-requests.ts) and are usually in by now: the page is then drawn once, with its data, instead of a
 * spinner first and everything again (each a long task of the main thread). A slow API gets the spinner.
 */
const FIRST_ANSWERS_WAIT_MS = 300;

const draw = () => createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

void Promise.race([askFirstScreen(queryClient, window.location.hash), new Promise((resolve) => setTimeout(resolve, FIRST_ANSWERS_WAIT_MS))]).then(draw);
