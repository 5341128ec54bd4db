// Vite build of the single-page app. The gateway serves dist's index.html at `/` and
// its hashed files under `/assets/`; `npm run dev` proxies the API to a local gateway.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    target: 'es2022',
    assetsDir: 'assets',
    chunkSizeWarningLimit: 800,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api/v1': { target: process.env.STOM_GATEWAY ?? 'http://127.0.0.1:8080', ws: true },
    },
  },
});
