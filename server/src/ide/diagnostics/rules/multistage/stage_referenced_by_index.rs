//! StageReferencedByIndex: `--from=1`, which breaks when stages move.

use crate::ide::diagnostics::{Check, Diagnostic, Fix, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::{SourceChange, TextEdit};
use crate::model::{Resolution, StageRefKind};

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "StageReferencedByIndex",
        default_severity: Severity::Hint,
        enabled_by_default: true,
        summary: "`--from=N` refers to a stage by position: use its name",
        doc: DOC,
        hadolint: &[],
    },
    check: Check::Document(check),
};

const DOC: &str = "\
## What it does
Flags `COPY --from=N` and `ADD --from=N` that refer to a stage by its index.

## Why is this bad?
An index silently points at another stage as soon as a stage is added or moved above it, and
`--from=1` says nothing about what is copied. A name (`FROM … AS builder`, `--from=builder`)
survives reordering and documents the intent.

## Example
```dockerfile
FROM golang:1.23 AS builder
RUN go build -o /app .
FROM alpine:3.20
COPY --from=0 /app /app
```

## Use instead
```dockerfile
COPY --from=builder /app /app
```

## References
- https://docs.docker.com/build/building/multi-stage/#name-your-build-stages
";

fn check(context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let model = context.model;
    for reference in &model.stage_refs {
        let Resolution::Stage(target) = reference.resolution else {
            continue;
        };
        let numeric =
            !reference.text.is_empty() && reference.text.bytes().all(|b| b.is_ascii_digit());
        if reference.kind != StageRefKind::CopyFrom || !numeric {
            continue;
        }
        let Some(stage) = model.stages.get(target) else {
            continue;
        };
        let mut diagnostic = Diagnostic::new(
            RULE.meta.name,
            RULE.meta.default_severity,
            reference.span,
            match &stage.name {
                Some(name) => format!(
                    "stage {target} is named `{}`: refer to it by name",
                    name.text
                ),
                None => format!(
                    "refer to stages by name: name stage {target} (`FROM … AS name`) and use the name here"
                ),
            },
        );
        if let Some(name) = &stage.name {
            diagnostic.fixes.push(Fix {
                title: format!("Use the stage name `{}`", name.text),
                change: SourceChange::from_edits(vec![TextEdit::replace(
                    reference.span,
                    name.text.clone(),
                )]),
                preferred: true,
            });
        }
        diagnostic.related.push(crate::ide::diagnostics::Related {
            span: stage.name.as_ref().map_or(stage.span, |name| name.span),
            message: format!("stage {target}"),
        });
        out.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_fix, check_no};

    #[test]
    fn fires_on_indexes() {
        check(
            &RULE,
            "FROM golang:1.23 AS builder\nFROM alpine:3.20\nFROM alpine:3.20\nCOPY --from=0 /a /a\nCOPY --from=1 /b /b\n",
            expect![[r#"
                hint StageReferencedByIndex 4:13-4:14 `0`: stage 0 is named `builder`: refer to it by name
                  related 1:21-1:28 `builder`: stage 0
                  fix: Use the stage name `builder` (preferred)
                hint StageReferencedByIndex 5:13-5:14 `1`: refer to stages by name: name stage 1 (`FROM … AS name`) and use the name here
                  related 2:1-2:17 `FROM alpine:3.20`: stage 1
            "#]],
        );
    }

    #[test]
    fn ignores_names() {
        check_no(
            &RULE,
            "FROM golang:1.23 AS builder\nFROM alpine:3.20\nCOPY --from=builder /a /a\n",
        );
    }

    #[test]
    fn fix_uses_the_name() {
        check_fix(
            &RULE,
            "FROM golang:1.23 AS builder\nFROM alpine:3.20\nCOPY --from=0 /a /a\n",
            expect![[r#"
                FROM golang:1.23 AS builder
                FROM alpine:3.20
                COPY --from=builder /a /a
            "#]],
        );
    }
}
