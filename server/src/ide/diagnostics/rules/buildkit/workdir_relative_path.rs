use crate::ide::diagnostics::RuleContext;
use crate::syntax::{Args, Instruction, InstructionKind};

use super::{Diagnostic, stage_chain, stage_instructions, warning};

declare_rule! {
    /// ## What it does
    /// Flags a relative `WORKDIR` when no earlier `WORKDIR` of the stage, or of the stages it is
    /// built from, set an absolute one.
    ///
    /// ## Why is this bad?
    /// A relative path is resolved against the base image's working directory, which the image
    /// maintainers may change; the build then puts files somewhere else without an error.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx
    /// WORKDIR usr/share/nginx/html
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM nginx
    /// WORKDIR /usr/share/nginx/html
    /// ```
    ///
    /// ## References
    /// - BuildKit check `WorkdirRelativePath`: <https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/>
    /// - hadolint DL3000
    name: "WorkdirRelativePath",
    severity: Warning,
    enabled_by_default: true,
    summary: "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes",
    hadolint: ["DL3000"],
    check: model check,
    reads: reads,
}

fn reads(instruction: &Instruction) -> bool {
    instruction.kind == InstructionKind::Workdir
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for stage in &ctx.model.stages {
        let chain = stage_chain(ctx.model, stage.index);
        let set_by_ancestor = chain.iter().skip(1).any(|&ancestor| {
            stage_instructions(ctx, ancestor).any(|(_, i)| i.kind == InstructionKind::Workdir)
        });
        if set_by_ancestor {
            continue;
        }
        let first = stage_instructions(ctx, stage.index)
            .map(|(_, i)| i)
            .find(|i| i.kind == InstructionKind::Workdir);
        let Some(Args::Text(path)) = first.map(|i| &i.args) else {
            continue;
        };
        let value = crate::syntax::unquote(&path.text, ctx.tree.escape);
        if is_absolute(&value) || value.starts_with('$') {
            continue;
        }
        out.push(warning(
            NAME,
            path.span,
            format!(
                "Relative workdir \"{}\" can have unexpected results if the base image changes",
                path.text
            ),
        ));
    }
}

/// A Unix absolute path, or a Windows one (`C:\…`, `C:/…`, `\…`).
fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (bytes.first().is_some_and(u8::is_ascii_alphabetic)
            && bytes.get(1) == Some(&b':')
            && matches!(bytes.get(2), Some(b'\\' | b'/')))
}
