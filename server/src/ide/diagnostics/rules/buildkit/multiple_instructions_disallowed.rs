use crate::ide::diagnostics::{DiagnosticTag, Fix, Related, RuleContext};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::InstructionKind;

use super::{Diagnostic, stage_instructions, warning, whole_lines};

declare_rule! {
    /// ## What it does
    /// Flags a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` that a later one in the same stage
    /// overrides. The earlier, ignored instruction is reported.
    ///
    /// ## Why is this bad?
    /// Only the last of each takes effect; the earlier one is dead code that misleads readers.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine
    /// CMD ["./server"]
    /// CMD ["./server", "--verbose"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine
    /// CMD ["./server", "--verbose"]
    /// ```
    ///
    /// ## References
    /// - BuildKit check `MultipleInstructionsDisallowed`: <https://docs.docker.com/go/dockerfile/rule/multiple-instructions-disallowed/>
    /// - hadolint DL4003 (CMD), DL4004 (ENTRYPOINT), DL3012 (HEALTHCHECK)
    name: "MultipleInstructionsDisallowed",
    severity: Warning,
    enabled_by_default: true,
    summary: "Multiple instructions of the same type should not be used in the same stage",
    hadolint: ["DL4003", "DL4004", "DL3012"],
    check: model check,
    reads: reads,
}

/// The kinds whose count per stage the rule reads, and the text of which its fix deletes.
fn reads(instruction: &crate::syntax::Instruction) -> bool {
    SINGLE.contains(&instruction.kind)
}

const SINGLE: [InstructionKind; 3] = [
    InstructionKind::Cmd,
    InstructionKind::Entrypoint,
    InstructionKind::Healthcheck,
];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for stage in &ctx.model.stages {
        for kind in SINGLE {
            let all: Vec<_> = stage_instructions(ctx, stage.index)
                .filter(|(_, i)| i.kind == kind)
                .map(|(_, i)| i)
                .collect();
            let Some((last, earlier)) = all.split_last() else {
                continue;
            };
            for instruction in earlier {
                let mut diagnostic = warning(
                    NAME,
                    instruction.keyword,
                    format!(
                        "Multiple {} instructions should not be used in the same stage because only the last one will be used",
                        kind.name()
                    ),
                );
                diagnostic.tags.push(DiagnosticTag::Unnecessary);
                diagnostic.related.push(Related {
                    span: last.keyword,
                    message: format!("the {} that takes effect", kind.name()),
                });
                diagnostic.fixes.push(Fix {
                    title: format!("Remove the overridden {}", kind.name()),
                    change: SourceChange::from_edits(vec![TextEdit::delete(whole_lines(
                        ctx.tree,
                        instruction.span,
                    ))]),
                    preferred: false,
                });
                out.push(diagnostic);
            }
        }
    }
}
