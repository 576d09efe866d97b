use crate::ide::diagnostics::RuleContext;
use crate::syntax::{Args, InstructionKind};

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
    check: check,
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for instruction in &ctx.tree.instructions {
        let instruction = instruction.effective();
        if instruction.kind != InstructionKind::Shell || matches!(instruction.args, Args::Exec(_)) {
            continue;
        }
        let span = instruction.args_span().unwrap_or(instruction.keyword);
        out.push(error(
            NAME,
            span,
            "SHELL requires the arguments to be in JSON form",
        ));
    }
}
