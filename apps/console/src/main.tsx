import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Ant Design's component styles, made when the package was built: a style sheet of the console's build, not CSS-in-JS at run time (App.tsx, zeroRuntime).
import 'antd/dist/antd.css';
import { App } from './app/App';
import { askFirstScreen } from './app/first-screen';
import { queryClient } from './app/query-client';

askFirstScreen(queryClient, window.location.hash);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
