//! Find references and document highlight for stages and variables.
//!
//! A stage's references are every `FROM x`, `COPY/ADD --from=x` and `RUN --mount=…,from=x` that
//! the model resolves to it. A variable's references follow its definition chain: a stage
//! `ARG NAME` without a value continues the global `ARG NAME`, so both and every use resolving to
//! either belong together, while an unrelated ARG/ENV of the same name elsewhere does not.

use crate::knowledge::PredefinedArg;
use crate::model::{Model, Resolution, VarResolution};
use crate::syntax::Span;

/// What the symbol under the cursor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Index into `Model::stages`.
    Stage(usize),
    /// Index into `Model::var_defs`.
    Var(usize),
    Predefined(&'static PredefinedArg),
}

/// The symbol under the cursor and the span of the token naming it there.
pub fn target_at(model: &Model, offset: usize) -> Option<(Target, Span)> {
    if let Some(stage) = model
        .stages
        .iter()
        .find(|stage| stage.name.as_ref().is_some_and(|n| n.span.touches(offset)))
        && let Some(name) = &stage.name
    {
        return Some((Target::Stage(stage.index), name.span));
    }
    // Modifier words nest references (`${A:-$B}`): the innermost one is meant.
    if let Some(var_use) = model
        .var_uses
        .iter()
        .filter(|u| u.reference.span.touches(offset))
        .min_by_key(|u| u.reference.span.len())
    {
        let target = match var_use.resolution {
            VarResolution::Defined(index) => Target::Var(index),
            VarResolution::Predefined(arg) => Target::Predefined(arg),
            VarResolution::Undefined => return None,
        };
        return Some((target, var_use.reference.name_span));
    }
    if let Some((index, def)) = model.var_def_at(offset) {
        return Some((Target::Var(index), def.name_span));
    }
    model
        .stage_refs
        .iter()
        .filter(|r| r.span.touches(offset))
        .find_map(|reference| match reference.resolution {
            Resolution::Stage(index) | Resolution::CaseMismatch(index) => {
                Some((Target::Stage(index), reference.span))
            }
            _ => None,
        })
}

/// One occurrence of a stage or variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub span: Span,
    /// The `AS name` of a stage, or the name in an ARG/ENV (document highlight shows it as a write).
    pub is_declaration: bool,
}

/// Every occurrence of the symbol under the cursor, in file order; declarations only when asked.
pub fn references(
    model: &Model,
    offset: usize,
    include_declaration: bool,
) -> Option<Vec<Reference>> {
    let (target, _) = target_at(model, offset)?;
    let mut found = occurrences(model, target);
    if !include_declaration {
        found.retain(|reference| !reference.is_declaration);
    }
    Some(found)
}

/// Document highlight: every occurrence, declarations included.
pub fn highlights(model: &Model, offset: usize) -> Vec<Reference> {
    references(model, offset, true).unwrap_or_default()
}

/// Every occurrence of `target`, sorted by position.
pub fn occurrences(model: &Model, target: Target) -> Vec<Reference> {
    let mut found = Vec::new();
    match target {
        Target::Stage(index) => {
            if let Some(name) = model.stages.get(index).and_then(|s| s.name.as_ref()) {
                found.push(Reference {
                    span: name.span,
                    is_declaration: true,
                });
            }
            found.extend(model.references_to(index).map(|r| Reference {
                span: r.span,
                is_declaration: false,
            }));
        }
        Target::Var(index) => {
            let chain = definition_chain(model, index);
            found.extend(chain.iter().filter_map(|&def| {
                model.var_defs.get(def).map(|d| Reference {
                    span: d.name_span,
                    is_declaration: true,
                })
            }));
            found.extend(model.var_uses.iter().filter_map(|u| match u.resolution {
                VarResolution::Defined(def) if chain.contains(&def) => Some(Reference {
                    span: u.reference.name_span,
                    is_declaration: false,
                }),
                _ => None,
            }));
        }
        Target::Predefined(arg) => {
            found.extend(model.var_uses.iter().filter_map(|u| match u.resolution {
                VarResolution::Predefined(used) if used.name == arg.name => Some(Reference {
                    span: u.reference.name_span,
                    is_declaration: false,
                }),
                _ => None,
            }));
        }
    }
    found.sort_by_key(|reference| reference.span);
    found.dedup_by_key(|reference| reference.span);
    found
}

