use crate::ide::diagnostics::{Fix, RuleContext};
use crate::ide::{SourceChange, TextEdit};
use crate::knowledge::{flag, suggest_flag};
use crate::syntax::Instruction;

use super::{Diagnostic, error};

declare_rule! {
    /// ## What it does
    /// Reports a flag the instruction does not take (with the closest one it does take), and a
    /// flag value BuildKit rejects: a missing value, a non-boolean for `--link`, an unknown
    /// `--network` or `--security` mode, a malformed `HEALTHCHECK` duration or retry count.
    ///
    /// ## Why is this bad?
    /// BuildKit fails before the build starts, e.g. `unknown flag: --chwon (did you mean
    /// chown?)`.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY --chwon=app:app . /app
    /// HEALTHCHECK --interval=30 CMD curl -f http://localhost/
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// COPY --chown=app:app . /app
    /// HEALTHCHECK --interval=30s CMD curl -f http://localhost/
    /// ```
    ///
    /// ## References
    /// - Dockerfile reference: <https://docs.docker.com/reference/dockerfile/>
    name: "InvalidFlag",
    severity: Error,
    enabled_by_default: true,
    summary: "Flags must exist for the instruction and have valid values",
    hadolint: [],
    check: instruction check,
}

fn check(
    _ctx: &RuleContext<'_>,
    _index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let instruction = instruction.effective();
    for written in &instruction.flags {
        let Some(info) = flag(instruction.kind, &written.name) else {
            let suggestion = suggest_flag(instruction.kind, &written.name);
            let mut message = format!("unknown flag: --{}", written.name);
            if let Some(suggestion) = suggestion {
                message.push_str(&format!(" (did you mean {suggestion}?)"));
            }
            let mut diagnostic = error(NAME, written.name_span, message);
            if let Some(suggestion) = suggestion {
                diagnostic.fixes.push(Fix {
                    title: format!("Change to --{suggestion}"),
                    change: SourceChange::from_edits(vec![TextEdit::replace(
                        written.name_span,
                        format!("--{suggestion}"),
                    )]),
                    preferred: true,
                });
            }
            out.push(diagnostic);
            continue;
        };
        let value = written.value.as_ref().map(|v| v.text.as_str());
        if let Some(message) = info.check_value(value) {
            let span = written
                .value
                .as_ref()
                .filter(|v| !v.span.is_empty())
                .map_or(written.span, |v| v.span);
            out.push(error(NAME, span, message));
        }
    }
}
