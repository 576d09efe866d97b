//! Hover: what a stage is built from and who uses it, where a variable is defined and its
//! default, and what an instruction or flag does (with a link to the Dockerfile reference).

use std::fmt::Write;

use crate::ide::references::{Target, target_at};
use crate::knowledge::{self, ArgScope, PredefinedArg};
use crate::model::{Model, VarDefKind, VarResolution};
use crate::syntax::{
    Args, Directive, DirectiveKind, Instruction, InstructionKind, Span, SyntaxTree,
};

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
    if let Some(hover) = undefined_var_hover(model, offset) {
        return Some(hover);
    }
    if let Some(directive) = tree.directives.iter().find(|d| d.span.touches(offset)) {
        return directive_hover(tree, directive, offset);
    }
    if let Some((span, markdown)) =
        crate::ide::path_completion::hover_stage_path(tree, model, offset)
    {
        return Some(Hover { span, markdown });
    }
    let (_, instruction) = tree.instruction_at(offset)?;
    instruction_hover(tree, instruction, offset)
}

/// What an instruction is, with its forms and a link to the reference.
pub(crate) fn instruction_markdown(info: &knowledge::InstructionInfo) -> String {
    let mut out = format!("**{}**", info.kind.name());
    if info.deprecated {
        out.push_str(" (deprecated)");
    }
    out.push_str("\n\n```dockerfile\n");
    for form in info.forms {
        out.push_str(form);
        out.push('\n');
    }
    let _ = write!(
        out,
        "```\n\n{}\n\n[Dockerfile reference]({})",
        info.summary, info.url
    );
    out
}

/// What a flag does, its default, the frontend it needs, and the instruction's reference link.
pub(crate) fn flag_markdown(info: &knowledge::FlagInfo) -> String {
    let mut out = info.doc.to_string();
    if let Some(default) = info.default {
        let _ = write!(out, "\n\ndefault: {}", code(default));
    }
    if let Some(version) = info.min_syntax {
        let _ = write!(
            out,
            "\n\nneeds `# syntax=docker/dockerfile:{version}` or later"
        );
    }
    if let Some(instruction) = knowledge::instruction_info(info.instruction) {
        let _ = write!(out, "\n\n[Dockerfile reference]({})", instruction.url);
    }
    out
}

