//! Rename stages and ARG/ENV variables.
//!
//! A stage rename rewrites its `AS name` and every reference by name (`FROM x`, `COPY --from=x`,
//! `RUN --mount=…,from=x`); references by index keep working and are left alone. A variable
//! rename follows the definition chain (a redeclared `ARG NAME` and the global it continues) and
//! the uses that resolve to it, so a same-named variable of another scope is untouched.

use std::fmt;

use crate::ide::hover::line_number;
use crate::ide::references::{Target, definition_chain, occurrences, target_at};
use crate::ide::{SourceChange, TextEdit};
use crate::knowledge;
use crate::model::Model;
use crate::syntax::{Span, SyntaxTree};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameError(pub String);

impl fmt::Display for RenameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RenameError {}

fn error<T>(message: impl Into<String>) -> Result<T, RenameError> {
    Err(RenameError(message.into()))
}

/// The span a rename at `offset` would replace, which the editor offers for editing. Fails when
/// the symbol cannot be renamed, or when one of its occurrences could not be rewritten.
pub fn prepare_rename(
    tree: &SyntaxTree,
    model: &Model,
    offset: usize,
) -> Result<Span, RenameError> {
    let Some((target, span)) = target_at(model, offset) else {
        return error("Only stage names and ARG/ENV variables can be renamed");
    };
    let name = current_name(model, target)?;
    if let Target::Stage(_) = target
        && is_index(tree.slice(span))
    {
        return error(format!(
            "This refers to stage `{name}` by index; rename it at its `AS {name}`"
        ));
    }
    rewritten_spans(tree, model, target)?;
    name_span(tree, span, name)
}

/// The edits renaming the symbol at `offset` to `new_name`.
pub fn rename(
    tree: &SyntaxTree,
    model: &Model,
    offset: usize,
    new_name: &str,
) -> Result<SourceChange, RenameError> {
    prepare_rename(tree, model, offset)?;
    let Some((target, _)) = target_at(model, offset) else {
        return error("Nothing to rename here");
    };
    match target {
        Target::Stage(index) => check_stage_name(model, index, new_name)?,
        Target::Var(index) => check_var_name(model, index, new_name)?,
        Target::Predefined(_) => return error("Predefined ARGs cannot be renamed"),
    }
    let edits = rewritten_spans(tree, model, target)?
        .into_iter()
        .map(|span| TextEdit::replace(span, new_name))
        .collect();
    Ok(SourceChange::from_edits(edits))
}

/// The name as declared; errors for what has no name of its own.
fn current_name(model: &Model, target: Target) -> Result<&str, RenameError> {
    match target {
        Target::Stage(index) => {
            let Some(stage) = model.stages.get(index) else {
                return error("Unknown stage");
            };
            match &stage.name {
                Some(name) => Ok(&name.text),
                None => error(format!(
                    "{} has no name to rename: add `AS <name>` to its FROM first",
                    stage.display_name()
                )),
            }
        }
        Target::Var(index) => match model.var_defs.get(index) {
            Some(def) => Ok(&def.name),
            None => error("Unknown variable"),
        },
        Target::Predefined(arg) => error(format!(
            "`{}` is predefined by BuildKit and cannot be renamed",
            arg.name
        )),
    }
}

/// Where the name is spelled out, for every occurrence a rename rewrites. References to a stage
/// by index name no text and are left alone.
fn rewritten_spans(
    tree: &SyntaxTree,
    model: &Model,
    target: Target,
) -> Result<Vec<Span>, RenameError> {
    let name = current_name(model, target)?;
    occurrences(model, target)
        .into_iter()
        .filter(|reference| {
            reference.is_declaration
                || !matches!(target, Target::Stage(_))
                || !is_index(tree.slice(reference.span))
        })
        .map(|reference| name_span(tree, reference.span, name))
        .collect()
}

