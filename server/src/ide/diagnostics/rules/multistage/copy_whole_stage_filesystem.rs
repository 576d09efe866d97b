//! CopyWholeStageFilesystem: `COPY --from=stage / /`, which takes everything, toolchain included.

use crate::ide::diagnostics::{Diagnostic, RuleContext, RuleDef, RuleMeta, Severity};
use crate::syntax::InstructionKind;

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "CopyWholeStageFilesystem",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "`COPY --from=x / /` copies a stage's entire filesystem",
        doc: DOC,
    },
    check,
};

const DOC: &str = "\
## What it does
Flags `COPY --from=NAME / …` and `ADD --from=NAME / …`: copies of the root of another stage or
image.

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

fn check(context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for instruction in &context.tree.instructions {
        let copy = instruction.effective();
        if !matches!(copy.kind, InstructionKind::Copy | InstructionKind::Add) {
            continue;
        }
        let Some(from) = copy.flag("from").and_then(|flag| flag.value.as_ref()) else {
            continue;
        };
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
            "FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build / /\nCOPY --from=build /. /rootfs/\n",
            expect![[r#"
                warning CopyWholeStageFilesystem 3:19-3:20 `/`: this copies the whole filesystem of `build`: copy only the files the image needs
                warning CopyWholeStageFilesystem 4:19-4:21 `/.`: this copies the whole filesystem of `build`: copy only the files the image needs
            "#]],
        );
    }

    #[test]
    fn ignores_specific_paths() {
        check_no(
            &RULE,
            "FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /out/app /app\nCOPY / /x\n",
        );
    }
}
