use crate::ide::diagnostics::{Fix, RuleContext};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::{Instruction, InstructionKind};

use super::{Diagnostic, warning};

declare_rule! {
    /// ## What it does
    /// Flags an `EXPOSE` protocol that is not lower case (`80/TCP`).
    ///
    /// ## Why is this bad?
    /// The protocol is recorded as written; tools comparing `80/tcp` with `80/TCP` see two
    /// different ports.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 80/TCP
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// EXPOSE 80/tcp
    /// ```
    ///
    /// ## References
    /// - BuildKit check `ExposeProtoCasing`: <https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/>
    name: "ExposeProtoCasing",
    severity: Warning,
    enabled_by_default: true,
    summary: "Protocol in EXPOSE instruction should be lowercase",
    hadolint: [],
    check: instruction check,
    on: [InstructionKind::Expose],
}

fn check(
    ctx: &RuleContext<'_>,
    _index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    for word in instruction.words() {
        let Some((_, protocol)) = word.text.split_once('/') else {
            continue;
        };
        if protocol == protocol.to_lowercase() {
            continue;
        }
        let mut diagnostic = warning(
            NAME,
            word.span,
            format!(
                "Defined protocol '{}' in EXPOSE instruction should be lowercase",
                word.text
            ),
        );
        if ctx.tree.slice(word.span) == word.text {
            let fixed = word.text.to_lowercase();
            diagnostic.fixes.push(Fix {
                title: format!("Write '{fixed}'"),
                change: SourceChange::from_edits(vec![TextEdit::replace(word.span, fixed)]),
                preferred: true,
            });
        }
        out.push(diagnostic);
    }
}
