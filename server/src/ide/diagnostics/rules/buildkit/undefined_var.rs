use crate::ide::diagnostics::{Fix, RuleContext};
use crate::ide::{SourceChange, TextEdit};
use crate::knowledge::predefined_arg;
use crate::model::{VarDefKind, VarResolution, VarUse};
use crate::syntax::{Expansion, InstructionKind};

use super::{Diagnostic, root_base, suggest, warning};

declare_rule! {
    /// ## What it does
    /// Flags a variable the builder expands (in `COPY`, `ENV`, `WORKDIR`, `LABEL`, …; not in
    /// shell-form `RUN`/`CMD`/`ENTRYPOINT`, where the shell expands) that no `ARG` or `ENV`
    /// defines at that point.
    ///
    /// To stay free of false positives it reports only where the whole environment is known
    /// (stages built from `scratch` or from images known to define nothing but `PATH`), or where
    /// the name is a close typo of a defined one; names a base image could define are never
    /// reported on other images.
    ///
    /// ## Why is this bad?
    /// An undefined variable expands to an empty string: `COPY $DIST_DIR /app` copies the whole
    /// context, `ENV PATH=$PAHT:/opt/bin` drops the system path. A global ARG is not visible in
    /// a stage until the stage declares it again with `ARG NAME`.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG APP_DIR=/app
    /// FROM alpine
    /// WORKDIR $APP_DIR
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ARG APP_DIR=/app
    /// FROM alpine
    /// ARG APP_DIR
    /// WORKDIR $APP_DIR
    /// ```
    ///
    /// ## References
    /// - BuildKit check `UndefinedVar`: <https://docs.docker.com/go/dockerfile/rule/undefined-var/>
    name: "UndefinedVar",
    severity: Warning,
    enabled_by_default: true,
    summary: "Variables should be defined before their use",
    hadolint: [],
    check: document check,
}

/// Images whose configuration sets no variable but `PATH` (and distroless's certificate path).
const MINIMAL_IMAGES: [&str; 5] = [
    "alpine",
    "busybox",
    "debian",
    "ubuntu",
    "gcr.io/distroless/",
];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for var in &ctx.model.var_uses {
        if let Some(diagnostic) = undefined(ctx, var) {
            out.push(diagnostic);
        }
    }
}

fn undefined(ctx: &RuleContext<'_>, var: &VarUse) -> Option<Diagnostic> {
    let reference = &var.reference;
    let stage = ctx.model.stages.get(var.stage?)?;
    let instruction = ctx.tree.instructions.get(var.instruction)?;
    if reference.expansion != Expansion::Builder
        || var.resolution != VarResolution::Undefined
        || reference.modifier.is_some()
        || var.instruction == stage.from_instruction
        || instruction.kind == InstructionKind::Arg
        || predefined_arg(&reference.name).is_some()
    {
        return None;
    }
    let image_env = image_environment(root_base(ctx.model, stage.index));
    let name = reference.name.as_str();
    if image_env.is_some_and(|env| env.contains(&name)) {
        return None;
    }
    let visible = ctx
        .model
        .visible_vars(var.instruction, Expansion::Builder)
        .into_iter()
        .filter_map(|resolution| match resolution {
            VarResolution::Defined(index) => ctx.model.var_defs.get(index).map(|d| d.name.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>();
    let candidates = visible
        .iter()
        .copied()
        .chain(image_env.unwrap_or(&["PATH"]).iter().copied());
    let suggestion = suggest(name, candidates);
    let environment_known = image_env.is_some();
    if !environment_known && (suggestion.is_none() || could_come_from_an_image(name)) {
        return None;
    }
    let mut message = format!("Usage of undefined variable '${name}'");
    if let Some(suggestion) = suggestion {
        message.push_str(&format!(" (did you mean ${suggestion}?)"));
    }
    let mut diagnostic = warning(NAME, reference.name_span, message);
    if let Some(suggestion) = suggestion {
        diagnostic.fixes.push(Fix {
            title: format!("Change to ${suggestion}"),
            change: SourceChange::from_edits(vec![TextEdit::replace(
                reference.name_span,
                suggestion,
            )]),
            preferred: true,
        });
    }
    let is_global_arg = ctx
        .model
        .var_defs
        .iter()
        .any(|def| def.kind == VarDefKind::GlobalArg && def.name == name);
    if is_global_arg && let Some(from) = ctx.tree.instructions.get(stage.from_instruction) {
        diagnostic.fixes.push(Fix {
            title: format!("Declare the global ARG {name} in this stage"),
            change: SourceChange::from_edits(vec![TextEdit::insert(
                from.span.end,
                format!("\nARG {name}"),
            )]),
            preferred: suggestion.is_none(),
        });
    }
    Some(diagnostic)
}

/// The variables an image's configuration sets, when the image is one whose environment is
/// known; `None` for any other image, whose environment could hold anything.
fn image_environment(base: Option<&str>) -> Option<&'static [&'static str]> {
    let base = base?;
    if base == "scratch" {
        return Some(&[]);
    }
    let name = base
        .split(['@'])
        .next()
        .unwrap_or(base)
        .trim_start_matches("docker.io/")
        .trim_start_matches("library/");
    let repository = match name.rfind(':') {
        Some(colon) if !name.get(colon..).is_some_and(|tag| tag.contains('/')) => {
            name.get(..colon).unwrap_or(name)
        }
        _ => name,
    };
    MINIMAL_IMAGES
        .iter()
        .any(|image| match image.strip_suffix('/') {
            Some(prefix) => repository.starts_with(prefix),
            None => repository == *image,
        })
        .then_some(&["PATH", "SSL_CERT_FILE"][..])
}

/// Names official images commonly set (`NODE_VERSION`, `JAVA_HOME`, …): never reported as typos
/// on images whose environment is unknown.
fn could_come_from_an_image(name: &str) -> bool {
    const SUFFIXES: [&str; 5] = ["_VERSION", "_HOME", "_SHA256", "_PATH", "_DIR"];
    const PREFIXES: [&str; 8] = [
        "PHP",
        "DOTNET_",
        "ASPNETCORE_",
        "BUNDLE_",
        "PYTHON",
        "GO",
        "NGINX_",
        "LC_",
    ];
    const NAMES: [&str; 6] = ["PATH", "HOME", "LANG", "LANGUAGE", "TZ", "USER"];
    NAMES.contains(&name)
        || SUFFIXES.iter().any(|suffix| name.ends_with(suffix))
        || PREFIXES.iter().any(|prefix| name.starts_with(prefix))
}
