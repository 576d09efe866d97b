import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import { needsRestart, serverSettings } from "../src/config";

describe("serverSettings", () => {
  it("gives defaults for an empty section", () => {
    assert.deepEqual(serverSettings({}), { settings: { rules: {}, trace: { server: "off" } }, problems: [] });
    assert.deepEqual(serverSettings(undefined).settings, { rules: {}, trace: { server: "off" } });
  });

  it("passes valid rule levels through, normalising their case", () => {
    const { settings, problems } = serverSettings({
      rules: { UnusedStage: "off", FinalStageRunsAsRoot: "Error", StageReferencedByIndex: " hint " },
      trace: { server: "verbose" },
    });
    assert.deepEqual(settings.rules, { UnusedStage: "off", FinalStageRunsAsRoot: "error", StageReferencedByIndex: "hint" });
    assert.equal(settings.trace.server, "verbose");
    assert.deepEqual(problems, []);
  });

  it("drops invalid rule levels and says why", () => {
    const { settings, problems } = serverSettings({ rules: { UnusedStage: "loud", FromAsCasing: 3, MaintainerDeprecated: "info" } });
    assert.deepEqual(settings.rules, { MaintainerDeprecated: "info" });
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? "", /stagesmith\.rules\.UnusedStage: "loud" is not one of off\|hint\|info\|warning\|error/);
    assert.match(problems[1] ?? "", /stagesmith\.rules\.FromAsCasing: 3/);
  });

  it("rejects a rules value that is not an object", () => {
    const { settings, problems } = serverSettings({ rules: ["UnusedStage"] });
    assert.deepEqual(settings.rules, {});
    assert.match(problems[0] ?? "", /must be an object/);
  });

  it("falls back to trace off on an unknown trace level", () => {
    const { settings, problems } = serverSettings({ trace: { server: "everything" } });
    assert.equal(settings.trace.server, "off");
    assert.match(problems[0] ?? "", /stagesmith\.trace\.server/);
  });

  it("keeps client-only keys and accessor methods away from the server, passes unknown settings on", () => {
    const section = {
      server: { path: "/opt/stagesmith", extraEnv: { RUST_LOG: "debug" } },
      targets: ["test"],
      get: () => undefined,
      rules: {},
    };
    assert.deepEqual(serverSettings(section).settings, { targets: ["test"], rules: {}, trace: { server: "off" } });
  });
});

describe("needsRestart", () => {
  it("restarts only for server settings", () => {
    assert.equal(needsRestart((section) => section === "stagesmith.server"), true);
    assert.equal(needsRestart((section) => section === "stagesmith.rules"), false);
  });
});
