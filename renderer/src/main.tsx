// Boot: theme first (no flash of the wrong one), then the backend connection, then the UI.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { BackendProvider, createBackend } from './app/backend';
import { installTheme } from './app/theme';
import './styles.css';

installTheme();
const backend = createBackend();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BackendProvider backend={backend}>
      <App />
    </BackendProvider>
  </StrictMode>,
);
