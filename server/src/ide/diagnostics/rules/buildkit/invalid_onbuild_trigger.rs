use crate::ide::diagnostics::RuleContext;
use crate::syntax::{Args, Instruction, InstructionKind};

use super::{Diagnostic, error};

declare_rule! {
    /// ## What it does
    /// Reports `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER`.
    ///
    /// ## Why is this bad?
    /// BuildKit refuses these triggers: "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"
    /// and "FROM/MAINTAINER isn't allowed as an ONBUILD trigger".
    ///
    /// ## Example
    /// ```dockerfile
    /// ONBUILD FROM alpine
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ONBUILD COPY . /app
    /// ```
    ///
    /// ## References
    /// - Dockerfile reference, ONBUILD: <https://docs.docker.com/reference/dockerfile/#onbuild>
    /// - hadolint DL3043
    name: "InvalidOnbuildTrigger",
    severity: Error,
    enabled_by_default: true,
    summary: "ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER",
    hadolint: ["DL3043"],
    check: instruction check,
}

fn check(
    _ctx: &RuleContext<'_>,
    _index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let Args::Onbuild(trigger) = &instruction.args else {
        return;
    };
    let message = match trigger.kind {
        InstructionKind::Onbuild => "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
        InstructionKind::From => "FROM isn't allowed as an ONBUILD trigger",
        InstructionKind::Maintainer => "MAINTAINER isn't allowed as an ONBUILD trigger",
        _ => return,
    };
    out.push(error(NAME, trigger.keyword, message));
}
