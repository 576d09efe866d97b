//! Hover: what a stage is built from and who uses it, where a variable is defined and its
//! default, and what an instruction or flag does (with a link to the Dockerfile reference).

use std::fmt::Write;

use crate::ide::references::{Target, target_at};
use crate::model::{Model, PredefinedArg, VarDefKind, VarResolution};
use crate::syntax::{Span, SyntaxTree};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// The token the hover describes.
    pub span: Span,
    pub markdown: String,
}

pub fn hover(tree: &SyntaxTree, model: &Model, offset: usize) -> Option<Hover> {
    if let Some((target, span)) = target_at(model, offset) {
        let markdown = match target {
            Target::Stage(index) => stage_hover(tree, model, index)?,
            Target::Var(index) => var_hover(tree, model, index)?,
            Target::Predefined(arg) => predefined_hover(arg),
        };
        return Some(Hover { span, markdown });
    }
    undefined_var_hover(model, offset)
}

/// The 1-based line of `offset`, for messages that point elsewhere in the file.
pub(crate) fn line_number(tree: &SyntaxTree, offset: usize) -> usize {
    tree.text()
        .get(..offset)
        .map_or(0, |before| before.matches('\n').count())
        + 1
}

/// Markdown inline code that survives backticks in the text.
fn code(text: &str) -> String {
    let fence = if text.contains('`') { "``" } else { "`" };
    format!("{fence}{text}{fence}")
}

fn stage_hover(tree: &SyntaxTree, model: &Model, index: usize) -> Option<String> {
    let stage = model.stages.get(index)?;
    let mut out = format!(
        "**stage {}** (index {}, line {})\n\n",
        code(&stage.display_name()),
        stage.index,
        line_number(tree, stage.span.start)
    );
    let mut chain = vec![stage.display_name()];
    let mut current = stage;
    while let Some(parent) = current
        .parent_stage(model)
        .filter(|&p| p < current.index)
        .and_then(|p| model.stages.get(p))
    {
        chain.push(parent.display_name());
        current = parent;
    }
    chain.push(
        current
            .base
            .as_ref()
            .map_or_else(|| "(no base)".to_string(), |b| b.text.clone()),
    );
    let _ = writeln!(out, "{}", code(&chain.join(" ← ")));
    if let Some((platform, _)) = &stage.platform {
        let _ = writeln!(out, "\nplatform: {}", code(platform));
    }
    let users: Vec<String> = model
        .graph
        .dependents(index)
        .filter_map(|edge| {
            let reference = model.stage_refs.get(edge.reference)?;
            let user = model.stages.get(edge.from)?;
            Some(format!(
                "- {} via {} (line {})",
                code(&user.display_name()),
                code(edge.kind.label()),
                line_number(tree, reference.span.start)
            ))
        })
        .collect();
    let is_final = model.final_stage().is_some_and(|s| s.index == index);
    if users.is_empty() {
        out.push_str(if is_final {
            "\nThe final stage: what `docker build` produces by default."
        } else {
            "\nNo stage uses it; it is built only with `--target`."
        });
    } else {
        out.push_str("\nUsed by:\n");
        out.push_str(&users.join("\n"));
        if is_final {
            out.push_str("\n\nThe final stage: what `docker build` produces by default.");
        } else if !model.graph.is_reachable(index) {
            out.push_str("\n\nThe final stage does not need it.");
        }
    }
    Some(out)
}

fn var_hover(tree: &SyntaxTree, model: &Model, index: usize) -> Option<String> {
    let def = model.var_defs.get(index)?;
    let keyword = match def.kind {
        VarDefKind::Env => "ENV",
        VarDefKind::Arg | VarDefKind::GlobalArg => "ARG",
    };
    let scope = match def.stage.and_then(|s| model.stages.get(s)) {
        Some(stage) => format!("stage {}", code(&stage.display_name())),
        None => "global, visible in FROM lines".to_string(),
    };
    let mut out = format!(
        "**{keyword} {}** ({scope}, line {})\n\n",
        code(&def.name),
        line_number(tree, def.name_span.start)
    );
    match def.effective_value(model) {
        Some(value) => {
            let label = match def.kind {
                VarDefKind::Env => "value",
                VarDefKind::Arg | VarDefKind::GlobalArg => "default",
            };
            let _ = write!(out, "{label}: {}", code(&value.unquoted));
            if def.value.is_none()
                && let Some(global) = def.inherits.and_then(|g| model.var_defs.get(g))
            {
                let _ = write!(
                    out,
                    " (from the global ARG on line {})",
                    line_number(tree, global.name_span.start)
                );
            }
        }
        None if def.kind == VarDefKind::Env => out.push_str("empty"),
        None => out.push_str("no default: empty unless given with `--build-arg`"),
    }
    if def.kind != VarDefKind::Env {
        out.push_str("\n\nOverridable with `--build-arg`.");
    }
    Some(out)
}

