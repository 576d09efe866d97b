//! UnknownStage: a `--from`/`from=` name that is no stage and does not read like an image.

use crate::ide::diagnostics::{Check, Diagnostic, Fix, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::{SourceChange, TextEdit};
use crate::knowledge::{looks_like_image_ref, suggest};
use crate::model::{Resolution, StageRefKind};

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "UnknownStage",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "`--from`/`from=` names no stage and does not look like an image",
        doc: DOC,
        hadolint: &[],
    },
    check: Check::Document(check),
};

const DOC: &str = "\
## What it does
Flags `COPY --from=NAME`, `ADD --from=NAME` and `RUN --mount=…,from=NAME` when NAME is no stage of
the file and does not read like an image reference (no `/`, `:` or `@`, not a well-known image),
and suggests the closest stage name.

## Why is this bad?
BuildKit treats a name it does not know as an image (or a named build context passed with
`--build-context`). A misspelt stage name therefore does not fail where it is written: the
build tries to pull `docker.io/library/buidler` and fails with a registry error, or, worse,
copies from an image that happens to exist.

If NAME is a named build context, keep it and ignore this warning for the line.

## Example
```dockerfile
FROM golang:1.23 AS builder
RUN go build -o /app .
FROM alpine:3.20
COPY --from=buidler /app /app
```

## Use instead
```dockerfile
COPY --from=builder /app /app
```

## References
- https://docs.docker.com/reference/dockerfile/#copy---from
- https://docs.docker.com/build/building/context/#named-contexts
";

fn check(context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let model = context.model;
    for reference in &model.stage_refs {
        let is_flag = matches!(
            reference.kind,
            StageRefKind::CopyFrom | StageRefKind::MountFrom
        );
        if !is_flag
            || reference.resolution != Resolution::Image
            || looks_like_image_ref(&reference.text)
        {
            continue;
        }
        let earlier = model
            .stages
            .iter()
            .take(reference.stage)
            .filter_map(|stage| stage.name.as_ref())
            .map(|name| name.text.as_str());
        let suggestion = suggest(&reference.text, earlier);
        let mut message = format!(
            "`{}` is no stage of this file: BuildKit will pull it as an image or expect a named build context",
            reference.text
        );
        if let Some(suggestion) = suggestion {
            message.push_str(&format!(" (did you mean `{suggestion}`?)"));
        }
        let mut diagnostic = Diagnostic::new(
            RULE.meta.name,
            RULE.meta.default_severity,
            reference.span,
            message,
        );
        if let Some(suggestion) = suggestion {
            diagnostic.fixes.push(Fix {
                title: format!("Change to `{suggestion}`"),
                change: SourceChange::from_edits(vec![TextEdit::replace(
                    reference.span,
                    suggestion,
                )]),
                preferred: true,
            });
        }
        out.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_fix, check_no};

    #[test]
    fn fires_on_unknown_names() {
        check(
            &RULE,
            "FROM golang:1.23 AS builder\nFROM alpine:3.20\nCOPY --from=buidler /app /app\n\
             RUN --mount=type=bind,from=assets,target=/a ls /a\n",
            expect![[r#"
                warning UnknownStage 3:13-3:20 `buidler`: `buidler` is no stage of this file: BuildKit will pull it as an image or expect a named build context (did you mean `builder`?)
                  fix: Change to `builder` (preferred)
                warning UnknownStage 4:28-4:34 `assets`: `assets` is no stage of this file: BuildKit will pull it as an image or expect a named build context
            "#]],
        );
    }

    #[test]
    fn accepts_stages_images_and_indexes() {
        check_no(
            &RULE,
            "FROM golang:1.23 AS builder\nFROM alpine:3.20\nCOPY --from=Builder /a /a\nCOPY --from=0 /a /a\n\
             COPY --from=nginx:1.27 /etc/nginx /etc/nginx\nCOPY --from=alpine /bin/sh /sh\n\
             COPY --from=ghcr.io/x/y /y /y\nCOPY --from=$STAGE /a /a\n",
        );
    }

    #[test]
    fn fix_uses_the_suggestion() {
        check_fix(
            &RULE,
            "FROM golang:1.23 AS builder\nFROM alpine:3.20\nCOPY --from=buidler /app /app\n",
            expect![[r#"
                FROM golang:1.23 AS builder
                FROM alpine:3.20
                COPY --from=builder /app /app
            "#]],
        );
    }
}
