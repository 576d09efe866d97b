use crate::ide::diagnostics::RuleContext;
use crate::syntax::InstructionKind;

use super::{Diagnostic, warning};

declare_rule! {
    /// ## What it does
    /// Flags `FROM --platform=` with a constant value such as `linux/amd64`, unless the stage
    /// name mentions that OS or architecture (`AS build-amd64`).
    ///
    /// ## Why is this bad?
    /// A fixed platform makes the stage build for that platform whatever the target is, so a
    /// multi-platform build ships the wrong binaries (or runs them under emulation). Use
    /// `$BUILDPLATFORM` for build tools and leave the target stages to `$TARGETPLATFORM`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 golang:1.23 AS build
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM --platform=$BUILDPLATFORM golang:1.23 AS build
    /// ```
    ///
    /// ## References
    /// - BuildKit check `FromPlatformFlagConstDisallowed`: <https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/>
    /// - hadolint DL3029
    name: "FromPlatformFlagConstDisallowed",
    severity: Warning,
    enabled_by_default: true,
    summary: "FROM --platform flag should not use a constant value",
    hadolint: ["DL3029"],
    check: document check,
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for stage in &ctx.model.stages {
        let Some(instruction) = ctx.tree.instructions.get(stage.from_instruction) else {
            continue;
        };
        if instruction.kind != InstructionKind::From {
            continue;
        }
        let Some(value) = instruction.flag("platform").and_then(|f| f.value.as_ref()) else {
            continue;
        };
        if value.text.contains('$') {
            continue;
        }
        let Some((os, arch)) = parse_platform(&value.text) else {
            continue;
        };
        let name = stage.name.as_ref().map_or("", |n| n.key.as_str());
        if name.contains(os.as_str()) || name.contains(arch.as_str()) {
            continue;
        }
        out.push(warning(
            NAME,
            value.span,
            format!(
                "FROM --platform flag should not use constant value \"{}\"",
                value.text
            ),
        ));
    }
}

/// `os[/arch[/variant]]` with containerd's normalisation of common names; `None` when it is not
/// a platform (BuildKit then fails elsewhere and skips the check).
fn parse_platform(text: &str) -> Option<(String, String)> {
    let lower = text.to_lowercase();
    let mut parts = lower.split('/');
    let first = parts.next().filter(|p| !p.is_empty())?;
    let second = parts.next();
    if parts.clone().count() > 1 {
        return None;
    }
    match second {
        Some(arch) if !arch.is_empty() => Some((first.to_string(), normalize_arch(arch))),
        Some(_) => None,
        None => match normalize_arch(first).as_str() {
            "amd64" | "arm64" | "arm" | "386" | "ppc64le" | "s390x" | "riscv64" => {
                Some(("linux".to_string(), normalize_arch(first)))
            }
            _ => Some((first.to_string(), "amd64".to_string())),
        },
    }
}

fn normalize_arch(arch: &str) -> String {
    match arch {
        "x86_64" | "x86-64" => "amd64",
        "aarch64" | "armv8" => "arm64",
        "i386" | "i486" | "i586" | "i686" => "386",
        "armhf" | "armel" | "armv7" | "armv7l" | "armv6" | "armv6l" => "arm",
        other => other,
    }
    .to_string()
}
