use crate::ide::SourceChange;
use crate::ide::diagnostics::{Fix, RuleContext};

use super::{Diagnostic, rename_stage_edits, warning};

declare_rule! {
    /// ## What it does
    /// Flags a stage name (`FROM … AS Name`) that is not all lower case.
    ///
    /// ## Why is this bad?
    /// BuildKit lower-cases stage names, so `Builder`, `builder` and `BUILDER` are one stage;
    /// mixed spellings make references look like different stages, and `FROM Builder` does not
    /// find the stage at all (FROM matches the lower-case name only).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine AS BuilderBase
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine AS builder-base
    /// ```
    /// The fix renames the stage and every reference to it.
    ///
    /// ## References
    /// - BuildKit check `StageNameCasing`: <https://docs.docker.com/go/dockerfile/rule/stage-name-casing/>
    name: "StageNameCasing",
    severity: Warning,
    enabled_by_default: true,
    summary: "Stage names should be lowercase",
    hadolint: [],
    check: document check,
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for stage in &ctx.model.stages {
        let Some(name) = &stage.name else {
            continue;
        };
        if name.text == name.key {
            continue;
        }
        let mut diagnostic = warning(
            NAME,
            name.span,
            format!("Stage name '{}' should be lowercase", name.text),
        );
        diagnostic.fixes.push(Fix {
            title: format!("Rename stage to '{}'", name.key),
            change: SourceChange::from_edits(rename_stage_edits(ctx.model, stage.index, &name.key)),
            preferred: true,
        });
        out.push(diagnostic);
    }
}
