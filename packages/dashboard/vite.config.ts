// Built into dist/ and served by the server at /app (HOSHIN_APP_DIR); `pnpm dashboard` runs the
// dev server against a running hoshin server (VITE_HOSHIN_URL, default http://localhost:4000/graphql).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig(({ command }) => ({
  base: command === 'build' ? '/app/' : '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  server: { host: '127.0.0.1', port: 5173 },
}));
