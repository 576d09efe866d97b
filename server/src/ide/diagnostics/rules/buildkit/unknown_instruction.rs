use crate::ide::diagnostics::{Fix, RuleContext};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::{Instruction, InstructionKind};

use super::{Diagnostic, error, suggest};

declare_rule! {
    /// ## What it does
    /// Reports an instruction keyword BuildKit does not know, suggesting the closest one.
    ///
    /// ## Why is this bad?
    /// The parser keeps the line, but turning it into a build step fails with
    /// `unknown instruction: …`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine
    /// RUNN apk add curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine
    /// RUN apk add curl
    /// ```
    ///
    /// ## References
    /// - Dockerfile reference: <https://docs.docker.com/reference/dockerfile/>
    name: "UnknownInstruction",
    severity: Error,
    enabled_by_default: true,
    summary: "Unknown instruction",
    hadolint: [],
    check: instruction check,
    on: [InstructionKind::Unknown],
}

fn check(
    ctx: &RuleContext<'_>,
    _index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let keyword = &instruction.keyword_text;
    let names = InstructionKind::ALL.map(InstructionKind::name);
    let suggestion = suggest(keyword, names.iter().copied());
    let mut message = format!("unknown instruction: {keyword}");
    if let Some(suggestion) = suggestion {
        message.push_str(&format!(" (did you mean {}?)", suggestion.to_lowercase()));
    }
    let mut diagnostic = error(NAME, instruction.keyword, message);
    if let Some(suggestion) = suggestion
        && ctx.tree.slice(instruction.keyword) == keyword
    {
        let replacement = if *keyword == keyword.to_lowercase() {
            suggestion.to_lowercase()
        } else {
            suggestion.to_string()
        };
        diagnostic.fixes.push(Fix {
            title: format!("Change to {replacement}"),
            change: SourceChange::from_edits(vec![TextEdit::replace(
                instruction.keyword,
                replacement,
            )]),
            preferred: true,
        });
    }
    out.push(diagnostic);
}
