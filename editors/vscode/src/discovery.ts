// Where the stagesmith binary comes from. Pure (all file-system access is injected) so that the whole
// decision table is unit-tested without VS Code.

import * as path from "node:path";

export type ServerSource = "setting" | "bundled" | "path";

export type Discovery =
  | { kind: "found"; path: string; source: ServerSource }
  | { kind: "missing"; message: string; tried: string[] };

export interface DiscoveryInput {
  /** `stagesmith.server.path`; empty or whitespace means "not set". */
  configuredPath: string | undefined;
  extensionPath: string;
  platform: NodeJS.Platform;
  arch: string;
  /** The `PATH` (or `Path` on Windows) of the extension host. */
  pathEnv: string | undefined;
  homeDir: string;
  /** The first workspace folder, used to resolve a relative or `${workspaceFolder}` setting. */
  workspaceFolder: string | undefined;
  isExecutableFile(candidate: string): boolean;
}

export function binaryName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "stagesmith.exe" : "stagesmith";
}

/** The folder `scripts/package.sh` fills, e.g. `server/linux-x64/stagesmith`. */
export function bundledServerPath(extensionPath: string, platform: NodeJS.Platform, arch: string): string {
  return path.join(extensionPath, "server", `${platform}-${arch}`, binaryName(platform));
}

export function expandConfiguredPath(
  configured: string,
  homeDir: string,
  workspaceFolder: string | undefined,
): string {
  let expanded = configured.trim();
  if (expanded === "~" || expanded.startsWith("~/")) {
    expanded = path.join(homeDir, expanded.slice(1));
  }
  if (workspaceFolder !== undefined) {
    expanded = expanded.split("${workspaceFolder}").join(workspaceFolder);
    if (!path.isAbsolute(expanded) && expanded.includes(path.sep)) {
      expanded = path.join(workspaceFolder, expanded);
    }
  }
  return expanded;
}

function searchPath(input: DiscoveryInput): string[] {
  const separator = input.platform === "win32" ? ";" : ":";
  return (input.pathEnv ?? "")
    .split(separator)
    .filter((dir) => dir.length > 0)
    .map((dir) => path.join(dir, binaryName(input.platform)));
}

const HOW_TO_FIX =
  "Install it (`cargo install --path server` in the stagesmith repository), put it on PATH, " +
  "or set `stagesmith.server.path` to the binary.";

export function discoverServer(input: DiscoveryInput): Discovery {
  const configured = input.configuredPath?.trim() ?? "";
  if (configured !== "") {
    // An explicit setting is never silently replaced by another binary: the user asked for this one.
    const candidate = expandConfiguredPath(configured, input.homeDir, input.workspaceFolder);
    if (input.isExecutableFile(candidate)) {
      return { kind: "found", path: candidate, source: "setting" };
    }
    return {
      kind: "missing",
      message: `stagesmith.server.path is set to "${configured}", but ${candidate} is not an executable file. Fix or clear the setting.`,
      tried: [candidate],
    };
  }

  const tried: string[] = [];
  const bundled = bundledServerPath(input.extensionPath, input.platform, input.arch);
  tried.push(bundled);
  if (input.isExecutableFile(bundled)) {
    return { kind: "found", path: bundled, source: "bundled" };
  }
  for (const candidate of searchPath(input)) {
    tried.push(candidate);
    if (input.isExecutableFile(candidate)) {
      return { kind: "found", path: candidate, source: "path" };
    }
  }
  return {
    kind: "missing",
    message: `The stagesmith language server was not found (no binary bundled for ${input.platform}-${input.arch}, none on PATH). ${HOW_TO_FIX}`,
    tried,
  };
}
