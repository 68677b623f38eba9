// The web faces' build (`npm run build` runs it through scripts/build.mjs): static pages into dist/web/, served by
// the monitor (monitor/static.ts). Relative asset URLs, so the pages work under any prefix a proxy puts them at.
import { defineConfig } from "vite";
import { resolve } from "node:path";

export default defineConfig({
  root: __dirname,
  base: "./",
  logLevel: "warn",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: resolve(__dirname, "..", "dist", "web"),
    emptyOutDir: true,
    rollupOptions: {
      input: { app: resolve(__dirname, "app", "index.html"), dashboard: resolve(__dirname, "dashboard", "index.html") },
    },
  },
});
