import { defineConfig } from "vite";

// React's automatic JSX runtime through Vite's built-in esbuild, no extra plugin needed.
export default defineConfig({
  esbuild: { jsx: "automatic" },
});