/// The definitions linked to `index` through redeclared ARGs (`ARG NAME` inheriting the global
/// default), `index` included, in file order.
pub fn definition_chain(model: &Model, index: usize) -> Vec<usize> {
    let root = |def: usize| {
        model
            .var_defs
            .get(def)
            .and_then(|d| d.inherits)
            .unwrap_or(def)
    };
    let chain_root = root(index);
    (0..model.var_defs.len())
        .filter(|&def| root(def) == chain_root)
        .collect()
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture::Fixture;

    fn check(fixture: &str, include_declaration: bool, expect: Expect) {
        let f = Fixture::with_cursor(fixture);
        let actual = match references(&f.model, f.offset, include_declaration) {
            None => "no symbol here\n".to_string(),
            Some(found) => found
                .iter()
                .map(|r| {
                    let marker = if r.is_declaration {
                        " (declaration)"
                    } else {
                        ""
                    };
                    format!("{}{marker}\n", f.describe(r.span))
                })
                .collect(),
        };
        expect.assert_eq(&actual);
    }

    const STAGES: &str = "\
FROM node:20 AS base
FROM base AS deps
RUN --mount=type=cache,from=base,target=/x npm ci
FROM deps AS build
COPY --from=BASE /a /b
COPY --from=0 /a /b
FROM build
";

    #[test]
    fn stage_from_declaration() {
        check(
            &STAGES.replacen("AS base", "AS ba$0se", 1),
            true,
            expect![[r#"
                1:17 "base" (declaration)
                2:6 "base"
                3:29 "base"
                5:13 "BASE"
                6:13 "0"
            "#]],
        );
    }

    #[test]
    fn stage_from_reference_without_declaration() {
        check(
            &STAGES.replacen("FROM deps", "FROM de$0ps", 1),
            false,
            expect![[r#"
                4:6 "deps"
            "#]],
        );
    }

    #[test]
    fn image_is_no_symbol() {
        check(
            &STAGES.replacen("node:20", "no$0de:20", 1),
            true,
            expect![[r#"
                no symbol here
            "#]],
        );
    }

    #[test]
    fn redeclared_arg_joins_the_global_chain() {
        check(
            "\
ARG VERSION=20
FROM node:${VERSION}
ARG VERSION
RUN echo $VER$0SION
FROM alpine
ARG VERSION=3
RUN echo $VERSION
",
            true,
            expect![[r#"
                1:5 "VERSION" (declaration)
                2:13 "VERSION"
                3:5 "VERSION" (declaration)
                4:11 "VERSION"
            "#]],
        );
    }

    #[test]
    fn env_redefinition_is_a_separate_symbol() {
        check(
            "\
FROM alpine
ENV P=/a
RUN echo $P
ENV P$0=$P:/b
RUN echo ${P}
",
            true,
            expect![[r#"
                4:5 "P" (declaration)
                5:12 "P"
            "#]],
        );
    }

    #[test]
    fn predefined_args_have_uses_only() {
        check(
            "\
FROM --platform=$BUILDPLATFORM golang AS build
ARG TARGETARCH
RUN echo $TARGETARCH
FROM --platform=$BUILD$0PLATFORM alpine
",
            true,
            expect![[r#"
                1:18 "BUILDPLATFORM"
                4:18 "BUILDPLATFORM"
            "#]],
        );
    }

    #[test]
    fn highlight_includes_declaration() {
        let f = Fixture::with_cursor("FROM alpine AS a\nFROM a$0\n");
        let found = highlights(&f.model, f.offset);
        let declarations: Vec<bool> = found.iter().map(|r| r.is_declaration).collect();
        assert_eq!(declarations, [true, false]);
    }

    #[test]
    fn half_typed_lines() {
        check(
            "FROM alpine AS a\nFROM alpine\nCOPY --from=$0\n",
            true,
            expect![[r#"
                no symbol here
            "#]],
        );
        check(
            "FROM alpine AS$0\n",
            true,
            expect![[r#"
            no symbol here
        "#]],
        );
        check(
            "FROM alpine AS a\nFROM alpine\nRUN --mount=type=bind,from=a$0,\n",
            true,
            expect![[r#"
                1:16 "a" (declaration)
                3:28 "a"
            "#]],
        );
    }
}
