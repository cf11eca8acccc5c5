import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

/** Scripts that packages ship as files (the noise suppressor's AudioWorklet) are copied as
 * they are, with a pointer to a source map that is not shipped: drop it. */
function noSourceMapComments(): Plugin {
  return {
    name: "no-source-map-comments",
    generateBundle(_, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== "asset" || !file.fileName.endsWith(".js")) continue;
        const text = typeof file.source === "string" ? file.source : new TextDecoder().decode(file.source);
        file.source = text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
      }
    },
  };
}

// The API base URL is a build-time setting: empty means "same origin" (local server, nginx,
// or a CDN that routes /api to the API gateway).
export default defineConfig({
  plugins: [react(), noSourceMapComments()],
  build: { outDir: "dist", sourcemap: false },
  server: { proxy: { "/api": "http://127.0.0.1:8080" } },
  test: { include: ["src/**/*.test.ts"] },
});
