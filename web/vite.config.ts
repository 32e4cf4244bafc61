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
  },
  server: {
    // `npx vite web` during development: the API comes from a server on :8080.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
