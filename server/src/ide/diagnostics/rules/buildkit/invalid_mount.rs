use crate::ide::diagnostics::RuleContext;
use crate::knowledge::{MountProblemKind, check_mount};
use crate::syntax::{Instruction, InstructionKind, Span};

use super::{Diagnostic, error};

declare_rule! {
    /// ## What it does
    /// Reports a `RUN --mount` BuildKit rejects: an unknown type, a key the type does not take
    /// (with did-you-mean), a bad value (`sharing=`, `mode=`, sizes, booleans), a missing
    /// required key, or a variable in `from=`.
    ///
    /// ## Why is this bad?
    /// BuildKit fails before the build starts, e.g. `unsupported mount type "cahce"` or
    /// `unexpected key 'traget' in 'traget=/root/.cache'`.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN --mount=type=cahce,traget=/root/.cache pip install -r requirements.txt
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt
    /// ```
    ///
    /// ## References
    /// - Dockerfile reference, RUN --mount: <https://docs.docker.com/reference/dockerfile/#run---mount>
    name: "InvalidMount",
    severity: Error,
    enabled_by_default: true,
    summary: "RUN --mount must use a known type, its keys and valid values",
    hadolint: [],
    check: instruction check,
    on: [InstructionKind::Run],
}

fn check(
    ctx: &RuleContext<'_>,
    _index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    for value in instruction
        .flags_named("mount")
        .filter_map(|f| f.value.as_ref())
    {
        // Offsets inside the value map to the document only when it is written as is
        // (no quotes or continuations in between).
        let written_as_is = ctx.tree.slice(value.span) == value.text;
        for problem in check_mount(&value.text) {
            if problem.kind != MountProblemKind::BuildKitError {
                continue;
            }
            let span = if written_as_is {
                Span::new(
                    value.span.start + problem.span.start,
                    value.span.start + problem.span.end,
                )
            } else {
                value.span
            };
            out.push(error(NAME, span, problem.message));
        }
    }
}
