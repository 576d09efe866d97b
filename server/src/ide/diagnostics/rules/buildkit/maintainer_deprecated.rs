use crate::ide::diagnostics::{DiagnosticTag, Fix, RuleContext};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::{Args, Instruction, InstructionKind};

use super::{Diagnostic, warning};

declare_rule! {
    /// ## What it does
    /// Flags the `MAINTAINER` instruction.
    ///
    /// ## Why is this bad?
    /// `MAINTAINER` is deprecated; a label records the author in the image metadata in the
    /// standard OCI way, where tools look for it.
    ///
    /// ## Example
    /// ```dockerfile
    /// MAINTAINER Jane Doe <jane@example.org>
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// LABEL org.opencontainers.image.authors="Jane Doe <jane@example.org>"
    /// ```
    ///
    /// ## References
    /// - BuildKit check `MaintainerDeprecated`: <https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/>
    /// - hadolint DL4000
    name: "MaintainerDeprecated",
    severity: Warning,
    enabled_by_default: true,
    summary: "The MAINTAINER instruction is deprecated, use a label instead to define an image author",
    hadolint: ["DL4000"],
    check: instruction check,
    as_written: [InstructionKind::Maintainer],
}

fn check(
    ctx: &RuleContext<'_>,
    _index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let mut diagnostic = warning(
        NAME,
        instruction.keyword,
        "Maintainer instruction is deprecated in favor of using label",
    );
    diagnostic.tags.push(DiagnosticTag::Deprecated);
    if let Args::Text(author) = &instruction.args
        && instruction.continuations.is_empty()
    {
        let label = format!(
            "LABEL org.opencontainers.image.authors={}",
            double_quoted(&author.text, ctx.tree.escape)
        );
        diagnostic.fixes.push(Fix {
            title: "Replace with LABEL org.opencontainers.image.authors".to_string(),
            change: SourceChange::from_edits(vec![TextEdit::replace(instruction.span, label)]),
            preferred: true,
        });
    }
    out.push(diagnostic);
}

/// `text` as a double-quoted label value that the builder reads back unchanged.
fn double_quoted(text: &str, escape: char) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        if ch == '"' || ch == '$' || ch == escape {
            out.push(escape);
        }
        out.push(ch);
    }
    out.push('"');
    out
}
