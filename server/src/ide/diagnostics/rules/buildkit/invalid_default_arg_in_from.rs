use std::collections::HashMap;

use crate::ide::diagnostics::RuleContext;
use crate::knowledge::{ArgScope, predefined_arg};
use crate::syntax::{Args, unquote, vars::scan_text};

use super::{Diagnostic, warning};

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` whose image, expanded with the global ARGs' default values only (no
    /// `--build-arg`), is empty or not a valid image reference.
    ///
    /// ## Why is this bad?
    /// The build only works when the caller remembers to pass the argument; with the defaults
    /// it fails, e.g. `busybox:` for an empty tag.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG TAG
    /// FROM busybox:${TAG}
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ARG TAG=1.37
    /// FROM busybox:${TAG}
    /// ```
    /// or `FROM busybox:${TAG:-1.37}`.
    ///
    /// ## References
    /// - BuildKit check `InvalidDefaultArgInFrom`: <https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/>
    name: "InvalidDefaultArgInFrom",
    severity: Warning,
    enabled_by_default: true,
    summary: "Default value for global ARG results in an empty or invalid base image name",
    hadolint: [],
    check: model check,
    reads: crate::ide::diagnostics::no_other_instructions,
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    // Every FROM comes after all global ARGs, so a base expands the same in every stage.
    let mut expansions: HashMap<&str, (String, bool)> = HashMap::new();
    for stage in &ctx.model.stages {
        let Some(base) = &stage.base else {
            continue;
        };
        if !base.text.contains('$') {
            continue;
        }
        let Some(from) = ctx.tree.instructions.get(stage.from_instruction) else {
            continue;
        };
        let (expanded, valid) = expansions.entry(&base.text).or_insert_with(|| {
            let expanded = unquote(
                &expand_with_defaults(ctx, from.span.start, &base.text),
                ctx.tree.escape,
            );
            let valid = is_valid_reference(&expanded);
            (expanded, valid)
        });
        // A valid image reference is the usual case; only an invalid one may still name a stage.
        let is_stage = || {
            ctx.model
                .stages
                .iter()
                .take(stage.index)
                .any(|s| s.name.as_ref().is_some_and(|n| n.key == *expanded))
        };
        if *valid || is_stage() {
            continue;
        }
        out.push(warning(
            NAME,
            base.span,
            format!(
                "Default value for ARG {} results in empty or invalid base image name",
                base.text
            ),
        ));
    }
}

/// The default of the last global `ARG name` declared before `before`, itself expanded with the
/// ARGs declared before it (as BuildKit builds the global scope); `Some(None)` for `ARG name`
/// without a value.
fn global_default(ctx: &RuleContext<'_>, before: usize, name: &str) -> Option<Option<String>> {
    ctx.model.global_args.iter().rev().find_map(|&index| {
        let instruction = ctx.tree.instructions.get(index)?;
        if instruction.span.start >= before {
            return None;
        }
        let Args::Pairs(pairs) = &instruction.args else {
            return None;
        };
        let pair = pairs.iter().rev().find(|pair| pair.key.text == name)?;
        Some(pair.value.as_ref().map(|value| {
            let expanded = expand_with_defaults(ctx, instruction.span.start, &value.text);
            unquote(&expanded, ctx.tree.escape)
        }))
    })
}

