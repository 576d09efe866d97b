use crate::ide::diagnostics::{Fix, Related, RuleContext};
use crate::ide::{SourceChange, TextEdit};
use crate::model::{Resolution, StageRef, StageRefKind};
use crate::syntax::Span;

use super::{Diagnostic, error};

declare_rule! {
    /// ## What it does
    /// Reports a `FROM` naming an earlier stage in the wrong case (FROM matches stages by their
    /// lower-case name only), and a `COPY --from` or `RUN --mount=…,from=` that BuildKit cannot
    /// resolve: a stage
    /// defined later, the stage itself, a cycle between stages, a stage index that is not an
    /// earlier stage, or a variable (in `from=` of a mount: see InvalidMount).
    ///
    /// ## Why is this bad?
    /// BuildKit only sees stages defined before the current one and does not expand
    /// variables in `--from`; each of these fails the build.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine AS app
    /// COPY --from=build /out /app
    /// FROM golang:1.23 AS build
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// FROM alpine AS app
    /// COPY --from=build /out /app
    /// ```
    ///
    /// ## References
    /// - Dockerfile reference, COPY --from: <https://docs.docker.com/reference/dockerfile/#copy---from>
    /// - hadolint DL3023 (copy from itself)
    name: "InvalidStageReference",
    severity: Error,
    enabled_by_default: true,
    summary: "--from must name an earlier stage, without variables",
    hadolint: ["DL3023"],
    check: model check,
    reads: crate::ide::diagnostics::no_other_instructions,
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for reference in &ctx.model.stage_refs {
        let is_mount = match reference.kind {
            StageRefKind::CopyFrom => false,
            StageRefKind::MountFrom => true,
            StageRefKind::From => {
                if let Resolution::CaseMismatch(stage) = reference.resolution {
                    out.extend(from_case_mismatch(ctx, reference, stage));
                }
                continue;
            }
            _ => continue,
        };
        let current = || {
            ctx.model
                .stages
                .get(reference.stage)
                .map(|stage| stage.display_name())
                .unwrap_or_default()
        };
        let (message, target) = match reference.resolution {
            // InvalidMount reports it with the rest of the mount's problems.
            Resolution::Variable if is_mount => continue,
            Resolution::Forward(target) if is_mount => (
                format!(
                    "cannot mount from stage {:?} to {:?}, stage needs to be defined before current command",
                    reference.text,
                    mount_target(ctx, reference)
                ),
                Some(target),
            ),
            Resolution::Forward(target) => (
                format!(
                    "cannot copy from stage {:?}, it needs to be defined before current stage {:?}",
                    reference.text,
                    current()
                ),
                Some(target),
            ),
            Resolution::SelfReference => (
                format!("circular dependency detected on stage: {}", current()),
                None,
            ),
            Resolution::Cycle(target) => (
                format!("circular dependency detected on stage: {}", reference.text),
                Some(target),
            ),
            Resolution::InvalidIndex(index) => (format!("invalid stage index {index}"), None),
            Resolution::Variable => (
                "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround".to_string(),
                None,
            ),
            _ => continue,
        };
        let mut diagnostic = error(NAME, reference.span, message);
        if let Some(stage) = target.and_then(|t| ctx.model.stages.get(t)) {
            let span = stage.name.as_ref().map_or(stage.span, |name| name.span);
            diagnostic.related.push(Related {
                span,
                message: format!("stage {:?} is defined here", stage.display_name()),
            });
        }
        out.push(diagnostic);
    }
}

/// `FROM Builder` with a stage `builder`: FROM looks stages up by their lower-case name only,
/// so this is read as an image name, which may not have capitals.
fn from_case_mismatch(
    ctx: &RuleContext<'_>,
    reference: &StageRef,
    stage: usize,
) -> Option<Diagnostic> {
    let name = ctx.model.stages.get(stage)?.name.as_ref()?;
    let mut diagnostic = error(
        NAME,
        reference.span,
        format!(
            "invalid reference format: repository name must be lowercase (did you mean stage {:?}?)",
            name.key
        ),
    );
    diagnostic.related.push(Related {
        span: name.span,
        message: format!("stage {:?} is defined here", name.key),
    });
    diagnostic.fixes.push(Fix {
        title: format!("Change to {}", name.key),
        change: SourceChange::from_edits(vec![TextEdit::replace(reference.span, &name.key)]),
        preferred: true,
    });
    Some(diagnostic)
}

/// The `target=` of the mount holding `reference`.
fn mount_target(ctx: &RuleContext<'_>, reference: &StageRef) -> String {
    let Some(instruction) = ctx.tree.instructions.get(reference.instruction) else {
        return String::new();
    };
    instruction
        .flags_named("mount")
        .filter_map(|flag| flag.value.as_ref())
        .find(|value| {
            value
                .span
                .contains_span(Span::new(reference.span.start, reference.span.start))
        })
        .and_then(|value| {
            value.text.split(',').find_map(|part| {
                let (key, target) = part.split_once('=')?;
                matches!(
                    key.trim().to_lowercase().as_str(),
                    "target" | "dst" | "destination"
                )
                .then(|| target.to_string())
            })
        })
        .unwrap_or_default()
}
