use crate::ide::diagnostics::{Fix, RuleContext};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::{Instruction, InstructionKind};

use super::{Diagnostic, warning};

declare_rule! {
    /// ## What it does
    /// Flags `AS` in `FROM … AS name` written in a different case than the `FROM` keyword.
    ///
    /// ## Why is this bad?
    /// Keywords of one instruction in different cases read as a mistake; BuildKit asks for
    /// `FROM … AS` or `from … as`. A `FROM` keyword in mixed case is left to
    /// ConsistentInstructionCasing.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12 as builder
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12 AS builder
    /// ```
    ///
    /// ## References
    /// - BuildKit check `FromAsCasing`: <https://docs.docker.com/go/dockerfile/rule/from-as-casing/>
    name: "FromAsCasing",
    severity: Warning,
    enabled_by_default: true,
    summary: "The AS keyword should match the case of the FROM keyword",
    hadolint: [],
    check: instruction check,
    as_written: [InstructionKind::From],
}

fn check(
    _ctx: &RuleContext<'_>,
    _index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let [_, as_word, _] = instruction.words() else {
        return;
    };
    let from = instruction.keyword_text.as_str();
    let wanted = if from == from.to_lowercase() {
        as_word.text.to_lowercase()
    } else if from == from.to_uppercase() {
        as_word.text.to_uppercase()
    } else {
        return;
    };
    if as_word.text == wanted {
        return;
    }
    let mut diagnostic = warning(
        NAME,
        as_word.span,
        format!(
            "'{}' and '{}' keywords' casing do not match",
            as_word.text, from
        ),
    );
    diagnostic.fixes.push(Fix {
        title: format!("Write '{wanted}'"),
        change: SourceChange::from_edits(vec![TextEdit::replace(as_word.span, wanted)]),
        preferred: true,
    });
    out.push(diagnostic);
}