fn check_stage_name(model: &Model, index: usize, new_name: &str) -> Result<(), RenameError> {
    if !is_valid_stage_name(new_name) {
        return error(format!(
            "`{new_name}` is not a valid stage name: it must match ^[a-z][a-z0-9-_.]*$ \
             (lower case, starting with a letter) and not be `scratch` or `context`"
        ));
    }
    let key = new_name.to_lowercase();
    match model
        .stages
        .iter()
        .find(|s| s.index != index && s.name.as_ref().is_some_and(|n| n.key == key))
    {
        Some(other) => error(format!(
            "Stage {} is already named `{}`",
            other.index, new_name
        )),
        None => Ok(()),
    }
}

fn check_var_name(model: &Model, index: usize, new_name: &str) -> Result<(), RenameError> {
    if !is_valid_var_name(new_name) {
        return error(format!(
            "`{new_name}` is not a valid variable name: use letters, digits and `_`, \
             not starting with a digit"
        ));
    }
    let chain = definition_chain(model, index);
    let clash = model.var_defs.iter().enumerate().find(|(position, other)| {
        other.name == new_name
            && !chain.contains(position)
            && chain
                .iter()
                .filter_map(|&c| model.var_defs.get(c))
                .any(|c| c.stage == other.stage)
    });
    match clash {
        Some((_, other)) => error(format!(
            "`{new_name}` is already defined in the same scope ({} {})",
            match other.kind {
                crate::model::VarDefKind::Env => "ENV",
                _ => "ARG",
            },
            other.name
        )),
        None => Ok(()),
    }
}

/// The part of an occurrence that spells the name: the occurrence itself, or the inside of its
/// quotes (`--from="build"`). A name split by a line continuation cannot be rewritten safely.
fn name_span(tree: &SyntaxTree, span: Span, name: &str) -> Result<Span, RenameError> {
    let written = tree.slice(span);
    if written.eq_ignore_ascii_case(name) {
        return Ok(span);
    }
    for quote in ['"', '\''] {
        if let Some(inner) = written
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
            && inner.eq_ignore_ascii_case(name)
        {
            return Ok(Span::new(span.start + 1, span.end - 1));
        }
    }
    error(format!(
        "`{written}` on line {} spells `{name}` indirectly (through a variable or a line \
         continuation): change it by hand first",
        line_number(tree, span.start)
    ))
}

