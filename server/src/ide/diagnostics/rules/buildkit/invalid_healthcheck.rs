use crate::ide::diagnostics::RuleContext;
use crate::syntax::{Args, Instruction, InstructionKind};

use super::{Diagnostic, error};

declare_rule! {
    /// ## What it does
    /// Reports a `HEALTHCHECK` that is neither `HEALTHCHECK [options] CMD command` nor
    /// `HEALTHCHECK NONE`: an unknown type, `CMD` without a command, `NONE` with arguments.
    ///
    /// ## Why is this bad?
    /// BuildKit fails to parse the instruction.
    ///
    /// ## Example
    /// ```dockerfile
    /// HEALTHCHECK curl -f http://localhost/
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// HEALTHCHECK CMD curl -f http://localhost/
    /// ```
    ///
    /// ## References
    /// - Dockerfile reference, HEALTHCHECK: <https://docs.docker.com/reference/dockerfile/#healthcheck>
    name: "InvalidHealthcheck",
    severity: Error,
    enabled_by_default: true,
    summary: "HEALTHCHECK takes CMD with a command, or NONE",
    hadolint: [],
    check: instruction check,
    on: [InstructionKind::Healthcheck],
}

fn check(
    _ctx: &RuleContext<'_>,
    _index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let Args::Healthcheck { kind, command } = &instruction.args else {
        return;
    };
    let has_command = command.span().is_some();
    let message = match kind.text.to_uppercase().as_str() {
        "CMD" if !has_command => "Missing command after HEALTHCHECK CMD".to_string(),
        "NONE" if has_command || !instruction.flags.is_empty() => {
            "HEALTHCHECK NONE takes no arguments".to_string()
        }
        "CMD" | "NONE" => return,
        other => format!("Unknown type {other:?} in HEALTHCHECK (try CMD)"),
    };
    out.push(error(NAME, kind.span, message));
}
