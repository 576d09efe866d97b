// Checks on package.json that vsce or VS Code would only reveal at install or run time.
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { RULE_LEVELS, TRACE_LEVELS } from "../src/config";

const root = join(__dirname, "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const extensionSource = readFileSync(join(root, "src", "extension.ts"), "utf8");

describe("package.json", () => {
  it("pins @types/vscode to the lowest engine version it declares", () => {
    const engine: string = manifest.engines.vscode;
    assert.equal(`^${manifest.devDependencies["@types/vscode"]}`, engine);
  });

  it("registers every contributed command in the extension", () => {
    for (const { command } of manifest.contributes.commands) {
      assert.ok(extensionSource.includes(`registerCommand("${command}"`), `${command} is not registered`);
    }
  });

  it("associates all Containerfile and Dockerfile name patterns with the dockerfile language", () => {
    const [language] = manifest.contributes.languages;
    assert.equal(language.id, "dockerfile");
    assert.deepEqual(language.filenames, ["Dockerfile", "Containerfile"]);
    for (const pattern of ["*.Dockerfile", "*.dockerfile", "Dockerfile.*", "Containerfile.*"]) {
      assert.ok(language.filenamePatterns.includes(pattern), pattern);
    }
    assert.ok(manifest.activationEvents.includes("onLanguage:dockerfile"));
  });

  it("offers the same setting values the config module accepts", () => {
    const properties = manifest.contributes.configuration.properties;
    assert.deepEqual(properties["stagesmith.rules"].additionalProperties.enum, [...RULE_LEVELS]);
    assert.deepEqual(properties["stagesmith.trace.server"].enum, [...TRACE_LEVELS]);
  });
});
