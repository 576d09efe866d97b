use crate::ide::diagnostics::RuleContext;
use crate::knowledge::{ArgScope, predefined_args};
use crate::model::{VarDefKind, VarResolution};
use crate::syntax::Expansion;

use super::{Diagnostic, suggest, warning};

declare_rule! {
    /// ## What it does
    /// Flags a variable in a `FROM` line (image or `--platform`) that no global `ARG` declares
    /// and BuildKit does not predefine, suggesting a close declared name.
    ///
    /// ## Why is this bad?
    /// `FROM` sees only the ARGs declared before the first `FROM`; an undeclared one expands to
    /// an empty string, so `node:22${VARIANT}` silently becomes `node:22`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22${VARIANT}
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ARG VARIANT=-alpine
    /// FROM node:22${VARIANT}
    /// ```
    ///
    /// ## References
    /// - BuildKit check `UndefinedArgInFrom`: <https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/>
    name: "UndefinedArgInFrom",
    severity: Warning,
    enabled_by_default: true,
    summary: "FROM command must use declared ARGs",
    hadolint: [],
    check: document check,
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let declared: Vec<&str> = ctx
        .model
        .var_defs
        .iter()
        .filter(|def| def.kind == VarDefKind::GlobalArg)
        .map(|def| def.name.as_str())
        .chain(
            predefined_args()
                .iter()
                .filter(|arg| arg.scope == ArgScope::GlobalOnly)
                .map(|arg| arg.name),
        )
        .collect();
    // One pass over the uses (a file has thousands, and a stage per FROM).
    let from_instructions: Vec<usize> = ctx
        .model
        .stages
        .iter()
        .map(|stage| stage.from_instruction)
        .collect();
    for var in ctx.model.var_uses.iter().filter(|var| {
        var.reference.expansion == Expansion::Builder
            && var.resolution == VarResolution::Undefined
            && from_instructions.binary_search(&var.instruction).is_ok()
    }) {
        let name = &var.reference.name;
        let mut message = format!("FROM argument '{name}' is not declared");
        if let Some(suggestion) = suggest(name, declared.iter().copied()) {
            message.push_str(&format!(" (did you mean {suggestion}?)"));
        }
        out.push(warning(NAME, var.reference.name_span, message));
    }
}
