import react from "@vitejs/plugin-react";
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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

/** MediaPipe's WebAssembly for background effects, served from /mediapipe as MediaPipe's
 * loader expects (a folder with its files under their own names), never from a CDN. */
function mediapipeWasm(): Plugin {
  return {
    name: "mediapipe-wasm",
    apply: "build",
    async writeBundle({ dir }) {
      const from = fileURLToPath(new URL("./node_modules/@mediapipe/tasks-vision/wasm", import.meta.url));
      await cp(from, join(dir ?? "dist", "mediapipe"), { recursive: true });
    },
  };
}

// The API base URL is a build-time setting: empty means "same origin" (local server, nginx,
// or a CDN that routes /api to the API gateway).
export default defineConfig({
  plugins: [react(), noSourceMapComments(), mediapipeWasm()],
  build: { outDir: "dist", sourcemap: false },
  server: { proxy: { "/api": "http://127.0.0.1:8080" } },
  test: { include: ["src/**/*.test.ts"] },
});
