// Bundles the extension (and, with --tests, the unit tests) with esbuild.
//   node scripts/build.mjs               development bundle with source maps
//   node scripts/build.mjs --production  minified bundle for the .vsix
//   node scripts/build.mjs --tests       unit tests into dist-test/ for `node --test`
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";

const production = process.argv.includes("--production");
const tests = process.argv.includes("--tests");

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  logLevel: "warning",
};

if (tests) {
  rmSync("dist-test", { recursive: true, force: true });
  const entryPoints = readdirSync("test")
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => join("test", name));
  await esbuild.build({ ...common, entryPoints, outdir: "dist-test", sourcemap: "inline" });
} else {
  rmSync("dist", { recursive: true, force: true });
  await esbuild.build({
    ...common,
    entryPoints: ["src/extension.ts"],
    outfile: "dist/extension.js",
    external: ["vscode"],
    minify: production,
    sourcemap: !production,
  });
}
