use crate::ide::diagnostics::RuleContext;
use crate::syntax::InstructionKind;

use super::{Diagnostic, error};

declare_rule! {
    /// ## What it does
    /// Reports an instruction other than `ARG` before the first `FROM`.
    ///
    /// ## Why is this bad?
    /// Only global `ARG`s may precede the first stage; BuildKit fails with
    /// `no build stage in current context`.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV NODE_ENV=production
    /// FROM node:22
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22
    /// ENV NODE_ENV=production
    /// ```
    ///
    /// ## References
    /// - Dockerfile reference, ARG and FROM: <https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact>
    /// - hadolint DL3061
    name: "InstructionBeforeFrom",
    severity: Error,
    enabled_by_default: true,
    summary: "Only ARG may come before the first FROM",
    hadolint: ["DL3061"],
    check: document check,
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let first_stage = ctx
        .model
        .stages
        .first()
        .map_or(ctx.tree.instructions.len(), |s| s.from_instruction);
    for instruction in ctx.tree.instructions.iter().take(first_stage) {
        if matches!(
            instruction.kind,
            InstructionKind::Arg | InstructionKind::Unknown
        ) {
            continue;
        }
        out.push(error(
            NAME,
            instruction.keyword,
            "no build stage in current context",
        ));
    }
}