fn predefined_hover(arg: &PredefinedArg) -> String {
    format!(
        "**ARG {}** (predefined by BuildKit)\n\n{}",
        code(arg.name),
        match arg.scope {
            crate::model::PredefinedScope::Global =>
                "Set automatically in the global scope: usable in FROM lines, and inside a stage after `ARG` redeclares it.",
            crate::model::PredefinedScope::Everywhere =>
                "Usable in every instruction without declaring it.",
        }
    )
}

fn undefined_var_hover(model: &Model, offset: usize) -> Option<Hover> {
    let var_use = model
        .var_uses
        .iter()
        .filter(|u| u.reference.span.touches(offset))
        .min_by_key(|u| u.reference.span.len())?;
    if var_use.resolution != VarResolution::Undefined {
        return None;
    }
    Some(Hover {
        span: var_use.reference.name_span,
        markdown: format!(
            "{} is not defined in this scope: it expands to the base image's value, if it sets one, \
             or to an empty string.",
            code(&format!("${}", var_use.reference.name))
        ),
    })
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture::Fixture;

    fn check(fixture: &str, expect: Expect) {
        let f = Fixture::with_cursor(fixture);
        let actual = match hover(&f.tree, &f.model, f.offset) {
            None => "no hover".to_string(),
            Some(hover) => format!("{}\n{}", f.describe(hover.span), hover.markdown),
        };
        expect.assert_eq(&actual);
    }

    const TUTORIAL: &str = "\
FROM node:20-alpine AS base
WORKDIR /app
FROM base AS deps
RUN npm ci
FROM deps AS build
RUN npm run build
FROM base AS runner
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
";

    #[test]
    fn stage_chain_and_users() {
        check(
            &TUTORIAL.replacen("AS runner", "AS run$0ner", 1),
            expect![[r#"
                7:14 "runner"
                **stage `runner`** (index 3, line 7)

                `runner ← base ← node:20-alpine`

                The final stage: what `docker build` produces by default."#]],
        );
        check(
            &TUTORIAL.replacen("--from=deps", "--from=de$0ps", 1),
            expect![[r#"
                8:13 "deps"
                **stage `deps`** (index 1, line 3)

                `deps ← base ← node:20-alpine`

                Used by:
                - `build` via `FROM` (line 5)
                - `runner` via `COPY --from` (line 8)"#]],
        );
    }

    #[test]
    fn unused_stage() {
        check(
            "FROM alpine AS lint$0\nRUN true\nFROM alpine\n",
            expect![[r#"
                1:16 "lint"
                **stage `lint`** (index 0, line 1)

                `lint ← alpine`

                No stage uses it; it is built only with `--target`."#]],
        );
    }

    #[test]
    fn variables() {
        check(
            "ARG NODE=20\nFROM node:${NODE}\nARG NODE\nRUN echo $NO$0DE\n",
            expect![[r#"
                4:11 "NODE"
                **ARG `NODE`** (stage `stage-0`, line 3)

                default: `20` (from the global ARG on line 1)

                Overridable with `--build-arg`."#]],
        );
        check(
            "FROM alpine\nENV DIR=\"/srv/app\"\nWORKDIR $D$0IR\n",
            expect![[r#"
                3:10 "DIR"
                **ENV `DIR`** (stage `stage-0`, line 2)

                value: `/srv/app`"#]],
        );
        check(
            "FROM alpine\nARG TOKEN\nRUN echo $TOK$0EN\n",
            expect![[r#"
                3:11 "TOKEN"
                **ARG `TOKEN`** (stage `stage-0`, line 2)

                no default: empty unless given with `--build-arg`

                Overridable with `--build-arg`."#]],
        );
        check(
            "FROM --platform=$BUILD$0PLATFORM alpine\n",
            expect![[r#"
                1:18 "BUILDPLATFORM"
                **ARG `BUILDPLATFORM`** (predefined by BuildKit)

                Set automatically in the global scope: usable in FROM lines, and inside a stage after `ARG` redeclares it."#]],
        );
        check(
            "FROM alpine\nRUN echo $HO$0ME\n",
            expect![[r#"
                2:11 "HOME"
                `$HOME` is not defined in this scope: it expands to the base image's value, if it sets one, or to an empty string."#]],
        );
    }

    #[test]
    fn nothing_on_plain_text() {
        check("FROM alpine\nRUN ec$0ho\n", expect!["no hover"]);
    }
}
