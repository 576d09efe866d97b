//! RequiredLabels: labels the final image must carry (off by default; configured by key).

use crate::ide::diagnostics::{Check, Diagnostic, Fix, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::{Args, InstructionKind};

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "RequiredLabels",
        default_severity: Severity::Warning,
        enabled_by_default: false,
        summary: "the final stage lacks labels listed under `required_labels` in .stagesmith.toml",
        doc: DOC,
        hadolint: &[],
    },
    check: Check::Document(check),
};

const DOC: &str = "\
## What it does
Off by default. Checks that the final stage (or a stage it is built `FROM`) sets every label
listed under `required_labels` in `.stagesmith.toml`, for example the OCI annotations
`org.opencontainers.image.source` and `org.opencontainers.image.licenses`. The fix adds the
missing labels with empty values at the end of the final stage.

## Why is this bad?
Registries, scanners and deployment tools read these labels to link an image to its source,
license and version; an image without them is harder to trace and to audit.

## Example
```dockerfile
FROM alpine:3.20
COPY app /app
```

## Use instead
```dockerfile
FROM alpine:3.20
COPY app /app
LABEL org.opencontainers.image.source=\"https://github.com/acme/app\"
```

## References
- https://github.com/opencontainers/image-spec/blob/main/annotations.md
- https://docs.docker.com/reference/dockerfile/#label
";

fn check(context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let required = &context.lint.config.required_labels;
    let model = context.model;
    let Some(last) = model.final_stage() else {
        return;
    };
    if required.is_empty() {
        return;
    }
    let mut present = Vec::new();
    for stage in facts::lineage(model, last) {
        for (_, instruction) in facts::body(context.tree, stage) {
            if instruction.kind == InstructionKind::Label
                && let Args::Pairs(pairs) = &instruction.args
            {
                present.extend(
                    pairs
                        .iter()
                        .map(|pair| crate::syntax::unquote(&pair.key.text, context.tree.escape)),
                );
            }
        }
    }
    let missing: Vec<&String> = required
        .iter()
        .filter(|label| !present.contains(label))
        .collect();
    let Some(from) = context.tree.instructions.get(last.from_instruction) else {
        return;
    };
    if missing.is_empty() {
        return;
    }
    let list = missing
        .iter()
        .map(|label| format!("`{label}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut diagnostic = Diagnostic::new(
        RULE.meta.name,
        RULE.meta.default_severity,
        from.keyword,
        format!("the final image lacks the required label(s) {list}"),
    );
    let keyword = facts::keyword_like(from, "LABEL");
    let pairs = missing
        .iter()
        .map(|label| format!("{label}=\"\""))
        .collect::<Vec<_>>()
        .join(" \\\n      ");
    diagnostic.fixes.push(Fix {
        title: "Add the missing labels".to_string(),
        change: SourceChange::from_edits(vec![TextEdit::insert(
            last.span.end,
            format!("\n{keyword} {pairs}"),
        )]),
        preferred: false,
    });
    out.push(diagnostic);
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::config::Config;
    use crate::ide::diagnostics::rules::multistage::test_support::{
        TYPICAL_DOCKERIGNORE, check_fix_with, check_no, check_with,
    };

    fn config() -> Config {
        Config {
            required_labels: vec![
                "org.opencontainers.image.source".to_string(),
                "org.opencontainers.image.licenses".to_string(),
            ],
            ..Config::default()
        }
    }

    #[test]
    fn fires_on_missing_labels() {
        check_with(
            &RULE,
            "FROM alpine:3.20 AS base\nLABEL \"org.opencontainers.image.licenses\"=MIT\nFROM base\nCOPY app /app\n",
            &config(),
            Some(TYPICAL_DOCKERIGNORE),
            expect![[r#"
                warning RequiredLabels 3:1-3:5 `FROM`: the final image lacks the required label(s) `org.opencontainers.image.source`
                  fix: Add the missing labels
            "#]],
        );
    }

    #[test]
    fn silent_without_configuration() {
        check_no(&RULE, "FROM alpine:3.20\n");
    }

    #[test]
    fn fix_inserts_the_labels() {
        check_fix_with(
            &RULE,
            "FROM alpine:3.20\nCOPY app /app\n",
            &config(),
            Some(TYPICAL_DOCKERIGNORE),
            expect![[r#"
                FROM alpine:3.20
                COPY app /app
                LABEL org.opencontainers.image.source="" \
                      org.opencontainers.image.licenses=""
            "#]],
        );
    }
}
