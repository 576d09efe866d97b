use crate::ide::diagnostics::{Fix, RuleContext};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::{Instruction, InstructionKind};

use super::{Diagnostic, warning};

declare_rule! {
    /// ## What it does
    /// Flags an `EXPOSE` that names an IP address or a host port (`127.0.0.1:80:80`,
    /// `8080:80`).
    ///
    /// ## Why is this bad?
    /// `EXPOSE` documents the container's ports; which host address and port to publish on is
    /// decided at run time (`docker run -p`). BuildKit ignores the host part and announces this
    /// will become an error.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 127.0.0.1:8080:80
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// EXPOSE 80
    /// ```
    ///
    /// ## References
    /// - BuildKit check `ExposeInvalidFormat`: <https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/>
    name: "ExposeInvalidFormat",
    severity: Warning,
    enabled_by_default: true,
    summary: "IP address and host-port mapping should not be used in EXPOSE instruction",
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
        let Some((_, container_port)) = word.text.rsplit_once(':') else {
            continue;
        };
        let mut diagnostic = warning(
            NAME,
            word.span,
            format!(
                "EXPOSE instruction should not define an IP address or host-port mapping, found '{}'",
                word.text
            ),
        );
        if !container_port.is_empty() && ctx.tree.slice(word.span) == word.text {
            diagnostic.fixes.push(Fix {
                title: format!("Expose only the container port '{container_port}'"),
                change: SourceChange::from_edits(vec![TextEdit::replace(
                    word.span,
                    container_port,
                )]),
                preferred: true,
            });
        }
        out.push(diagnostic);
    }
}
