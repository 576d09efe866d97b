//! Rename stages and ARG/ENV variables.
//!
//! A stage rename rewrites its `AS name` and every reference by name (`FROM x`, `COPY --from=x`,
//! `RUN --mount=…,from=x`); references by index keep working and are left alone. A variable
//! rename follows the definition chain (a redeclared `ARG NAME` and the global it continues) and
//! the uses that resolve to it, so a same-named variable of another scope is untouched.

use std::fmt;

use crate::ide::references::{Reference, Target, definition_chain, occurrences, target_at};
use crate::ide::{SourceChange, TextEdit};
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

/// The span a rename at `offset` would replace, which the editor offers for editing.
pub fn prepare_rename(
    tree: &SyntaxTree,
    model: &Model,
    offset: usize,
) -> Result<Span, RenameError> {
    let Some((target, span)) = target_at(model, offset) else {
        return error("Only stage names and ARG/ENV variables can be renamed");
    };
    match target {
        Target::Stage(index) => {
            let Some(stage) = model.stages.get(index) else {
                return error("Unknown stage");
            };
            let Some(name) = &stage.name else {
                return error(format!(
                    "{} has no name to rename: add `AS <name>` to its FROM first",
                    stage.display_name()
                ));
            };
            if !tree.slice(span).eq_ignore_ascii_case(&name.text) {
                return error(format!(
                    "This refers to stage `{}` by index; rename it at its `AS {}`",
                    name.text, name.text
                ));
            }
            Ok(span)
        }
        Target::Var(_) => Ok(span),
        Target::Predefined(arg) => error(format!(
            "`{}` is predefined by BuildKit and cannot be renamed",
            arg.name
        )),
    }
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
        Target::Stage(index) => rename_stage(tree, model, index, new_name),
        Target::Var(index) => rename_var(tree, model, index, new_name),
        Target::Predefined(_) => error("Predefined ARGs cannot be renamed"),
    }
}

fn rename_stage(
    tree: &SyntaxTree,
    model: &Model,
    index: usize,
    new_name: &str,
) -> Result<SourceChange, RenameError> {
    if !is_valid_stage_name(new_name) {
        return error(format!(
            "`{new_name}` is not a valid stage name: it must match ^[a-z][a-z0-9-_.]*$ \
             (lower case, starting with a letter)"
        ));
    }
    let key = new_name.to_lowercase();
    if let Some(other) = model
        .stages
        .iter()
        .find(|s| s.index != index && s.name.as_ref().is_some_and(|n| n.key == key))
    {
        return error(format!(
            "Stage {} is already named `{}`",
            other.index, new_name
        ));
    }
    let Some(name) = model.stages.get(index).and_then(|s| s.name.as_ref()) else {
        return error("This stage has no name to rename");
    };
    let mut edits = Vec::new();
    for reference in occurrences(model, Target::Stage(index)) {
        // References by index name no text to rewrite.
        if !reference.is_declaration && is_index(tree.slice(reference.span)) {
            continue;
        }
        edits.push(TextEdit::replace(
            name_span(tree, reference, &name.text)?,
            new_name,
        ));
    }
    Ok(SourceChange::from_edits(edits))
}

fn rename_var(
    tree: &SyntaxTree,
    model: &Model,
    index: usize,
    new_name: &str,
) -> Result<SourceChange, RenameError> {
    if !is_valid_var_name(new_name) {
        return error(format!(
            "`{new_name}` is not a valid variable name: use letters, digits and `_`, \
             not starting with a digit"
        ));
    }
    let Some(def) = model.var_defs.get(index) else {
        return error("Unknown variable");
    };
    let chain = definition_chain(model, index);
    let clash = model.var_defs.iter().enumerate().find(|(position, other)| {
        other.name == new_name
            && !chain.contains(position)
            && chain
                .iter()
                .filter_map(|&c| model.var_defs.get(c))
                .any(|c| c.stage == other.stage)
    });
    if let Some((_, other)) = clash {
        return error(format!(
            "`{new_name}` is already defined in the same scope ({} {})",
            match other.kind {
                crate::model::VarDefKind::Env => "ENV",
                _ => "ARG",
            },
            other.name
        ));
    }
    let edits = occurrences(model, Target::Var(index))
        .into_iter()
        .map(|reference| {
            Ok(TextEdit::replace(
                name_span(tree, reference, &def.name)?,
                new_name,
            ))
        })
        .collect::<Result<Vec<_>, RenameError>>()?;
    Ok(SourceChange::from_edits(edits))
}

/// The part of an occurrence that spells the name: the occurrence itself, or the inside of its
/// quotes (`--from="build"`). A name split by a line continuation cannot be rewritten safely.
fn name_span(tree: &SyntaxTree, reference: Reference, name: &str) -> Result<Span, RenameError> {
    let written = tree.slice(reference.span);
    if written.eq_ignore_ascii_case(name) {
        return Ok(reference.span);
    }
    for quote in ['"', '\''] {
        if let Some(inner) = written
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
            && inner.eq_ignore_ascii_case(name)
        {
            return Ok(Span::new(reference.span.start + 1, reference.span.end - 1));
        }
    }
    error(format!(
        "Cannot rename `{name}` where it is written as `{written}`: rewrite that spelling by hand first"
    ))
}

fn is_index(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// BuildKit's `^[a-z][a-z0-9-_\.]*$`.
fn is_valid_stage_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
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
                error: `Base` is not a valid stage name: it must match ^[a-z][a-z0-9-_.]*$ (lower case, starting with a letter)
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
}
