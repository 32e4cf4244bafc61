import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ThemeContext } from '@skbkontur/react-ui';
import { APP_THEME } from './shell/theme.ts';
import { App } from './App.tsx';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ThemeContext.Provider value={APP_THEME}>
      <App />
    </ThemeContext.Provider>
  </StrictMode>,
);
