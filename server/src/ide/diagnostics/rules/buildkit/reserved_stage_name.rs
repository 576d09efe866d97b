use crate::ide::diagnostics::RuleContext;

use super::{Diagnostic, warning};

declare_rule! {
    /// ## What it does
    /// Flags a stage named `scratch` or `context`.
    ///
    /// ## Why is this bad?
    /// `scratch` is the empty image and `context` the build context; a stage of that name
    /// shadows them, so `FROM scratch` or `COPY --from=context` stop meaning what they say.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine AS scratch
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine AS base
    /// ```
    ///
    /// ## References
    /// - BuildKit check `ReservedStageName`: <https://docs.docker.com/go/dockerfile/rule/reserved-stage-name/>
    /// - hadolint DL3063
    name: "ReservedStageName",
    severity: Warning,
    enabled_by_default: true,
    summary: "Reserved words should not be used as stage names",
    hadolint: ["DL3063"],
    check: document check,
}

const RESERVED: [&str; 2] = ["scratch", "context"];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for name in ctx.model.stages.iter().filter_map(|s| s.name.as_ref()) {
        if let Some(reserved) = RESERVED.iter().find(|r| **r == name.key) {
            out.push(warning(
                NAME,
                name.span,
                format!("Stage name should not use the same name as reserved stage \"{reserved}\""),
            ));
        }
    }
}
