// The `stagesmith` settings as the server receives them (workspace/configuration and
// didChangeConfiguration). Pure so that it is unit-tested without VS Code.

export const RULE_LEVELS = ["off", "hint", "info", "warning", "error"] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];

export const TRACE_LEVELS = ["off", "messages", "verbose"] as const;
export type TraceLevel = (typeof TRACE_LEVELS)[number];

export interface ServerSettings {
  rules: Record<string, RuleLevel>;
  trace: { server: TraceLevel };
  /** Settings this extension does not know yet are passed through untouched. */
  [other: string]: unknown;
}

export interface NormalizedSettings {
  settings: ServerSettings;
  /** Human-readable reasons why parts of the user's settings were dropped. */
  problems: string[];
}

/** Keys of the `stagesmith` section that only the client uses (binary location, process env). */
const CLIENT_ONLY_KEYS = new Set(["server"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isOneOf<T extends string>(levels: readonly T[], value: string): value is T {
  return (levels as readonly string[]).includes(value);
}

function normalizeRules(raw: unknown, problems: string[]): Record<string, RuleLevel> {
  const rules: Record<string, RuleLevel> = {};
  if (raw === undefined || raw === null) {
    return rules;
  }
  if (!isRecord(raw)) {
    problems.push(`stagesmith.rules must be an object mapping rule names to ${RULE_LEVELS.join("|")}.`);
    return rules;
  }
  for (const [rule, level] of Object.entries(raw)) {
    const normalized = typeof level === "string" ? level.trim().toLowerCase() : "";
    if (isOneOf(RULE_LEVELS, normalized)) {
      rules[rule] = normalized;
    } else {
      problems.push(`stagesmith.rules.${rule}: ${JSON.stringify(level)} is not one of ${RULE_LEVELS.join("|")}; ignored.`);
    }
  }
  return rules;
}

function normalizeTrace(raw: unknown, problems: string[]): TraceLevel {
  const level = isRecord(raw) ? raw.server : undefined;
  if (level === undefined) {
    return "off";
  }
  if (typeof level === "string" && isOneOf(TRACE_LEVELS, level)) {
    return level;
  }
  problems.push(`stagesmith.trace.server: ${JSON.stringify(level)} is not one of ${TRACE_LEVELS.join("|")}; using "off".`);
  return "off";
}

/** `section` is the plain object VS Code returns for `workspace.getConfiguration("stagesmith")`. */
export function serverSettings(section: unknown): NormalizedSettings {
  const problems: string[] = [];
  const raw = isRecord(section) ? section : {};
  const passthrough: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    // WorkspaceConfiguration also carries its accessor methods as properties.
    const isSetting = typeof value !== "function";
    if (isSetting && !CLIENT_ONLY_KEYS.has(key) && key !== "rules" && key !== "trace") {
      passthrough[key] = value;
    }
  }
  return {
    settings: {
      ...passthrough,
      rules: normalizeRules(raw.rules, problems),
      trace: { server: normalizeTrace(raw.trace, problems) },
    },
    problems,
  };
}

/** Whether a settings change needs a new server process rather than a didChangeConfiguration. */
export function needsRestart(affects: (section: string) => boolean): boolean {
  return affects("stagesmith.server");
}