/// Expands `text` like BuildKit's shell lexer with only the defaults, honouring the `-`/`+`
/// modifiers (with `:` they also treat an empty value as unset). Predefined platform ARGs take
/// a typical value.
fn expand_with_defaults(ctx: &RuleContext<'_>, before: usize, text: &str) -> String {
    let mut refs = Vec::new();
    scan_text(text, ctx.tree.escape, &mut refs);
    let mut out = String::new();
    let mut cursor = 0;
    for reference in &refs {
        if reference.span.start < cursor {
            continue;
        }
        out.push_str(text.get(cursor..reference.span.start).unwrap_or(""));
        let value = global_default(ctx, before, &reference.name)
            .flatten()
            .or_else(|| predefined_value(&reference.name).map(str::to_string));
        let replacement = match &reference.modifier {
            None => value.unwrap_or_default(),
            Some(modifier) => {
                let word = text
                    .get(modifier.word.start..modifier.word.end)
                    .unwrap_or("");
                let colon = modifier.operator.starts_with(':');
                let set = value.as_ref().is_some_and(|v| !colon || !v.is_empty());
                match modifier.operator.trim_start_matches(':') {
                    "-" if set => value.unwrap_or_default(),
                    "-" => expand_with_defaults(ctx, before, word),
                    "+" if set => expand_with_defaults(ctx, before, word),
                    "+" => String::new(),
                    _ => value.unwrap_or_default(),
                }
            }
        };
        out.push_str(&replacement);
        cursor = reference.span.end;
    }
    out.push_str(text.get(cursor..).unwrap_or(""));
    out
}

/// What BuildKit sets a platform ARG to on a typical build (the knowledge table's example).
fn predefined_value(name: &str) -> Option<&'static str> {
    predefined_arg(name)
        .filter(|arg| arg.scope == ArgScope::GlobalOnly)
        .map(|arg| arg.example)
}

/// Docker's reference grammar: `[domain[:port]/]path[:tag][@digest]`, lower-case path
/// components joined by `.`, `_`, `__` or dashes.
fn is_valid_reference(text: &str) -> bool {
    let (name_and_tag, digest) = match text.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (text, None),
    };
    if let Some(digest) = digest {
        let Some((algorithm, hex)) = digest.split_once(':') else {
            return false;
        };
        if algorithm.is_empty() || hex.len() < 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return false;
        }
    }
    let last_slash = name_and_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_and_tag
        .get(last_slash..)
        .and_then(|tail| tail.rfind(':'))
    {
        Some(colon) => (
            name_and_tag.get(..last_slash + colon).unwrap_or(""),
            Some(name_and_tag.get(last_slash + colon + 1..).unwrap_or("")),
        ),
        None => (name_and_tag, None),
    };
    if let Some(tag) = tag {
        let valid_tag = tag.len() <= 128
            && tag
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
            && tag
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if !valid_tag {
            return false;
        }
    }
    let mut components: Vec<&str> = name.split('/').collect();
    if components.len() > 1 {
        let domain = components.first().copied().unwrap_or("");
        let looks_like_domain = domain.contains(['.', ':'])
            || domain == "localhost"
            || domain.bytes().any(|b| b.is_ascii_uppercase());
        if looks_like_domain {
            if !is_valid_domain(domain) {
                return false;
            }
            components.remove(0);
        }
    }
    !components.is_empty() && components.iter().all(|c| is_path_component(c))
}

fn is_valid_domain(domain: &str) -> bool {
    let (host, port) = match domain.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (domain, None),
    };
    port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn is_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !bytes.first().is_some_and(alnum) || !bytes.last().is_some_and(alnum) {
        return false;
    }
    let mut separator = String::new();
    for &b in bytes {
        if alnum(&b) {
            if !(separator.is_empty()
                || separator == "."
                || separator == "_"
                || separator == "__"
                || separator.bytes().all(|s| s == b'-'))
            {
                return false;
            }
            separator.clear();
        } else if matches!(b, b'.' | b'_' | b'-') {
            separator.push(b as char);
        } else {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::is_valid_reference;

    #[test]
    fn references() {
        for valid in [
            "busybox",
            "busybox:stable",
            "docker.io/library/busybox:1.37",
            "localhost:5000/team/app_x__y:v1.0-rc",
            "ghcr.io/a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(is_valid_reference(valid), "{valid}");
        }
        for invalid in [
            "", "busybox:", "Busybox", "busy box", ":tag", "a//b", "a:b:c", "-a",
        ] {
            assert!(!is_valid_reference(invalid), "{invalid}");
        }
    }
}
