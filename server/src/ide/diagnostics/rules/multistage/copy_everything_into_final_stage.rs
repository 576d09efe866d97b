//! CopyEverythingIntoFinalStage: `COPY . .` into the image that ships.

use crate::ide::diagnostics::{Check, Diagnostic, RuleContext, RuleDef, RuleMeta, Severity};

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "CopyEverythingIntoFinalStage",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "`COPY . .` in the final stage ships the whole build context",
        doc: DOC,
        hadolint: &[],
    },
    check: Check::Document(check),
};

const DOC: &str = "\
## What it does
Flags a COPY/ADD of the whole build context (`COPY . .`) in the final stage of a multi-stage
build, and in a single-stage build that has no `.dockerignore`. Final stages named as
development or test images (`dev`, `test`…) are left alone: they work on the sources.

## Why is this bad?
The build context holds sources, tests, docs, the `.git` folder, local `node_modules` and
sometimes secrets (`.env`). A multi-stage build exists to keep those out of the final image:
copy the builder's output and the few runtime files by name. In a single-stage build, at least
a `.dockerignore` must keep the worst out.

## Example
```dockerfile
FROM node:22-alpine
COPY --from=build /app/dist ./dist
COPY . .
```

## Use instead
```dockerfile
FROM node:22-alpine
COPY --from=build /app/dist ./dist
COPY package*.json ./
```

## References
- https://docs.docker.com/build/building/best-practices/#dont-install-unnecessary-packages
- https://docs.docker.com/build/concepts/context/#dockerignore-files
";

fn check(context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let model = context.model;
    let Some(last) = model.final_stage() else {
        return;
    };
    let multi_stage = model.stages.len() > 1;
    if facts::is_dev_stage(last) {
        return;
    }
    if !multi_stage && context.lint.dockerignore.is_some() {
        return;
    }
    let message = if multi_stage {
        "this copies the whole build context into the final image: copy the builder's output and the files the app needs by name"
    } else {
        "this copies the whole build context, and there is no .dockerignore: .git, local dependencies and secrets go into the image"
    };
    for (_, instruction) in facts::body(context.tree, last) {
        for source in facts::context_root_sources(instruction) {
            out.push(Diagnostic::new(
                RULE.meta.name,
                RULE.meta.default_severity,
                source.span,
                message,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::config::Config;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_no, check_with};

    #[test]
    fn fires_in_the_final_stage() {
        check(
            &RULE,
            "FROM node:22 AS build\nCOPY . .\nFROM node:22-slim\nCOPY --from=build /app/dist ./dist\nCOPY . .\n",
            expect![[r#"
                warning CopyEverythingIntoFinalStage 5:6-5:7 `.`: this copies the whole build context into the final image: copy the builder's output and the files the app needs by name
            "#]],
        );
        check_with(
            &RULE,
            "FROM node:22\nCOPY ./ /app/\n",
            &Config::default(),
            None,
            expect![[r#"
                warning CopyEverythingIntoFinalStage 2:6-2:8 `./`: this copies the whole build context, and there is no .dockerignore: .git, local dependencies and secrets go into the image
            "#]],
        );
    }

    #[test]
    fn accepts_named_copies_and_ignored_contexts() {
        check_no(&RULE, "FROM node:22\nCOPY . .\n");
        check_no(
            &RULE,
            "FROM node:22 AS build\nCOPY . .\nFROM node:22-slim\nCOPY --from=build / /x\nCOPY package.json .\n",
        );
    }
}
