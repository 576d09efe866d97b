//! Name this stage: adds `AS <name>` to an unnamed FROM, the name taken from what the stage does
//! (`builder`, `deps`, `test`, `base`, `runner`…), and rewrites the numeric `--from=N`
//! references to it.
//!
//! ```text
//! FROM golang:1.22                 FROM golang:1.22 AS builder
//! RUN go build -o /app .     →     RUN go build -o /app .
//! FROM alpine                      FROM alpine
//! COPY --from=0 /app /app          COPY --from=builder /app /app
//! ```

use super::facts;
use super::{Assist, AssistContext, AssistKind};
use crate::ide::{SourceChange, TextEdit};
use crate::knowledge;
use crate::model::outputs::{OutputOrigin, stage_outputs};
use crate::model::{Model, StageRefKind};
use crate::syntax::SyntaxTree;

pub(super) fn name_stage(ctx: &AssistContext<'_>, acc: &mut Vec<Assist>) -> Option<()> {
    let stage = ctx.model.stage_at(ctx.offset())?;
    let from = ctx.tree.instructions.get(stage.from_instruction)?;
    if stage.name.is_some() || !from.span.touches(ctx.offset()) {
        return None;
    }
    let [image] = from.words() else {
        return None;
    };
    let name = suggest_name(ctx.tree, ctx.model, stage.index);
    let mut edits = vec![TextEdit::insert(image.span.end, format!(" AS {name}"))];
    edits.extend(numeric_references(ctx.model, stage.index, &name));
    let label = match edits.len() - 1 {
        0 => format!("Name this stage `{name}`"),
        count => {
            format!("Name this stage `{name}` and use the name in {count} --from reference(s)")
        }
    };
    acc.push(Assist {
        id: "name_stage",
        label,
        kind: AssistKind::RefactorRewrite,
        change: SourceChange::from_edits(edits),
    });
    Some(())
}

/// Replacements of every numeric `--from=<index>` that resolves to `stage` with `name`.
pub(super) fn numeric_references(model: &Model, stage: usize, name: &str) -> Vec<TextEdit> {
    model
        .references_to(stage)
        .filter(|r| matches!(r.kind, StageRefKind::CopyFrom | StageRefKind::MountFrom))
        .filter(|r| !r.text.is_empty() && r.text.bytes().all(|b| b.is_ascii_digit()))
        .map(|r| TextEdit::replace(r.span, name))
        .collect()
}

/// A name for the stage from its role: tests, dependency installs, builds, a base for other
/// stages, the final runtime; otherwise the image's name. Unique among the file's stages.
fn suggest_name(tree: &SyntaxTree, model: &Model, stage: usize) -> String {
    let commands = facts::stage_commands(tree, model, stage);
    let runs_tests = commands.iter().any(|(_, c)| {
        let words: Vec<&str> = c.words.iter().map(String::as_str).collect();
        matches!(
            words.as_slice(),
            ["npm" | "yarn" | "pnpm" | "bun", "test" | "run", ..]
                if words.iter().any(|w| *w == "test" || w.starts_with("test:"))
        ) || matches!(words.as_slice(), ["go" | "cargo" | "dotnet", "test", ..])
            || matches!(words.as_slice(), ["pytest" | "tox" | "jest" | "vitest", ..])
            || matches!(words.as_slice(), ["mvn" | "mvnw" | "gradle" | "gradlew", ..] if words.contains(&"test"))
    });
    let outputs = stage_outputs(tree, model, stage);
    let own = |origin| {
        outputs.iter().any(|o| {
            o.origin == origin
                && model
                    .stages
                    .get(stage)
                    .is_some_and(|s| s.instructions.contains(&o.produced_by))
        })
    };
    let is_parent = model
        .stages
        .iter()
        .any(|other| other.parent_stage(model) == Some(stage));
    let is_final = model.final_stage().is_some_and(|s| s.index == stage) && model.stages.len() > 1;
    let role = if runs_tests {
        "test".to_string()
    } else if own(OutputOrigin::Build) {
        "builder".to_string()
    } else if own(OutputOrigin::Dependencies) {
        "deps".to_string()
    } else if is_parent {
        "base".to_string()
    } else if is_final {
        "runner".to_string()
    } else {
        image_name(tree, model, stage)
    };
    unique(model, &role)
}

/// `golang` from `docker.io/library/golang:1.22`, lower-case, only stage-name characters.
fn image_name(tree: &SyntaxTree, model: &Model, stage: usize) -> String {
    let image = facts::base_image(tree, model, stage).unwrap_or_default();
    let image = knowledge::parse_image_ref(&image);
    let name: String = image
        .repository
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        "stage".to_string()
    }
}

fn unique(model: &Model, base: &str) -> String {
    if model.stage_by_name(base).is_none() {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| model.stage_by_name(candidate).is_none())
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::name_stage;
    use crate::ide::assists::test_support::{check, check_not_applicable};

    #[test]
    fn builder_with_numeric_references() {
        check(
            name_stage,
            r#"FROM golang:1.22$0
WORKDIR /src
RUN go build -o /out/app .
FROM alpine
COPY --from=0 /out/app /usr/local/bin/app
RUN --mount=type=bind,from=0,source=/src,target=/src ls /src
"#,
            expect![[r#"
                Name this stage `builder` and use the name in 1 --from reference(s) (refactor.rewrite)
                FROM golang:1.22 AS builder
                WORKDIR /src
                RUN go build -o /out/app .
                FROM alpine
                COPY --from=builder /out/app /usr/local/bin/app
                RUN --mount=type=bind,from=0,source=/src,target=/src ls /src
            "#]],
        );
    }

    #[test]
    fn roles() {
        check(
            name_stage,
            "FROM node:20 AS base\nFROM base$0\nRUN npm ci\n",
            expect![[r#"
                Name this stage `deps` (refactor.rewrite)
                FROM node:20 AS base
                FROM base AS deps
                RUN npm ci
            "#]],
        );
        check(
            name_stage,
            "FROM node:20 AS builder\nRUN npm run build\nFROM builder$0\nRUN npm test\n",
            expect![[r#"
                Name this stage `test` (refactor.rewrite)
                FROM node:20 AS builder
                RUN npm run build
                FROM builder AS test
                RUN npm test
            "#]],
        );
        check(
            name_stage,
            "FROM rust:1 AS builder\nRUN cargo build --release\nFROM rust:1$0\nRUN cargo build --release\n",
            expect![[r#"
                Name this stage `builder-2` (refactor.rewrite)
                FROM rust:1 AS builder
                RUN cargo build --release
                FROM rust:1 AS builder-2
                RUN cargo build --release
            "#]],
        );
        check(
            name_stage,
            "FROM debian:12$0\nFROM 0\nFROM gcr.io/distroless/static:nonroot$0\n",
            expect![[r#"
                Name this stage `debian` (refactor.rewrite)
                FROM debian:12 AS debian
                FROM 0
                FROM gcr.io/distroless/static:nonroot
            "#]],
        );
    }

    #[test]
    fn not_applicable() {
        check_not_applicable(name_stage, "FROM alpine AS a$0\n");
        check_not_applicable(name_stage, "FROM alpine\nRUN true$0\n");
        check_not_applicable(name_stage, "FROM$0\n");
    }
}
