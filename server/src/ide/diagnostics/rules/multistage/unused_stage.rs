//! UnusedStage: a stage that neither the final stage nor any build target needs.

use crate::ide::diagnostics::{
    Diagnostic, DiagnosticTag, RuleContext, RuleDef, RuleMeta, Severity,
};
use crate::model::Stage;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "UnusedStage",
        default_severity: Severity::Hint,
        enabled_by_default: true,
        summary: "a stage that the final stage does not need and that is no build target",
        doc: DOC,
    },
    check,
};

const DOC: &str = "\
## What it does
Flags stages that the final stage does not need (directly or through other stages) and that are
not build targets themselves. Stages whose names mark them as targets (`test`, `dev`, `debug`,
`lint`, `ci`, `release`, … also as part of a name such as `unit-test`), the stages those need,
and stages listed under `targets` in `.stagesmith.toml` are not flagged.

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

/// Words that mark a stage as something built on purpose with `--target`.
const TARGET_WORDS: [&str; 27] = [
    "test",
    "tests",
    "testing",
    "unittest",
    "unit",
    "e2e",
    "integration",
    "dev",
    "develop",
    "development",
    "debug",
    "lint",
    "linter",
    "check",
    "ci",
    "release",
    "prod",
    "production",
    "final",
    "runtime",
    "bench",
    "benchmark",
    "docs",
    "local",
    "export",
    "artifact",
    "artifacts",
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

fn check(context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let model = context.model;
    let count = model.stages.len();
    let mut needed = model.graph.reachable.clone();
    needed.resize(count, false);
    for stage in &model.stages {
        if is_target(stage, &context.lint.config.targets) {
            let from_target = model.graph.reachable_from(stage.index, count);
            for (slot, reached) in needed.iter_mut().zip(from_target) {
                *slot |= reached;
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
            "FROM node:22 AS deps\nFROM node:22 AS build\nFROM alpine:3.20\nFROM nginx:1.27\nCOPY --from=build /a /a\n",
            expect![[r#"
                hint UnusedStage 1:17-1:21 `deps`: stage `deps` is never used: the final stage does not need it and it is no build target
                  tags [Unnecessary]
                hint UnusedStage 3:1-3:17 `FROM alpine:3.20`: stage `stage-2` is never used: the final stage does not need it and it is no build target
                  tags [Unnecessary]
            "#]],
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
            expect![[r#"
                hint UnusedStage 2:17-2:22 `spare`: stage `spare` is never used: the final stage does not need it and it is no build target
                  tags [Unnecessary]
            "#]],
        );
    }
}
