//! Facts about stages that several assists need: the image a stage finally runs on, the user it
//! runs as, the toolchains its RUN lines use, and where instructions and their comments start.

use crate::knowledge::{self, DefaultUser, ImageFamily};
use crate::model::outputs::{ShellCommand, run_commands};
use crate::model::{Model, VarDefKind};
use crate::syntax::{Args, Instruction, InstructionKind, SyntaxTree};

/// The image at the root of `stage`'s `FROM <stage>` chain, global ARG defaults expanded.
pub(super) fn base_image(tree: &SyntaxTree, model: &Model, stage: usize) -> Option<String> {
    let mut current = model.stages.get(stage)?;
    let mut hops = 0;
    while let Some(parent) = current.parent_stage(model) {
        current = model.stages.get(parent)?;
        hops += 1;
        if hops > model.stages.len() {
            return None;
        }
    }
    let base = current.base.as_ref()?;
    Some(expand_global_args(tree, model, &base.text))
}

fn expand_global_args(tree: &SyntaxTree, model: &Model, text: &str) -> String {
    let mut refs = Vec::new();
    crate::syntax::vars::scan_text(text, tree.escape, &mut refs);
    let mut out = String::new();
    let mut cursor = 0;
    for reference in refs {
        let Some(before) = text.get(cursor..reference.span.start) else {
            continue;
        };
        out.push_str(before);
        let value = model
            .var_defs
            .iter()
            .rev()
            .filter(|d| d.kind == VarDefKind::GlobalArg && d.name == reference.name)
            .find_map(|d| d.value.as_ref())
            .map(|v| v.unquoted.clone())
            .filter(|v| !v.is_empty());
        let fallback = reference
            .modifier
            .as_ref()
            .filter(|m| m.operator.contains('-'))
            .and_then(|m| text.get(m.word.start..m.word.end));
        match (value, fallback) {
            (Some(value), _) => out.push_str(&value),
            (None, Some(fallback)) => out.push_str(fallback),
            (None, None) => out.push_str(
                text.get(reference.span.start..reference.span.end)
                    .unwrap_or(""),
            ),
        }
        cursor = reference.span.end;
    }
    out.push_str(text.get(cursor..).unwrap_or(""));
    out
}

/// How to get a non-root user on an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum UserSetup {
    /// The image runs as a non-root user already.
    AlreadyNonRoot,
    /// The image ships a user to switch to (`node`, distroless `nonroot`).
    Ready(&'static str),
    /// busybox `addgroup -S` / `adduser -S`.
    Alpine,
    /// shadow-utils `groupadd` / `useradd`.
    Debian,
    /// No tools to create users: a numeric UID:GID (scratch, unknown images).
    Numeric { uid: u32, gid: u32 },
    /// Windows images have their own user model.
    Windows,
}

/// How `image` gets a non-root user; numeric ids use `fallback` (uid, gid).
pub(super) fn user_setup(image: &str, fallback: (u32, u32)) -> UserSetup {
    let image = knowledge::parse_image_ref(image);
    match knowledge::default_user(&image) {
        DefaultUser::NonRoot { .. } => return UserSetup::AlreadyNonRoot,
        DefaultUser::ReadyUser { name, .. } => return UserSetup::Ready(name),
        DefaultUser::Root => {}
    }
    match knowledge::image_family(&image) {
        ImageFamily::Alpine | ImageFamily::Busybox => UserSetup::Alpine,
        ImageFamily::Debian | ImageFamily::Ubuntu | ImageFamily::RedHat => UserSetup::Debian,
        ImageFamily::Windows => UserSetup::Windows,
        ImageFamily::Chainguard => UserSetup::AlreadyNonRoot,
        // No passwd tooling: the conventional distroless non-root ids.
        ImageFamily::Scratch | ImageFamily::Distroless => UserSetup::Numeric {
            uid: 65532,
            gid: 65532,
        },
        ImageFamily::Unknown => UserSetup::Numeric {
            uid: fallback.0,
            gid: fallback.1,
        },
    }
}

/// `root`, `0`, `root:root`, `0:0`, and `root:<group>`.
pub(super) fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name == "0"
}

