//! UnpinnedBaseImage: a FROM image without a tag, or with `latest`.

use crate::ide::diagnostics::{Check, Diagnostic, RuleContext, RuleDef, RuleMeta, Severity};
use crate::knowledge::parse_image_ref;
use crate::model::Resolution;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "UnpinnedBaseImage",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "FROM an image without a tag or with `latest`: the build changes when the image does",
        doc: DOC,
        hadolint: &["DL3006", "DL3007"],
    },
    check: Check::Document(check),
};

const DOC: &str = "\
## What it does
Flags `FROM image` without a tag or digest, and `FROM image:latest`. Stages (`FROM builder`),
`scratch`, digests and references built from variables (`FROM node:${NODE_VERSION}`,
`FROM ${BASE}`) are not flagged.

## Why is this bad?
`latest` moves: the same Dockerfile builds a different image next month, with a new major
version of the runtime or the OS, and a cached build differs from a fresh one. A tag names
what was tested.

## Example
```dockerfile
FROM node
FROM python:latest
```

## Use instead
```dockerfile
FROM node:22-alpine
FROM python:3.12-slim
```

## References
- hadolint DL3006, DL3007
- https://docs.docker.com/build/building/best-practices/#pin-base-image-versions
";

fn check(context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for stage in &context.model.stages {
        let Some(base) = &stage.base else {
            continue;
        };
        let is_image = context
            .model
            .stage_refs
            .get(base.reference)
            .is_some_and(|reference| reference.resolution == Resolution::Image);
        if !is_image || base.text.contains('$') {
            continue;
        }
        let image = parse_image_ref(&base.text);
        if image.canonical_name() == "scratch" || image.digest.is_some() {
            continue;
        }
        let message = match image.tag.as_deref() {
            None => format!(
                "`{}` has no tag, so it means `latest`: pin the version you build on",
                base.text
            ),
            Some("latest") => format!(
                "`{}` changes whenever a new version is published: pin the version you build on",
                base.text
            ),
            Some(_) => continue,
        };
        out.push(Diagnostic::new(
            RULE.meta.name,
            RULE.meta.default_severity,
            base.span,
            message,
        ));
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_no};

    #[test]
    fn fires_on_untagged_and_latest() {
        check(
            &RULE,
            "FROM node AS build\nFROM python:latest\nFROM localhost:5000/app\n",
            expect![[r#"
                warning UnpinnedBaseImage 1:6-1:10 `node`: `node` has no tag, so it means `latest`: pin the version you build on
                warning UnpinnedBaseImage 2:6-2:19 `python:latest`: `python:latest` changes whenever a new version is published: pin the version you build on
                warning UnpinnedBaseImage 3:6-3:24 `localhost:5000/app`: `localhost:5000/app` has no tag, so it means `latest`: pin the version you build on
            "#]],
        );
    }

    #[test]
    fn ignores_stages_scratch_digests_and_variables() {
        check_no(
            &RULE,
            "ARG BASE=alpine\nFROM node:22 AS build\nFROM build\nFROM scratch\n\
             FROM alpine@sha256:0123\nFROM ${BASE}\nFROM node:${V}\nFROM Build\n",
        );
    }
}