fn is_index(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// BuildKit's `^[a-z][a-z0-9-_\.]*$`, written in lower case as BuildKit's StageNameCasing
/// check wants, and not a name BuildKit reserves.
fn is_valid_stage_name(name: &str) -> bool {
    knowledge::is_valid_stage_name(name)
        && !name.bytes().any(|b| b.is_ascii_uppercase())
        && !knowledge::is_reserved_stage_name(name)
}

/// What `$name` can reference: shell variable names.
fn is_valid_var_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture::Fixture;

    fn check(fixture: &str, new_name: &str, expect: Expect) {
        let f = Fixture::with_cursor(fixture);
        let actual = match rename(&f.tree, &f.model, f.offset, new_name) {
            Ok(change) => change.apply(f.text()),
            Err(err) => format!("error: {err}\n"),
        };
        expect.assert_eq(&actual);
    }

    fn check_prepare(fixture: &str, expect: Expect) {
        let f = Fixture::with_cursor(fixture);
        let actual = match prepare_rename(&f.tree, &f.model, f.offset) {
            Ok(span) => f.describe(span),
            Err(err) => format!("error: {err}"),
        };
        expect.assert_eq(&actual);
    }

    #[test]
    fn stage_everywhere_by_name() {
        check(
            "\
FROM golang AS bu$0ild
RUN go build
FROM build AS test
RUN --mount=type=cache,from=build,target=/c go test
FROM alpine
COPY --from=BUILD /out /bin
COPY --from=0 /out /bin
COPY --from=\"build\" /out /bin
",
            "compile",
            expect![[r#"
                FROM golang AS compile
                RUN go build
                FROM compile AS test
                RUN --mount=type=cache,from=compile,target=/c go test
                FROM alpine
                COPY --from=compile /out /bin
                COPY --from=0 /out /bin
                COPY --from="compile" /out /bin
            "#]],
        );
    }

    #[test]
    fn stage_from_a_reference() {
        check(
            "FROM alpine AS a\nFROM a$0\n",
            "base",
            expect![[r#"
                FROM alpine AS base
                FROM base
            "#]],
        );
    }

    #[test]
    fn stage_name_must_be_valid() {
        check(
            "FROM alpine AS a$0\n",
            "Base",
            expect![[r#"
                error: `Base` is not a valid stage name: it must match ^[a-z][a-z0-9-_.]*$ (lower case, starting with a letter) and not be `scratch` or `context`
            "#]],
        );
    }

    #[test]
    fn stage_name_must_be_free() {
        check(
            "FROM alpine AS a$0\nFROM alpine AS b\n",
            "b",
            expect![[r#"
                error: Stage 1 is already named `b`
            "#]],
        );
    }

    #[test]
    fn prepare_on_index_and_unnamed_stage() {
        check_prepare(
            "FROM alpine AS a\nFROM alpine\nCOPY --from=0$0 / /\n",
            expect!["error: This refers to stage `a` by index; rename it at its `AS a`"],
        );
        check_prepare(
            "FROM alpine\nFROM alpine\nCOPY --from=0$0 / /\n",
            expect!["error: stage-0 has no name to rename: add `AS <name>` to its FROM first"],
        );
        check_prepare(
            "FROM alpine AS a\nCOPY --from=a$0 / /\n",
            expect!["error: Only stage names and ARG/ENV variables can be renamed"],
        );
        check_prepare("FROM alpine AS a\nFROM a$0\n", expect![[r#"2:6 "a""#]]);
    }

    #[test]
    fn variable_chain_only() {
        check(
            "\
ARG VERSION=20
FROM node:${VERSION} AS a
ARG VERSION
RUN echo $VERSION
FROM alpine
ARG VERSION=3
RUN echo ${VER$0SION:-x}
",
            "ALPINE_VERSION",
            expect![[r#"
                ARG VERSION=20
                FROM node:${VERSION} AS a
                ARG VERSION
                RUN echo $VERSION
                FROM alpine
                ARG ALPINE_VERSION=3
                RUN echo ${ALPINE_VERSION:-x}
            "#]],
        );
        check(
            "ARG V$0ERSION=20\nFROM node:${VERSION} AS a\nARG VERSION\nRUN echo $VERSION\n",
            "NODE",
            expect![[r#"
                ARG NODE=20
                FROM node:${NODE} AS a
                ARG NODE
                RUN echo $NODE
            "#]],
        );
    }

    #[test]
    fn variable_errors() {
        check(
            "FROM alpine\nENV A=1 B=2\nRUN echo $A$0\n",
            "B",
            expect![[r#"
                error: `B` is already defined in the same scope (ENV B)
            "#]],
        );
        check(
            "FROM alpine\nENV A=1\nRUN echo $A$0\n",
            "1A",
            expect![[r#"
                error: `1A` is not a valid variable name: use letters, digits and `_`, not starting with a digit
            "#]],
        );
        check_prepare(
            "FROM --platform=$BUILD$0PLATFORM alpine\n",
            expect!["error: `BUILDPLATFORM` is predefined by BuildKit and cannot be renamed"],
        );
    }

    #[test]
    fn computed_stage_reference_blocks_the_rename() {
        check_prepare(
            "ARG V=true\nFROM scratch AS bin-true$0\nFROM bin-${V} AS bin\n",
            expect![
                "error: `bin-${V}` on line 3 spells `bin-true` indirectly (through a variable or a line continuation): change it by hand first"
            ],
        );
    }
}
