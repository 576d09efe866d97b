use crate::ide::diagnostics::RuleContext;

use super::{Diagnostic, report_syntax_errors};

declare_rule! {
    /// ## What it does
    /// Reports a Dockerfile with no instruction at all (empty, or only comments).
    ///
    /// ## Why is this bad?
    /// BuildKit refuses it: `file with no instructions` (`the Dockerfile cannot be empty`).
    ///
    /// ## Example
    /// ```dockerfile
    /// # just a comment
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ```
    ///
    /// ## References
    /// - BuildKit's Dockerfile parser (`frontend/dockerfile/parser`): <https://docs.docker.com/reference/dockerfile/>
    name: "EmptyFile",
    severity: Error,
    enabled_by_default: true,
    summary: "A Dockerfile needs at least one instruction",
    hadolint: [],
    check: document check,
}

/// The parser errors this rule reports.
pub(super) fn claims(message: &str) -> bool {
    message == "file with no instructions"
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    report_syntax_errors(ctx, out, NAME, claims);
}
