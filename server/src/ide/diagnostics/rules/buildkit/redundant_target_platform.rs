use crate::ide::diagnostics::{Fix, RuleContext};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::{Instruction, InstructionKind, Span};

use super::{Diagnostic, warning};

declare_rule! {
    /// ## What it does
    /// Flags `FROM --platform=$TARGETPLATFORM`.
    ///
    /// ## Why is this bad?
    /// Stages are built for the target platform anyway; the flag adds noise and suggests that
    /// something special happens.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=$TARGETPLATFORM alpine
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine
    /// ```
    ///
    /// ## References
    /// - BuildKit check `RedundantTargetPlatform`: <https://docs.docker.com/go/dockerfile/rule/redundant-target-platform/>
    /// - hadolint DL3065
    name: "RedundantTargetPlatform",
    severity: Warning,
    enabled_by_default: true,
    summary: "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
    hadolint: ["DL3065"],
    check: instruction check,
    as_written: [InstructionKind::From],
}

fn check(
    ctx: &RuleContext<'_>,
    _index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let Some(flag) = instruction.flag("platform") else {
        return;
    };
    let Some(value) = &flag.value else {
        return;
    };
    if value.text != "$TARGETPLATFORM" && value.text != "${TARGETPLATFORM}" {
        return;
    }
    let mut diagnostic = warning(
        NAME,
        flag.span,
        format!(
            "Setting platform to predefined {} in FROM is redundant as this is the default behavior",
            value.text
        ),
    );
    // Blanks up to the end of the instruction: what follows it is another instruction's.
    let rest = ctx
        .tree
        .slice(Span::new(flag.span.end, instruction.span.end));
    let blanks_after = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    diagnostic.fixes.push(Fix {
        title: "Remove --platform".to_string(),
        change: SourceChange::from_edits(vec![TextEdit::delete(Span::new(
            flag.span.start,
            flag.span.end + blanks_after,
        ))]),
        preferred: true,
    });
    out.push(diagnostic);
}
