use crate::ide::diagnostics::RuleContext;

use super::{Diagnostic, error};

declare_rule! {
    /// ## What it does
    /// Reports a stage name that, lower-cased, does not match `^[a-z][a-z0-9-_.]*$`.
    ///
    /// ## Why is this bad?
    /// BuildKit fails with `invalid name for build stage: "…", name can't start with a number
    /// or contain symbols`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22 AS 2-build
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22 AS build-2
    /// ```
    ///
    /// ## References
    /// - Dockerfile reference, FROM: <https://docs.docker.com/reference/dockerfile/#from>
    name: "InvalidStageName",
    severity: Error,
    enabled_by_default: true,
    summary: "Stage names start with a letter and contain only letters, digits, '-', '_' and '.'",
    hadolint: [],
    check: document check,
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for name in ctx
        .model
        .stages
        .iter()
        .filter_map(|stage| stage.name.as_ref())
    {
        if !is_valid(&name.key) {
            out.push(error(
                NAME,
                name.span,
                format!(
                    "invalid name for build stage: {}, name can't start with a number or contain symbols",
                    serde_json::to_string(&name.text).unwrap_or_default()
                ),
            ));
        }
    }
}

fn is_valid(key: &str) -> bool {
    let mut bytes = key.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
}
