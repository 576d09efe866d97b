import * as assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";

import { type DiscoveryInput, bundledServerPath, discoverServer, expandConfiguredPath } from "../src/discovery";

function input(overrides: Partial<DiscoveryInput>, executables: string[] = []): DiscoveryInput {
  const existing = new Set(executables);
  return {
    configuredPath: undefined,
    extensionPath: "/ext",
    platform: "linux",
    arch: "x64",
    pathEnv: "/usr/local/bin:/usr/bin",
    homeDir: "/home/me",
    workspaceFolder: "/ws",
    isExecutableFile: (candidate) => existing.has(candidate),
    ...overrides,
  };
}

describe("discoverServer", () => {
  it("prefers the configured path over the bundled binary and PATH", () => {
    const found = discoverServer(
      input({ configuredPath: "/opt/stagesmith" }, ["/opt/stagesmith", "/ext/server/linux-x64/stagesmith", "/usr/bin/stagesmith"]),
    );
    assert.deepEqual(found, { kind: "found", path: "/opt/stagesmith", source: "setting" });
  });

  it("does not fall back when the configured path is not executable", () => {
    const found = discoverServer(input({ configuredPath: "/opt/missing" }, ["/usr/bin/stagesmith"]));
    assert.equal(found.kind, "missing");
    assert.deepEqual(found.kind === "missing" && found.tried, ["/opt/missing"]);
    assert.match(found.kind === "missing" ? found.message : "", /stagesmith\.server\.path is set to "\/opt\/missing"/);
  });

  it("treats a blank setting as unset", () => {
    const found = discoverServer(input({ configuredPath: "   " }, ["/usr/bin/stagesmith"]));
    assert.deepEqual(found, { kind: "found", path: "/usr/bin/stagesmith", source: "path" });
  });

  it("uses the bundled binary for this platform before PATH", () => {
    const found = discoverServer(input({ platform: "darwin", arch: "arm64" }, ["/ext/server/darwin-arm64/stagesmith", "/usr/bin/stagesmith"]));
    assert.deepEqual(found, { kind: "found", path: "/ext/server/darwin-arm64/stagesmith", source: "bundled" });
  });

  it("ignores a bundled binary of another platform", () => {
    const found = discoverServer(input({}, ["/ext/server/linux-arm64/stagesmith", "/usr/bin/stagesmith"]));
    assert.deepEqual(found, { kind: "found", path: "/usr/bin/stagesmith", source: "path" });
  });

  it("searches PATH in order and skips empty entries", () => {
    const found = discoverServer(input({ pathEnv: "::/a:/b" }, ["/a/stagesmith", "/b/stagesmith"]));
    assert.deepEqual(found, { kind: "found", path: "/a/stagesmith", source: "path" });
  });

  it("reports everything it tried when nothing is found", () => {
    const found = discoverServer(input({ pathEnv: "/a:/b" }));
    assert.equal(found.kind, "missing");
    if (found.kind === "missing") {
      assert.deepEqual(found.tried, ["/ext/server/linux-x64/stagesmith", "/a/stagesmith", "/b/stagesmith"]);
      assert.match(found.message, /not found/);
      assert.match(found.message, /stagesmith\.server\.path/);
    }
  });

  it("copes with an unset PATH", () => {
    const found = discoverServer(input({ pathEnv: undefined }));
    assert.deepEqual(found.kind === "missing" && found.tried, ["/ext/server/linux-x64/stagesmith"]);
  });

  it("uses .exe names and ; separators on Windows", () => {
    const bundled = bundledServerPath("/ext", "win32", "x64");
    assert.equal(path.basename(bundled), "stagesmith.exe");
    const found = discoverServer(input({ platform: "win32", pathEnv: "/a;/b" }, [path.join("/b", "stagesmith.exe")]));
    assert.deepEqual(found, { kind: "found", path: path.join("/b", "stagesmith.exe"), source: "path" });
  });
});

describe("expandConfiguredPath", () => {
  it("expands ~ to the home directory", () => {
    assert.equal(expandConfiguredPath("~/.cargo/bin/stagesmith", "/home/me", undefined), "/home/me/.cargo/bin/stagesmith");
  });

  it("expands ${workspaceFolder} and resolves relative paths against it", () => {
    assert.equal(expandConfiguredPath("${workspaceFolder}/target/debug/stagesmith", "/h", "/ws"), "/ws/target/debug/stagesmith");
    assert.equal(expandConfiguredPath("target/debug/stagesmith", "/h", "/ws"), "/ws/target/debug/stagesmith");
  });

  it("leaves a bare command name alone", () => {
    assert.equal(expandConfiguredPath(" stagesmith ", "/h", "/ws"), "stagesmith");
  });
});
