use crate::ide::diagnostics::{Fix, RuleContext};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::{Args, Instruction, InstructionKind, Word};

use super::{Diagnostic, stage_chain, stage_instructions, warning};

declare_rule! {
    /// ## What it does
    /// Flags `CMD` and `ENTRYPOINT` in shell form, unless a `SHELL` instruction earlier in the
    /// stage (or a stage it is built from) chose the shell on purpose.
    ///
    /// ## Why is this bad?
    /// In shell form the process is `/bin/sh -c "…"`: the shell is PID 1 and does not pass
    /// signals on, so `docker stop` waits for the timeout and then kills the container.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD node server.js
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// CMD ["node", "server.js"]
    /// ```
    /// The fix rewrites simple commands (no shell syntax) in exec form.
    ///
    /// ## References
    /// - BuildKit check `JSONArgsRecommended`: <https://docs.docker.com/go/dockerfile/rule/json-args-recommended/>
    /// - hadolint DL3025
    name: "JSONArgsRecommended",
    severity: Warning,
    enabled_by_default: true,
    summary: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
    hadolint: ["DL3025"],
    check: model check,
    reads: reads,
}

/// The commands the rule reads; of the other instructions it reads only whether they are SHELL.
fn reads(instruction: &Instruction) -> bool {
    matches!(
        instruction.kind,
        InstructionKind::Cmd | InstructionKind::Entrypoint
    )
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for stage in &ctx.model.stages {
        let chain = stage_chain(ctx.model, stage.index);
        let shell_in_ancestors = chain.iter().skip(1).any(|&ancestor| {
            stage_instructions(ctx, ancestor).any(|(_, i)| i.kind == InstructionKind::Shell)
        });
        let mut shell_set = shell_in_ancestors;
        for (_, instruction) in stage_instructions(ctx, stage.index) {
            match instruction.kind {
                InstructionKind::Shell => shell_set = true,
                InstructionKind::Cmd | InstructionKind::Entrypoint if !shell_set => {
                    if let Args::Text(command) = &instruction.args {
                        out.push(diagnostic(ctx, instruction.kind.name(), command));
                    }
                }
                _ => {}
            }
        }
    }
}

fn diagnostic(ctx: &RuleContext<'_>, keyword: &str, command: &Word) -> Diagnostic {
    let mut diagnostic = warning(
        NAME,
        command.span,
        format!(
            "JSON arguments recommended for {keyword} to prevent unintended behavior related to OS signals"
        ),
    );
    if let Some(exec) = exec_form(&command.text, ctx.tree.escape) {
        diagnostic.fixes.push(Fix {
            title: "Use exec form (JSON array)".to_string(),
            change: SourceChange::from_edits(vec![TextEdit::replace(command.span, exec)]),
            preferred: true,
        });
    }
    diagnostic
}

/// The command as a JSON array, when it is plain words the shell would only split: any shell
/// syntax (operators, expansions, globs, escapes) means the shell is doing real work.
fn exec_form(command: &str, escape: char) -> Option<String> {
    const SHELL_SYNTAX: &[char] = &[
        '|', '&', ';', '<', '>', '(', ')', '$', '`', '*', '?', '[', ']', '{', '}', '~', '#', '=',
        '!',
    ];
    if command.contains(SHELL_SYNTAX) || command.contains(escape) || command.contains('\\') {
        return None;
    }
    let mut items = Vec::new();
    for word in split_shell_words(command)? {
        items.push(serde_json::to_string(&word).ok()?);
    }
    if items.is_empty() {
        return None;
    }
    Some(format!("[{}]", items.join(", ")))
}

/// Splits on blanks, joining quoted runs; `None` for an unclosed quote.
fn split_shell_words(command: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for ch in command.chars() {
        match quote {
            Some(open) if ch == open => quote = None,
            Some(_) => current.push(ch),
            None if ch == '"' || ch == '\'' => {
                quote = Some(ch);
                in_word = true;
            }
            None if ch.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            None => {
                current.push(ch);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return None;
    }
    if in_word {
        words.push(current);
    }
    Some(words)
}
