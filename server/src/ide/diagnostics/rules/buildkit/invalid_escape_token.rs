use crate::ide::diagnostics::RuleContext;

use super::{Diagnostic, report_syntax_errors};

declare_rule! {
    /// ## What it does
    /// Reports an `# escape=` directive whose value is neither a backslash nor a backtick.
    ///
    /// ## Why is this bad?
    /// BuildKit fails with "invalid escape token '…' does not match ` or \" and the file is
    /// read with the default escape character.
    ///
    /// ## Example
    /// ```dockerfile
    /// # escape=^
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// # escape=`
    /// ```
    ///
    /// ## References
    /// - BuildKit's Dockerfile parser (`frontend/dockerfile/parser`): <https://docs.docker.com/reference/dockerfile/>
    name: "InvalidEscapeToken",
    severity: Error,
    enabled_by_default: true,
    summary: "The escape directive accepts only a backslash or a backtick",
    hadolint: [],
    check: document check,
}

/// The parser errors this rule reports.
pub(super) fn claims(message: &str) -> bool {
    message.starts_with("invalid escape token ")
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    report_syntax_errors(ctx, out, NAME, claims);
}
