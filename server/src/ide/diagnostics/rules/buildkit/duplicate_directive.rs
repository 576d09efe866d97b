use crate::ide::diagnostics::RuleContext;

use super::{Diagnostic, report_syntax_errors};

declare_rule! {
    /// ## What it does
    /// Reports a parser directive (`syntax`, `escape`, `check`) given twice in the leading directive block.
    ///
    /// ## Why is this bad?
    /// BuildKit fails with `only one <name> parser directive can be used`.
    ///
    /// ## Example
    /// ```dockerfile
    /// # syntax=docker/dockerfile:1
    /// # syntax=docker/dockerfile:1.7
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// # syntax=docker/dockerfile:1.7
    /// ```
    ///
    /// ## References
    /// - BuildKit's Dockerfile parser (`frontend/dockerfile/parser`): <https://docs.docker.com/reference/dockerfile/>
    name: "DuplicateDirective",
    severity: Error,
    enabled_by_default: true,
    summary: "A parser directive may appear only once",
    hadolint: [],
    check: document check,
}

/// The parser errors this rule reports.
pub(super) fn claims(message: &str) -> bool {
    message.starts_with("only one ") && message.ends_with(" parser directive can be used")
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    report_syntax_errors(ctx, out, NAME, claims);
}
