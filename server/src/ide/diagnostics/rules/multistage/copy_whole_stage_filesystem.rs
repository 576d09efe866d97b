//! CopyWholeStageFilesystem: `COPY --from=stage / /`, which takes everything, toolchain included.

use crate::ide::diagnostics::{Check, Diagnostic, RuleContext, RuleDef, RuleMeta, Severity};
use crate::model::{Resolution, StageRefKind};

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "CopyWholeStageFilesystem",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "`COPY --from=x / /` copies a stage's entire filesystem",
        doc: DOC,
        hadolint: &["DL3067"],
    },
    check: Check::Model {
        check,
        reads: facts::copies,
    },
};

const DOC: &str = "\
## What it does
Flags `COPY --from=NAME / …` and `ADD --from=NAME / …` when NAME is a stage of this file that
works on top of an OS image (it has instructions of its own and is not built `FROM scratch`).
Copying the root of an image, of a stage that only renames an image, or of a `scratch` stage
that collects artifacts is left alone: there the whole filesystem is the artifact. So is the
squash idiom, a `FROM scratch` stage whose first instruction copies another stage's root.

## Why is this bad?
It copies everything the other stage holds — compilers, package caches, sources, secrets left
in files — which is what a multi-stage build is meant to leave behind, and over `/` it also
replaces the target's own system files. Copy the build outputs instead.

## Example
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app .
FROM alpine:3.20
COPY --from=build / /
```

## Use instead
```dockerfile
COPY --from=build /out/app /usr/local/bin/app
```

## References
- hadolint DL3067
";

/// A stage of this file that does its own work (instructions besides FROM) on top of an OS
/// image. Stages that only name an image (`FROM tonistiigi/xx AS xx`) and stages built
/// `FROM scratch` hold exactly what was put there, so copying their root is the intent.
fn is_work_stage(context: &RuleContext<'_>, stage: usize) -> bool {
    let model = context.model;
    let Some(stage) = model.stages.get(stage) else {
        return false;
    };
    let has_body = facts::body(context.tree, stage).next().is_some();
    // The chain must end in a known OS image: not scratch, not a variable or unresolved stage.
    let on_os_image = facts::lineage(model, stage).last().is_some_and(|root| {
        root.base.as_ref().is_some_and(|base| {
            !base.text.eq_ignore_ascii_case("scratch")
                && !base.text.contains('$')
                && model
                    .stage_refs
                    .get(base.reference)
                    .is_some_and(|reference| reference.resolution == Resolution::Image)
        })
    });
    has_body && on_os_image
}

/// `FROM scratch` + `COPY --from=x / /` as the stage's first instruction squashes `x` into one
/// layer: copying everything is the point.
fn is_squash(context: &RuleContext<'_>, stage: usize, instruction: usize) -> bool {
    let Some(stage) = context.model.stages.get(stage) else {
        return false;
    };
    let from_scratch = stage
        .base
        .as_ref()
        .is_some_and(|base| base.text.eq_ignore_ascii_case("scratch"));
    from_scratch && instruction == stage.from_instruction + 1
}

fn check(context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for reference in &context.model.stage_refs {
        let Resolution::Stage(source_stage) = reference.resolution else {
            continue;
        };
        if reference.kind != StageRefKind::CopyFrom
            || !is_work_stage(context, source_stage)
            || is_squash(context, reference.stage, reference.instruction)
        {
            continue;
        }
        let Some(copy) = context.tree.instructions.get(reference.instruction) else {
            continue;
        };
        let copy = copy.effective();
        let from = reference;
        for source in facts::copy_sources(copy) {
            if matches!(source.text.as_str(), "/" | "/." | "/*") {
                out.push(Diagnostic::new(
                    RULE.meta.name,
                    RULE.meta.default_severity,
                    source.span,
                    format!(
                        "this copies the whole filesystem of `{}`: copy only the files the image needs",
                        from.text
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_no};

    #[test]
    fn fires_on_root_copies() {
        check(
            &RULE,
            "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build / /\nCOPY --from=build /. /rootfs/\n",
            expect![[r#"
                warning CopyWholeStageFilesystem 4:19-4:20 `/`: this copies the whole filesystem of `build`: copy only the files the image needs
                warning CopyWholeStageFilesystem 5:19-5:21 `/.`: this copies the whole filesystem of `build`: copy only the files the image needs
            "#]],
        );
    }

    #[test]
    fn ignores_specific_paths() {
        check_no(
            &RULE,
            "FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM tonistiigi/xx:1.6 AS xx\n\
             FROM scratch AS artifacts\nCOPY --from=build /out/app /\nFROM alpine:3.20\n\
             COPY --from=build /out/app /app\nCOPY / /x\nCOPY --from=xx / /\nCOPY --from=artifacts / /\n\
             COPY --from=gloursdocker/docker / /\nFROM scratch\nCOPY --from=build / /\n",
        );
    }
}
