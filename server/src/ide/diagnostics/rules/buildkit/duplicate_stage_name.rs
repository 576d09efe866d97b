use std::collections::HashMap;

use crate::ide::diagnostics::{Related, RuleContext};
use crate::model::StageName;

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
    let mut first_by_key: HashMap<&str, &StageName> = HashMap::new();
    for name in ctx
        .model
        .stages
        .iter()
        .filter_map(|stage| stage.name.as_ref())
    {
        let first = *first_by_key.entry(name.key.as_str()).or_insert(name);
        if std::ptr::eq(first, name) {
            continue;
        }
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
