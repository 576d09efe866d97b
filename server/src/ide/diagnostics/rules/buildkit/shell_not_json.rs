use crate::ide::diagnostics::RuleContext;
use crate::syntax::{Args, Instruction, InstructionKind};

use super::{Diagnostic, error};

declare_rule! {
    /// ## What it does
    /// Reports a `SHELL` whose arguments are not a JSON array.
    ///
    /// ## Why is this bad?
    /// BuildKit fails with `SHELL requires the arguments to be in JSON form`.
    ///
    /// ## Example
    /// ```dockerfile
    /// SHELL /bin/bash -o pipefail -c
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    /// ```
    ///
    /// ## References
    /// - Dockerfile reference, SHELL: <https://docs.docker.com/reference/dockerfile/#shell>
    name: "ShellNotJson",
    severity: Error,
    enabled_by_default: true,
    summary: "SHELL requires the arguments to be in JSON form",
    hadolint: [],
    check: instruction check,
    on: [InstructionKind::Shell],
}

fn check(
    _ctx: &RuleContext<'_>,
    _index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    if matches!(instruction.args, Args::Exec(_)) {
        return;
    }
    let span = instruction.args_span().unwrap_or(instruction.keyword);
    out.push(error(
        NAME,
        span,
        "SHELL requires the arguments to be in JSON form",
    ));
}
