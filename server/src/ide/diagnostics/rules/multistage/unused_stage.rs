//! UnusedStage: a stage that neither the final stage nor any build target needs.

use std::collections::HashMap;

use crate::ide::diagnostics::{
    Check, Diagnostic, DiagnosticTag, RuleContext, RuleDef, RuleMeta, Severity,
};
use crate::model::{Model, Stage};

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "UnusedStage",
        default_severity: Severity::Hint,
        enabled_by_default: true,
        summary: "a stage that the final stage does not need and that is no build target",
        doc: DOC,
        hadolint: &[],
    },
    check: Check::Model {
        check,
        reads: crate::ide::diagnostics::no_other_instructions,
    },
};

const DOC: &str = "\
## What it does
Flags stages that the final stage does not need (directly or through other stages) and that are
not build targets themselves. Stages whose names mark them as targets (`test`, `dev`, `debug`,
`lint`, `ci`, `release`, … also as part of a name such as `unit-test`), the stages those need,
and stages listed under `targets` in `.stagesmith.toml` are not flagged. When two or more
stages are end points that nothing uses, the file is read as a multi-target file (built with
`--target` or `docker buildx bake`) and those end points count as targets.

## Why is this bad?
BuildKit skips stages the target does not need, so an unused stage is dead code: it is never
built by `docker build .`, quietly rots, and misleads readers about what the image contains.
Often it is a leftover or a `--from` that points at the wrong stage.

## Example
```dockerfile
FROM node:22 AS deps
RUN npm ci
FROM node:22 AS build
COPY . .
RUN npm ci && npm run build
FROM nginx:1.27
COPY --from=build /app/dist /usr/share/nginx/html
```

## Use instead
Use the stage (`COPY --from=deps /app/node_modules ./node_modules`), delete it, or list it under
`targets` in `.stagesmith.toml` if it is built with `--target`.

## References
- https://docs.docker.com/build/building/multi-stage/#differences-between-legacy-builder-and-buildkit
";

/// Words that mark a stage as something built on purpose with `--target` (or a bake target).
const TARGET_WORDS: [&str; 47] = [
    "test",
    "tests",
    "testing",
    "unittest",
    "unit",
    "e2e",
    "integration",
    "smoketest",
    "golden",
    "dev",
    "develop",
    "development",
    "devcontainer",
    "debug",
    "lint",
    "linter",
    "fmt",
    "format",
    "check",
    "verify",
    "validate",
    "update",
    "generate",
    "gen",
    "vendor",
    "vendored",
    "ci",
    "release",
    "publish",
    "prod",
    "production",
    "staging",
    "final",
    "runtime",
    "bench",
    "benchmark",
    "docs",
    "local",
    "shell",
    "export",
    "artifact",
    "artifacts",
    "archive",
    "binary",
    "binaries",
    "all",
    "dind",
];

fn is_target(stage: &Stage, configured: &[String]) -> bool {
    let Some(name) = &stage.name else {
        return false;
    };
    configured
        .iter()
        .any(|target| target.eq_ignore_ascii_case(&name.text))
        || name
            .key
            .split(['-', '_', '.'])
            .any(|word| TARGET_WORDS.contains(&word))
}

/// `binary-${TARGETOS}` → `binary-*`: the stages a variable reference may select.
fn variable_pattern(text: &str) -> String {
    let mut pattern = String::new();
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch != '$' {
            pattern.extend(ch.to_lowercase());
            continue;
        }
        if chars.next_if_eq(&'{').is_some() {
            for inner in chars.by_ref() {
                if inner == '}' {
                    break;
                }
            }
        } else {
            while chars
                .next_if(|c| c.is_ascii_alphanumeric() || *c == '_')
                .is_some()
            {}
        }
        if !pattern.ends_with('*') {
            pattern.push('*');
        }
    }
    pattern
}

