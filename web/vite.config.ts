import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { themeTokens } from './build/theme-tokens.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dashboard's build: Preact through Vite's built-in JSX transform (no plugin, so no Babel),
 * emitted into dist/web, which the daemon serves. `themeTokens` writes the system-preference copy
 * of the dark theme's tokens (web/build/theme-tokens.ts). `npm run dev:web` proxies the API to a running
 * daemon on the default address.
 */
export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [themeTokens(fileURLToPath(new URL('src/styles.css', import.meta.url)))],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { proxy: { '/api': process.env.CROSSCHECK_API ?? 'http://127.0.0.1:7434' } },
});
