use crate::ide::diagnostics::{Fix, RuleContext};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::{Args, Instruction, InstructionKind, PairSeparator};

use super::{Diagnostic, warning};

declare_rule! {
    /// ## What it does
    /// Flags `ENV key value` and `LABEL key value`, the legacy form without `=`.
    ///
    /// ## Why is this bad?
    /// The legacy form takes the whole rest of the line as the value and allows one pair per
    /// instruction; `ENV A B C=D` does not mean what it seems to. The `key=value` form is
    /// explicit and allows several pairs.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV DEPS curl git
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ENV DEPS="curl git"
    /// ```
    ///
    /// ## References
    /// - BuildKit check `LegacyKeyValueFormat`: <https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/>
    name: "LegacyKeyValueFormat",
    severity: Warning,
    enabled_by_default: true,
    summary: "Legacy key/value format with whitespace separator should not be used",
    hadolint: [],
    check: instruction check,
    on: [InstructionKind::Env, InstructionKind::Label],
}

fn check(
    ctx: &RuleContext<'_>,
    _index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let keyword = match instruction.kind {
        InstructionKind::Env => "ENV",
        InstructionKind::Label => "LABEL",
        _ => return,
    };
    let Args::Pairs(pairs) = &instruction.args else {
        return;
    };
    for pair in pairs {
        if pair.separator != PairSeparator::Space {
            continue;
        }
        let Some(value) = &pair.value else {
            continue;
        };
        let mut diagnostic = warning(
            NAME,
            pair.span,
            format!(
                "\"{keyword} key=value\" should be used instead of legacy \"{keyword} key value\" format"
            ),
        );
        if let Some(new_value) = equals_value(&value.text, ctx.tree.escape)
            && ctx.tree.slice(pair.span).ends_with(value.text.as_str())
        {
            diagnostic.fixes.push(Fix {
                title: format!("Use {keyword} {}={new_value}", pair.key.text),
                change: SourceChange::from_edits(vec![TextEdit::replace(
                    pair.span,
                    format!("{}={new_value}", pair.key.text),
                )]),
                preferred: true,
            });
        }
        out.push(diagnostic);
    }
}

/// The legacy value written for `key=…`: as is when it is one plain word, double-quoted when it
/// has blanks. Values with quotes or escapes are left to the author: requoting them mechanically
/// could change what the builder reads.
fn equals_value(value: &str, escape: char) -> Option<String> {
    if value.contains(['"', '\'', '\n']) || value.contains(escape) {
        return None;
    }
    if value.contains(char::is_whitespace) {
        Some(format!("\"{value}\""))
    } else {
        Some(value.to_string())
    }
}
