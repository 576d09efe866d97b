use crate::ide::diagnostics::RuleContext;
use crate::syntax::{Instruction, InstructionKind};

use super::{Diagnostic, error};

declare_rule! {
    /// ## What it does
    /// Reports a `FROM` that is not `FROM image` or `FROM image AS name`.
    ///
    /// ## Why is this bad?
    /// BuildKit fails with `FROM requires either one or three arguments`; a common cause is a
    /// stage name with a blank in it, or a missing `AS`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 builder
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS builder
    /// ```
    ///
    /// ## References
    /// - Dockerfile reference, FROM: <https://docs.docker.com/reference/dockerfile/#from>
    name: "FromArgumentCount",
    severity: Error,
    enabled_by_default: true,
    summary: "FROM requires either one or three arguments",
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
    let valid = match instruction.words() {
        [_] => true,
        [_, as_word, _] => as_word.text.eq_ignore_ascii_case("as"),
        _ => false,
    };
    if !valid {
        let span = instruction.args_span().unwrap_or(instruction.keyword);
        out.push(error(
            NAME,
            span,
            "FROM requires either one or three arguments",
        ));
    }
}
