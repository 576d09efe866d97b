use crate::ide::diagnostics::RuleContext;

use super::{Diagnostic, report_syntax_errors};

declare_rule! {
    /// ## What it does
    /// Reports a heredoc (`<<EOF`) whose terminator line never comes.
    ///
    /// ## Why is this bad?
    /// BuildKit fails with `unterminated heredoc`; everything to the end of the file became the heredoc's body.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN <<EOF
    /// apk add curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN <<EOF
    /// apk add curl
    /// EOF
    /// ```
    ///
    /// ## References
    /// - BuildKit's Dockerfile parser (`frontend/dockerfile/parser`): <https://docs.docker.com/reference/dockerfile/>
    name: "UnterminatedHeredoc",
    severity: Error,
    enabled_by_default: true,
    summary: "A heredoc must end with its terminator line",
    hadolint: [],
    check: document check,
}

/// The parser errors this rule reports.
pub(super) fn claims(message: &str) -> bool {
    message == "unterminated heredoc"
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    report_syntax_errors(ctx, out, NAME, claims);
}
