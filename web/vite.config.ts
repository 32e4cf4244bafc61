// Builds the web client into web/dist; the server serves it at `/`. Paths are relative to
// web/ (scripts/build-web.js passes it as the root).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The server's CSP allows no inline scripts, so nothing may be inlined as a data: script.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      output: {
        // Pages are chunks of their own (React.lazy in App.tsx). The libraries every page uses go into
        // one long-cached chunk instead of dozens of small shared ones, each a request of its own.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/, priority: 2 },
            { name: 'kontur-ui', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    // `npx vite web` during development: the API comes from a server on :8080.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
