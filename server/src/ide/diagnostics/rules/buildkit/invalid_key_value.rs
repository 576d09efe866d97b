use crate::ide::diagnostics::RuleContext;

use super::{Diagnostic, report_syntax_errors};

declare_rule! {
    /// ## What it does
    /// Reports an `ENV` or `LABEL` with a key and no value, or a word without `=` among `key=value` pairs.
    ///
    /// ## Why is this bad?
    /// BuildKit fails with `ENV must have two arguments` or `Syntax error - can't find = in "…". Must be of the form: name=value`.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV DEBUG
    /// LABEL version=1 stable
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ENV DEBUG=1
    /// LABEL version=1 channel=stable
    /// ```
    ///
    /// ## References
    /// - BuildKit's Dockerfile parser (`frontend/dockerfile/parser`): <https://docs.docker.com/reference/dockerfile/>
    name: "InvalidKeyValue",
    severity: Error,
    enabled_by_default: true,
    summary: "ENV and LABEL need key=value pairs (or a legacy key and value)",
    hadolint: [],
    check: document check,
}

/// The parser errors this rule reports.
pub(super) fn claims(message: &str) -> bool {
    message.ends_with(" must have two arguments")
        || message.starts_with("Syntax error - can't find = in ")
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    report_syntax_errors(ctx, out, NAME, claims);
}
