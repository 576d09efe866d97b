use crate::ide::diagnostics::RuleContext;
use crate::ide::diagnostics::dockerignore::{Dockerignore, clean_path};
use crate::syntax::{Args, Instruction, InstructionKind, Word};

use super::{Diagnostic, warning};

declare_rule! {
    /// ## What it does
    /// Flags a `COPY` or `ADD` source from the build context that `.dockerignore` leaves out.
    /// Sources from another stage or image (`--from`), URLs, heredocs and sources with variables
    /// are not checked, and neither is anything when `.dockerignore` re-includes files with `!`.
    ///
    /// ## Why is this bad?
    /// An ignored file is not sent to the builder: the build fails with "not found", or a
    /// wildcard silently copies less than it seems to.
    ///
    /// ## Example
    /// With `.dockerignore` containing `*.env`:
    /// ```dockerfile
    /// COPY production.env /app/
    /// ```
    ///
    /// ## Use instead
    /// Remove the pattern from `.dockerignore`, or pass the file as a secret
    /// (`RUN --mount=type=secret,…`) if it must stay out of the context.
    ///
    /// ## References
    /// - BuildKit check `CopyIgnoredFile`: <https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/>
    name: "CopyIgnoredFile",
    severity: Warning,
    enabled_by_default: true,
    summary: "Attempting to Copy file that is excluded by .dockerignore",
    hadolint: [],
    check: instruction check,
    as_written: [InstructionKind::Copy, InstructionKind::Add],
}

fn check(
    ctx: &RuleContext<'_>,
    _index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let Some(ignore) = ctx.dockerignore() else {
        return;
    };
    if ignore.has_exclusions() {
        return;
    }
    let verb = match instruction.kind {
        InstructionKind::Copy => "Copy",
        InstructionKind::Add => "Add",
        _ => return,
    };
    if instruction.flag("from").is_some() {
        return;
    }
    let words: &[Word] = match &instruction.args {
        Args::Exec(exec) => &exec.items,
        Args::Words(words) => words,
        _ => return,
    };
    let Some((_, sources)) = words.split_last() else {
        return;
    };
    for source in sources {
        let Some(path) = context_path(&source.text, instruction.kind) else {
            continue;
        };
        let excluded = if path == "." {
            excludes_everything(ignore)
        } else {
            ignore.excludes(&path)
        };
        if excluded {
            out.push(warning(
                NAME,
                source.span,
                format!(
                    "Attempting to {verb} file {} that is excluded by .dockerignore",
                    serde_json::to_string(&path).unwrap_or_default()
                ),
            ));
        }
    }
}

/// The source as a cleaned context path, or `None` when it does not name context files
/// statically (heredocs, variables, URLs and git sources of ADD).
fn context_path(source: &str, kind: InstructionKind) -> Option<String> {
    if source.starts_with("<<") || source.contains('$') {
        return None;
    }
    let is_remote = ["http://", "https://", "git@", "git://"]
        .iter()
        .any(|prefix| source.starts_with(prefix));
    if kind == InstructionKind::Add && is_remote {
        return None;
    }
    let cleaned = clean_path(source);
    let relative = cleaned.trim_start_matches('/');
    Some(if relative.is_empty() {
        ".".to_string()
    } else {
        relative.to_string()
    })
}

/// The context root itself is excluded only by a pattern that matches every name at the top
/// (BuildKit warns for `*` but not for `.*`).
fn excludes_everything(ignore: &Dockerignore) -> bool {
    ignore.excludes("a-name-no-pattern-mentions") && ignore.excludes(".a-hidden-name")
}
