use crate::ide::diagnostics::{Fix, RuleContext};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::Instruction;

use super::{Diagnostic, warning, whole_lines};

declare_rule! {
    /// ## What it does
    /// Flags a blank line inside an instruction continued with the escape character.
    ///
    /// ## Why is this bad?
    /// BuildKit skips the blank line and joins what follows into the instruction, which is
    /// rarely what a blank line looks like it means; empty continuation lines are announced to
    /// become errors. Comment lines inside a continuation are fine.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apk add \
    ///
    ///     curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN apk add \
    ///     curl
    /// ```
    ///
    /// ## References
    /// - BuildKit check `NoEmptyContinuation`: <https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/>
    name: "NoEmptyContinuation",
    severity: Warning,
    enabled_by_default: true,
    summary: "Empty continuation lines will become errors in a future release",
    hadolint: [],
    check: instruction check,
}

fn check(
    ctx: &RuleContext<'_>,
    _index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let Some(first) = instruction.empty_continuation_lines.first() else {
        return;
    };
    // The escape character that runs into the blank line is what an editor can point at.
    let continuation = instruction
        .continuations
        .iter()
        .rev()
        .find(|c| c.end <= first.start)
        .copied()
        .unwrap_or(*first);
    let mut diagnostic = warning(NAME, continuation, "Empty continuation line");
    let edits = instruction
        .empty_continuation_lines
        .iter()
        .map(|line| TextEdit::delete(whole_lines(ctx.tree, *line)))
        .collect();
    diagnostic.fixes.push(Fix {
        title: "Remove the empty continuation lines".to_string(),
        change: SourceChange::from_edits(edits),
        preferred: true,
    });
    out.push(diagnostic);
}
