use crate::ide::diagnostics::{Related, RuleContext};

use super::{Diagnostic, warning};

declare_rule! {
    /// ## What it does
    /// Flags a stage whose name (compared case-insensitively) an earlier stage already uses.
    ///
    /// ## Why is this bad?
    /// References find the stage by name, so one of the two stages cannot be reached by
    /// `--from`, `FROM` or `--target` the way its author meant.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// FROM node:22 AS build
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS build-api
    /// FROM node:22 AS build-web
    /// ```
    ///
    /// ## References
    /// - BuildKit check `DuplicateStageName`: <https://docs.docker.com/go/dockerfile/rule/duplicate-stage-name/>
    /// - hadolint DL3024
    name: "DuplicateStageName",
    severity: Warning,
    enabled_by_default: true,
    summary: "Stage names should be unique",
    hadolint: ["DL3024"],
    check: model check,
    reads: crate::ide::diagnostics::no_other_instructions,
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for (position, stage) in ctx.model.stages.iter().enumerate() {
        let Some(name) = &stage.name else {
            continue;
        };
        let first = ctx
            .model
            .stages
            .iter()
            .take(position)
            .filter_map(|earlier| earlier.name.as_ref())
            .find(|earlier| earlier.key == name.key);
        let Some(first) = first else {
            continue;
        };
        let mut diagnostic = warning(
            NAME,
            name.span,
            format!(
                "Duplicate stage name \"{}\", stage names should be unique",
                name.key
            ),
        );
        diagnostic.related.push(Related {
            span: first.span,
            message: format!("stage \"{}\" first defined here", first.key),
        });
        out.push(diagnostic);
    }
}
