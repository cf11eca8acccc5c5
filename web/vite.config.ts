import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The API base URL is a build-time setting: empty means "same origin" (local server, nginx,
// or a CDN that routes /api to the API gateway).
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", sourcemap: false },
  server: { proxy: { "/api": "http://127.0.0.1:8080" } },
  test: { include: ["src/**/*.test.ts"] },
});
