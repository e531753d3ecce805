import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The dashboard is served by the daemon under /ui/ (main/core/daemon/static-ui.ts); `npm run build:ui` writes
// renderer/dist. For `vite dev`, API calls are proxied to a daemon (KYMA_LOCAL_URL, default the standard port).
const root = fileURLToPath(new URL('.', import.meta.url));
const daemon = process.env.KYMA_LOCAL_URL ?? 'http://127.0.0.1:7327';

export default defineConfig({
  root,
  base: '/ui/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/kl': daemon, '/apis': daemon, '/api': daemon },
  },
});
