import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { askFirstScreen } from './app/first-screen';
import { queryClient } from './app/query-client';

askFirstScreen(queryClient, window.location.hash);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