fn instruction_hover(tree: &SyntaxTree, instruction: &Instruction, offset: usize) -> Option<Hover> {
    if instruction.keyword.touches(offset) {
        let info = knowledge::instruction_info(instruction.kind)?;
        return Some(Hover {
            span: instruction.keyword,
            markdown: instruction_markdown(info),
        });
    }
    if let Args::Onbuild(trigger) = &instruction.args
        && trigger.span.touches(offset)
    {
        return instruction_hover(tree, trigger, offset);
    }
    if let Some(flag) = instruction.flags.iter().find(|f| f.span.touches(offset)) {
        let info = knowledge::flag(instruction.kind, &flag.name)?;
        if flag.name_span.touches(offset) {
            return Some(Hover {
                span: flag.name_span,
                markdown: format!(
                    "**{}** ({})\n\n{}",
                    code(&format!("--{}", info.name)),
                    instruction.kind.name(),
                    flag_markdown(info)
                ),
            });
        }
        let value = flag.value.as_ref()?;
        return (flag.name == "mount" && tree.slice(value.span) == value.text)
            .then(|| mount_hover(value.span.start, &value.text, offset))
            .flatten();
    }
    if instruction.kind == InstructionKind::From {
        let image = instruction
            .words()
            .first()
            .filter(|w| w.span.touches(offset))?;
        let known = knowledge::base_image(&image.text)?;
        return Some(Hover {
            span: image.span,
            markdown: format!(
                "**image {}**\n\n{}\n\ntypical tags: {}",
                code(known.name),
                known.description,
                known
                    .tags
                    .iter()
                    .map(|tag| code(tag))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    None
}

/// A `--mount` field: the key's meaning for this mount type, or the type itself.
fn mount_hover(value_start: usize, value: &str, offset: usize) -> Option<Hover> {
    let parts = knowledge::parse_mount(value);
    let relative = offset.checked_sub(value_start)?;
    let part = parts.iter().find(|p| p.field_span.touches(relative))?;
    let key = part.mount_key()?;
    let ty = knowledge::mount_type(&parts);
    let shift = |span: Span| Span::new(value_start + span.start, value_start + span.end);
    if key == knowledge::MountKey::Type
        && let Some((_, value_span)) = &part.value
        && value_span.touches(relative)
        && let Some(ty) = ty
    {
        let info = knowledge::mount_type_info(ty);
        return Some(Hover {
            span: shift(*value_span),
            markdown: format!("**mount type {}**\n\n{}", code(info.ty.name()), info.doc),
        });
    }
    let info = knowledge::mount_key_info(key);
    let mut markdown = format!("**mount option {}**\n\n{}", code(key.name()), info.doc);
    if let Some(default) = ty
        .and_then(|ty| knowledge::mount_type_info(ty).key_use(key))
        .and_then(|usage| usage.default)
    {
        let _ = write!(markdown, "\n\ndefault: {default}");
    }
    Some(Hover {
        span: shift(part.key_span),
        markdown,
    })
}

/// `# check=skip=Rule`: what the rule checks.
fn directive_hover(tree: &SyntaxTree, directive: &Directive, offset: usize) -> Option<Hover> {
    if directive.kind != DirectiveKind::Check || tree.slice(directive.value) != directive.value_text
    {
        return None;
    }
    let relative = offset.checked_sub(directive.value.start)?;
    let check = knowledge::parse_check_directive(&directive.value_text);
    let value = check
        .options
        .iter()
        .flat_map(|option| &option.values)
        .find(|value| value.span.touches(relative))?;
    let rule = crate::ide::diagnostics::rules()
        .iter()
        .find(|rule| rule.name == value.text)?;
    Some(Hover {
        span: Span::new(
            directive.value.start + value.span.start,
            directive.value.start + value.span.end,
        ),
        markdown: format!("**{}**\n\n{}", rule.name, rule.summary),
    })
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
                "- {} via {} (line {}){}",
                code(&user.display_name()),
                code(edge.kind.label()),
                line_number(tree, reference.span.start),
                if edge.possible {
                    ", depending on build arguments"
                } else {
                    ""
                }
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
    let scope = match arg.scope {
        ArgScope::GlobalOnly => {
            "Set in the global scope: usable in FROM lines, and inside a stage after `ARG` \
             redeclares it."
        }
        ArgScope::Everywhere => "Usable in every instruction without declaring it.",
        ArgScope::BuildSetting => "A BuildKit setting: visible only where an `ARG` declares it.",
    };
    let mut out = format!(
        "**ARG {}** (predefined by BuildKit)\n\n{}\n\n{scope}",
        code(arg.name),
        arg.doc
    );
    if !arg.example.is_empty() {
        let _ = write!(out, "\n\nexample: {}", code(arg.example));
    }
    out
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

                Platform of the machine running the build; `FROM --platform=$BUILDPLATFORM` runs a stage natively.

                Set in the global scope: usable in FROM lines, and inside a stage after `ARG` redeclares it.

                example: `linux/amd64`"#]],
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

    #[test]
    fn instructions_and_flags() {
        check(
            "FROM alpine\nCO$0PY --from=alpine /a /b\n",
            expect![[r#"
            2:1 "COPY"
            **COPY**

            ```dockerfile
            COPY [--from=<stage|image|context>] [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--parents] [--exclude=<pattern>] <src>... <dest>
            COPY [options] ["<src>", ... "<dest>"]
            ```

            Copies files from the build context, or with `--from` from an earlier stage, an image or a named context, into the image. With several sources the destination must be a directory ending in `/`. This is how a multi-stage build carries only the build outputs into the final stage.

            [Dockerfile reference](https://docs.docker.com/reference/dockerfile/#copy)"#]],
        );
        check(
            "FROM alpine\nCOPY --li$0nk /a /b\n",
            expect![[r#"
            2:6 "--link"
            **`--link`** (COPY)

            Puts the copied files in an independent layer that does not depend on the layers below, so changing the base image does not invalidate it and the layer can be reused or rebased without rebuilding.

            default: `false`

            needs `# syntax=docker/dockerfile:1.4` or later

            [Dockerfile reference](https://docs.docker.com/reference/dockerfile/#copy)"#]],
        );
        check(
            "FROM alpine\nONBUILD R$0UN make\n",
            expect![[r#"
            2:9 "RUN"
            **RUN**

            ```dockerfile
            RUN [--mount=<mount>] [--network=<mode>] [--security=<mode>] [--device=<name>] <command>
            RUN [options] ["executable", "param1", "param2"]
            RUN [options] <<EOF ... EOF
            ```

            Runs a command while building and stores the result as a new layer. The shell form runs under the stage's SHELL (`/bin/sh -c` by default); the JSON form runs the program directly. `--mount` gives the command caches, secrets, SSH agents or files from other stages without copying them into the image.

            [Dockerfile reference](https://docs.docker.com/reference/dockerfile/#run)"#]],
        );
    }

    #[test]
    fn mount_fields() {
        check(
            "FROM alpine\nRUN --mount=type=ca$0che,target=/root/.cache go build\n",
            expect![[r#"
                2:18 "cache"
                **mount type `cache`**

                A directory that survives between builds, for package manager and compiler caches. Its content never ends up in the image."#]],
        );
        check(
            "FROM alpine\nRUN --mount=type=cache,shar$0ing=locked go build\n",
            expect![[r#"
                2:24 "sharing"
                **mount option `sharing`**

                How concurrent builds share a cache: `shared` lets them write at once, `private` gives each its own copy, `locked` makes them wait for each other.

                default: shared"#]],
        );
        check(
            "FROM alpine\nRUN --mount=type=$0\n",
            expect![[r#"
            2:13 "type"
            **mount option `type`**

            The kind of mount; `bind` when omitted."#]],
        );
    }

    #[test]
    fn base_image() {
        check(
            "FROM gcr.io/distroless/static-debian12:nonr$0oot\n",
            expect![[r#"
                1:6 "gcr.io/distroless/static-debian12:nonroot"
                **image `gcr.io/distroless/static-debian12`**

                CA certificates, tzdata and /etc/passwd only, for static binaries (Go with CGO off).

                typical tags: `nonroot`, `latest`, `debug`, `debug-nonroot`"#]],
        );
        check("FROM alpine AS$0\n", expect!["no hover"]);
        check("FROM alpine\nCOPY --from=$0\n", expect!["no hover"]);
    }

    #[test]
    fn check_directive_rule() {
        let Some(rule) = crate::ide::diagnostics::rules().first() else {
            return;
        };
        let f = Fixture::with_cursor(&format!("# check=skip={}$0\nFROM alpine\n", rule.name));
        let hover = hover(&f.tree, &f.model, f.offset).expect("the rule is described");
        assert_eq!(f.tree.slice(hover.span), rule.name);
        assert!(hover.markdown.contains(rule.summary));
    }

    #[test]
    fn stage_chosen_by_a_build_argument() {
        check(
            "FROM scratch AS bin-linux$0\nFROM scratch AS bin-darwin\nFROM bin-$TARGETOS\n",
            expect![[r#"
                1:17 "bin-linux"
                **stage `bin-linux`** (index 0, line 1)

                `bin-linux ← scratch`

                Used by:
                - `stage-2` via `FROM` (line 3), depending on build arguments"#]],
        );
    }
}