/// The last `USER` in force at the end of `stage` (through its `FROM <stage>` parents):
/// the user text and the instruction index.
pub(super) fn stage_user(
    tree: &SyntaxTree,
    model: &Model,
    stage: usize,
) -> Option<(String, usize)> {
    let mut current = model.stages.get(stage)?;
    for _ in 0..=model.stages.len() {
        let found = current.instructions.clone().rev().find_map(|index| {
            let instruction = tree.instructions.get(index)?;
            match (&instruction.kind, &instruction.args) {
                (InstructionKind::User, Args::Text(word)) => Some((word.text.clone(), index)),
                _ => None,
            }
        });
        if found.is_some() {
            return found;
        }
        current = model.stages.get(current.parent_stage(model)?)?;
    }
    None
}

/// The instructions of `stage` after its FROM, with their indices.
pub(super) fn stage_body<'a>(
    tree: &'a SyntaxTree,
    model: &Model,
    stage: usize,
) -> Vec<(usize, &'a Instruction)> {
    let Some(stage) = model.stages.get(stage) else {
        return Vec::new();
    };
    stage
        .instructions
        .clone()
        .skip(1)
        .filter_map(|index| tree.instructions.get(index).map(|i| (index, i)))
        .collect()
}

/// Every simple command the RUN lines of `stage` execute, with the RUN's index.
pub(super) fn stage_commands(
    tree: &SyntaxTree,
    model: &Model,
    stage: usize,
) -> Vec<(usize, ShellCommand)> {
    stage_body(tree, model, stage)
        .into_iter()
        .filter(|(_, i)| i.kind == InstructionKind::Run)
        .flat_map(|(index, _)| {
            run_commands(tree, model, index)
                .into_iter()
                .map(move |command| (index, command))
        })
        .collect()
}

/// Where an instruction's line starts, including the comment lines right above it.
pub(super) fn start_with_comments(tree: &SyntaxTree, instruction: &Instruction) -> usize {
    let text = tree.text();
    let mut start = line_start(text, instruction.span.start);
    loop {
        let Some(previous_end) = start.checked_sub(1) else {
            return start;
        };
        let previous_start = line_start(text, previous_end);
        let is_comment = tree.comments.iter().any(|c| {
            !c.inside_instruction
                && c.span.start >= previous_start
                && c.span.start < previous_end
                && text
                    .get(previous_start..c.span.start)
                    .is_some_and(|indent| indent.trim().is_empty())
        });
        if !is_comment {
            return start;
        }
        start = previous_start;
    }
}

pub(super) fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |newline| newline + 1)
}

/// The end of the line holding `offset`, past its line break.
pub(super) fn line_end_with_break(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |newline| offset + newline + 1)
}

/// The line break style of the document.
pub(super) fn line_break(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// Quotes a string as a JSON string literal (exec-form item).
pub(super) fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

/// The exec form of `items`: `["a", "b"]`.
pub(super) fn exec_form(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| json_string(item)).collect();
    format!("[{}]", quoted.join(", "))
}

/// The argv a shell-form command line stands for, when running it without a shell changes
/// nothing: one simple command, no variables, globs, redirections, assignments or wrappers
/// (`exec` aside, which is what exec form means anyway).
pub(super) fn shell_to_exec_items(text: &str) -> Option<Vec<String>> {
    if text.contains(['$', '`', '*', '?', '~', '<', '>', '{']) {
        return None;
    }
    let first = text.split_whitespace().next()?;
    if matches!(first, "sudo" | "time" | "nohup" | "env" | "command") {
        return None;
    }
    match crate::model::outputs::shell_commands(text).as_slice() {
        [command] if command.assignments.is_empty() && command.redirects.is_empty() => {
            (!command.words.is_empty()).then(|| command.words.clone())
        }
        _ => None,
    }
}

/// The argv of a CMD/ENTRYPOINT: its exec items, or its shell form when that converts cleanly.
pub(super) fn command_items(instruction: &Instruction) -> Option<Vec<String>> {
    match (&instruction.args, instruction.exec_items()) {
        (_, Some(items)) => Some(items.iter().map(|w| w.text.clone()).collect()),
        (Args::Text(word), None) => shell_to_exec_items(&word.text),
        _ => None,
    }
}
