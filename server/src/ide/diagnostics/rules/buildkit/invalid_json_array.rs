use crate::ide::diagnostics::RuleContext;

use super::{Diagnostic, report_syntax_errors};

declare_rule! {
    /// ## What it does
    /// Reports exec-form arguments that are a JSON array with something other than strings.
    ///
    /// ## Why is this bad?
    /// BuildKit fails with `when using JSON array syntax, arrays must be comprised of strings only`.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD ["sleep", 10]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// CMD ["sleep", "10"]
    /// ```
    ///
    /// ## References
    /// - BuildKit's Dockerfile parser (`frontend/dockerfile/parser`): <https://docs.docker.com/reference/dockerfile/>
    name: "InvalidJsonArray",
    severity: Error,
    enabled_by_default: true,
    summary: "A JSON array of arguments must hold only strings",
    hadolint: [],
    check: document check,
}

/// The parser errors this rule reports.
pub(super) fn claims(message: &str) -> bool {
    message == "when using JSON array syntax, arrays must be comprised of strings only"
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    report_syntax_errors(ctx, out, NAME, claims);
}
