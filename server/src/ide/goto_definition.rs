//! Go to definition: a stage reference jumps to the stage's `AS name` (or its FROM line when the
//! stage has no name), a variable to the ARG/ENV that defines it under BuildKit's scoping, and a
//! redeclared `ARG NAME` to the global ARG whose default it takes.

use crate::ide::references::{Target, target_at};
use crate::model::Model;
use crate::syntax::{Args, Span, SyntaxTree};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Definition {
    /// The token under the cursor.
    pub origin: Span,
    /// Where the definition is named (the editor selects it).
    pub focus: Span,
    /// The whole defining construct (the FROM instruction, the `NAME=value` pair).
    pub full: Span,
}

pub fn goto_definition(tree: &SyntaxTree, model: &Model, offset: usize) -> Option<Definition> {
    let (target, origin) = target_at(model, offset)?;
    let (focus, full) = match target {
        Target::Stage(index) => {
            let stage = model.stages.get(index)?;
            let from = tree.instructions.get(stage.from_instruction)?;
            let focus = stage.name.as_ref().map_or(from.span, |name| name.span);
            (focus, from.span)
        }
        Target::Var(index) => {
            let mut def = model.var_defs.get(index)?;
            if def.name_span == origin
                && let Some(global) = def.inherits.and_then(|i| model.var_defs.get(i))
            {
                def = global;
            }
            let full = match &tree.instructions.get(def.instruction)?.args {
                Args::Pairs(pairs) => pairs
                    .iter()
                    .find(|pair| pair.key.span == def.name_span)
                    .map_or(def.name_span, |pair| pair.span),
                _ => def.name_span,
            };
            (def.name_span, full)
        }
        Target::Predefined(_) => return None,
    };
    // A declaration is its own definition: nothing to jump to.
    (focus != origin).then_some(Definition {
        origin,
        focus,
        full,
    })
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture::Fixture;

    fn check(fixture: &str, expect: Expect) {
        let f = Fixture::with_cursor(fixture);
        let actual = match goto_definition(&f.tree, &f.model, f.offset) {
            None => "no definition".to_string(),
            Some(definition) => format!(
                "{} -> {} in {}",
                f.describe(definition.origin),
                f.describe(definition.focus),
                f.describe(definition.full)
            ),
        };
        expect.assert_eq(&actual);
    }

    #[test]
    fn from_stage() {
        check(
            "FROM node:20 AS build\nRUN make\nFROM bu$0ild\n",
            expect![[r#"3:6 "build" -> 1:17 "build" in 1:1 "FROM node:20 AS build""#]],
        );
    }

    #[test]
    fn copy_from_is_case_insensitive() {
        check(
            "FROM node:20 AS build\nFROM alpine\nCOPY --from=Bui$0ld /a /b\n",
            expect![[r#"3:13 "Build" -> 1:17 "build" in 1:1 "FROM node:20 AS build""#]],
        );
    }

    #[test]
    fn copy_from_index_goes_to_the_from_line() {
        check(
            "FROM node:20\nRUN make\nFROM alpine\nCOPY --from=0$0 /a /b\n",
            expect![[r#"4:13 "0" -> 1:1 "FROM node:20" in 1:1 "FROM node:20""#]],
        );
    }

    #[test]
    fn mount_from() {
        check(
            "FROM golang AS deps\nFROM golang\nRUN --mount=type=bind,from=d$0eps,target=/go make\n",
            expect![[r#"3:28 "deps" -> 1:16 "deps" in 1:1 "FROM golang AS deps""#]],
        );
    }

    #[test]
    fn later_stage_is_not_visible() {
        check(
            "FROM alpine\nCOPY --from=la$0ter /a /b\nFROM alpine AS later\n",
            expect!["no definition"],
        );
    }

    #[test]
    fn global_arg_in_from() {
        check(
            "ARG TAG=3.20\nFROM alpine:${T$0AG}\n",
            expect![[r#"2:15 "TAG" -> 1:5 "TAG" in 1:5 "TAG=3.20""#]],
        );
    }

    #[test]
    fn redeclared_arg_inside_stage() {
        check(
            "ARG TAG=3.20\nFROM alpine:${TAG}\nARG TAG\nRUN echo $T$0AG\n",
            expect![[r#"4:11 "TAG" -> 3:5 "TAG" in 3:5 "TAG""#]],
        );
    }

    #[test]
    fn redeclaration_goes_to_the_global() {
        check(
            "ARG TAG=3.20\nFROM alpine\nARG T$0AG\n",
            expect![[r#"3:5 "TAG" -> 1:5 "TAG" in 1:5 "TAG=3.20""#]],
        );
    }

    #[test]
    fn env_inherited_from_parent_stage() {
        check(
            "FROM alpine AS base\nENV APP=/app\nFROM base\nWORKDIR $AP$0P\n",
            expect![[r#"4:10 "APP" -> 2:5 "APP" in 2:5 "APP=/app""#]],
        );
    }

    #[test]
    fn global_arg_is_invisible_in_stage_without_redeclaration() {
        check(
            "ARG TAG=1\nFROM alpine\nRUN echo $T$0AG\n",
            expect!["no definition"],
        );
    }

    #[test]
    fn predefined_arg_has_no_definition() {
        check(
            "FROM --platform=$BUILD$0PLATFORM alpine\n",
            expect!["no definition"],
        );
    }

    #[test]
    fn half_typed_copy_from() {
        check(
            "FROM alpine AS a\nFROM alpine\nCOPY --from=$0\n",
            expect!["no definition"],
        );
    }
}
