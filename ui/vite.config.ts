// Vite builds the web app that carepost embeds (src/webui/). The server's
// Content-Security-Policy allows only same-origin files: no inline script, no inline
// style, no data: URLs, so nothing is inlined into index.html or the CSS.
import { defineConfig } from 'vite';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    // Every asset is a file of its own (a data: URL would be blocked by the CSP).
    assetsInlineLimit: 0,
    // The preload polyfill is not needed by the browsers we support, and it keeps
    // index.html free of anything but two tags.
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    sourcemap: false,
    target: 'es2020',
    // Hashed names: served with a one-year cache (src/webui/assets.cc).
    assetsDir: 'assets',
  },
  server: {
    // `npm run dev` talks to a `carepost serve --dev` on the default port.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
