// Built into dist/ and served by the server at /app (HOSHIN_APP_DIR). `pnpm dashboard` runs the
// dev server against a running hoshin server: the app always asks its own origin, and the dev
// server forwards the API's paths (GraphQL over HTTP and WebSocket, exports, open data) to
// VITE_HOSHIN_URL's origin (default http://localhost:4000), so no CORS is involved.
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

/** The server's paths the app uses; everything else is the app's own. */
const API_PATHS = ['/graphql', '/export', '/import', '/open-data', '/health'];

export default defineConfig(({ command, mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_');
  const api = new URL(env.VITE_HOSHIN_URL ?? 'http://localhost:4000/graphql').origin;
  return {
    base: command === 'build' ? '/app/' : '/',
    plugins: [react()],
    build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
    server: {
      host: '127.0.0.1',
      port: 5173,
      proxy: Object.fromEntries(
        API_PATHS.map((path) => [path, { target: api, ws: path === '/graphql' }]),
      ),
    },
  };
});