/// Glob match with `*` only.
fn matches_pattern(pattern: &str, name: &str) -> bool {
    let mut pieces = pattern.split('*');
    let Some(first) = pieces.next() else {
        return true;
    };
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    for (position, piece) in pieces.iter().enumerate() {
        if position + 1 == pieces.len() {
            return rest.ends_with(piece);
        }
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// Which stages each stage uses. A `--build-arg` may override any default, so a reference with
/// a variable keeps every stage it could name alive; files repeat the same operand
/// (`FROM ${BASE}`) in many stages, so the stages an operand may name are listed once, in
/// `candidates`, and each stage points at the lists it uses.
struct Uses {
    /// Per stage: the stages its resolved references name (the graph's edges).
    direct: Vec<Vec<usize>>,
    /// Per stage: indexes into `candidates` for its references with a variable.
    via_variables: Vec<Vec<usize>>,
    candidates: Vec<Vec<usize>>,
}

fn uses(model: &Model) -> Uses {
    let mut direct = vec![Vec::new(); model.stages.len()];
    for edge in &model.graph.edges {
        if let Some(list) = direct.get_mut(edge.from) {
            list.push(edge.to);
        }
    }
    let mut via_variables = vec![Vec::new(); model.stages.len()];
    let mut candidates: Vec<Vec<usize>> = Vec::new();
    let mut candidates_by_text: HashMap<&str, usize> = HashMap::new();
    for reference in model.stage_refs.iter().filter(|r| r.text.contains('$')) {
        let Some(list) = via_variables.get_mut(reference.stage) else {
            continue;
        };
        let group = *candidates_by_text
            .entry(reference.text.as_str())
            .or_insert_with(|| {
                let pattern = variable_pattern(&reference.text);
                candidates.push(
                    model
                        .stages
                        .iter()
                        .filter(|stage| {
                            stage
                                .name
                                .as_ref()
                                .is_some_and(|name| matches_pattern(&pattern, &name.key))
                        })
                        .map(|stage| stage.index)
                        .collect(),
                );
                candidates.len() - 1
            });
        list.push(group);
    }
    Uses {
        direct,
        via_variables,
        candidates,
    }
}

fn check(context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let model = context.model;
    let uses = uses(model);
    let mut needed = vec![false; model.stages.len()];
    let roots = model.stages.iter().filter(|stage| {
        Some(stage.index) == model.final_stage().map(|last| last.index)
            || is_target(stage, &context.lint.config.targets)
    });
    let mut queue: Vec<usize> = roots.map(|stage| stage.index).collect();
    // Several stages that nothing uses make a multi-target file (built with `--target` or
    // bake): each of those end points is a target. One orphan next to the final stage is
    // what a forgotten stage looks like.
    let last = model.final_stage().map(|stage| stage.index);
    let mut used = vec![false; model.stages.len()];
    let mut candidates_used = vec![false; uses.candidates.len()];
    for &group in uses.via_variables.iter().flatten() {
        if let Some(flag) = candidates_used.get_mut(group) {
            *flag = true;
        }
    }
    let used_groups = uses
        .candidates
        .iter()
        .zip(&candidates_used)
        .filter(|(_, used)| **used)
        .map(|(group, _)| group);
    for &stage in uses.direct.iter().flatten().chain(used_groups.flatten()) {
        if let Some(flag) = used.get_mut(stage) {
            *flag = true;
        }
    }
    let end_points: Vec<usize> = (0..model.stages.len())
        .filter(|&stage| Some(stage) != last && !used.get(stage).copied().unwrap_or(false))
        .collect();
    if end_points.len() >= 2 {
        queue.extend(end_points);
    }
    let mut expanded = vec![false; uses.candidates.len()];
    while let Some(stage) = queue.pop() {
        match needed.get_mut(stage) {
            Some(seen) if !*seen => *seen = true,
            _ => continue,
        }
        queue.extend(uses.direct.get(stage).into_iter().flatten().copied());
        for &group in uses.via_variables.get(stage).into_iter().flatten() {
            if let Some(done) = expanded.get_mut(group).filter(|done| !**done) {
                *done = true;
                queue.extend(uses.candidates.get(group).into_iter().flatten().copied());
            }
        }
    }
    for stage in &model.stages {
        if needed.get(stage.index).copied().unwrap_or(true) {
            continue;
        }
        let Some(from) = context.tree.instructions.get(stage.from_instruction) else {
            continue;
        };
        let span = stage.name.as_ref().map_or(from.span, |name| name.span);
        let mut diagnostic = Diagnostic::new(
            RULE.meta.name,
            RULE.meta.default_severity,
            span,
            format!(
                "stage `{}` is never used: the final stage does not need it and it is no build target",
                stage.display_name()
            ),
        );
        diagnostic.tags.push(DiagnosticTag::Unnecessary);
        out.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::config::Config;
    use crate::ide::diagnostics::rules::multistage::test_support::{
        TYPICAL_DOCKERIGNORE, check, check_no, check_with,
    };

    #[test]
    fn fires_on_stages_nothing_needs() {
        check(
            &RULE,
            "FROM node:22 AS deps\nFROM deps AS tools\nFROM node:22 AS build\nFROM nginx:1.27\nCOPY --from=build /a /a\n",
            expect![[r#"
                hint UnusedStage 1:17-1:21 `deps`: stage `deps` is never used: the final stage does not need it and it is no build target
                  tags [Unnecessary]
                hint UnusedStage 2:14-2:19 `tools`: stage `tools` is never used: the final stage does not need it and it is no build target
                  tags [Unnecessary]
            "#]],
        );
    }

    #[test]
    fn reads_several_end_points_as_targets() {
        check_no(
            &RULE,
            "FROM node:22 AS deps\nFROM alpine:3.20\nFROM alpine:3.20 AS image\nFROM nginx:1.27\n",
        );
    }

    #[test]
    fn keeps_targets_and_what_they_need() {
        check_no(
            &RULE,
            "FROM node:22 AS base\nFROM base AS deps\nFROM deps AS unit-test\nFROM golang:1.23 AS lint\n\
             FROM base AS tools\nRUN --mount=type=bind,from=tools,target=/t ls\nFROM base\nRUN --mount=from=tools,target=/t ls\n",
        );
    }

    #[test]
    fn follows_variable_references() {
        check(
            &RULE,
            "ARG TARGETOS\nFROM alpine:3.20 AS tool-linux\nFROM alpine:3.20 AS tool-windows\nFROM alpine:3.20 AS helper\n\
             FROM tool-${TARGETOS} AS tool\nFROM alpine:3.20\nCOPY --from=tool /t /t\n",
            expect![[r#"
                hint UnusedStage 4:21-4:27 `helper`: stage `helper` is never used: the final stage does not need it and it is no build target
                  tags [Unnecessary]
            "#]],
        );
    }

    #[test]
    fn respects_configured_targets() {
        let config = Config {
            targets: vec!["Assets".to_string()],
            ..Config::default()
        };
        check_with(
            &RULE,
            "FROM node:22 AS assets\nFROM node:22 AS spare\nFROM alpine:3.20\n",
            &config,
            Some(TYPICAL_DOCKERIGNORE),
            expect![""],
        );
    }
}
