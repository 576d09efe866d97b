use crate::ide::diagnostics::RuleContext;
use crate::syntax::{Instruction, InstructionKind};

use super::{Diagnostic, error};

declare_rule! {
    /// ## What it does
    /// Reports an `EXPOSE` port BuildKit cannot parse: a container port that is not a number or
    /// a `low-high` range within 0–65535, or a protocol other than tcp, udp or sctp. Ports with
    /// variables are not checked.
    ///
    /// ## Why is this bad?
    /// BuildKit fails with `invalid containerPort: …`, `invalid range` or `invalid proto: …`.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 80/http 8080-80 http
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// EXPOSE 80/tcp 8080-8090
    /// ```
    ///
    /// ## References
    /// - Dockerfile reference, EXPOSE: <https://docs.docker.com/reference/dockerfile/#expose>
    name: "InvalidExpose",
    severity: Error,
    enabled_by_default: true,
    summary: "EXPOSE takes ports or port ranges with an optional tcp, udp or sctp protocol",
    hadolint: [],
    check: instruction check,
    on: [InstructionKind::Expose],
}

fn check(
    _ctx: &RuleContext<'_>,
    _index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    for word in instruction.words() {
        if word.text.contains('$') {
            continue;
        }
        if let Some(message) = port_spec_error(&word.text) {
            out.push(error(NAME, word.span, message));
        }
    }
}

/// go-connections' `ParsePortSpec` on one EXPOSE word (host parts are ExposeInvalidFormat's).
fn port_spec_error(spec: &str) -> Option<String> {
    let (ports, proto) = match spec.rsplit_once('/') {
        Some((ports, proto)) => (ports, proto),
        None => (spec, "tcp"),
    };
    let container = ports.rsplit_once(':').map_or(ports, |(_, port)| port);
    if !matches!(proto.to_lowercase().as_str(), "tcp" | "udp" | "sctp") {
        return Some(format!("invalid proto: {proto}"));
    }
    let (low, high) = match container.split_once('-') {
        Some((low, high)) => (low, Some(high)),
        None => (container, None),
    };
    let parse = |port: &str| port.parse::<u16>().ok();
    match (parse(low), high.map(parse)) {
        (None, _) | (_, Some(None)) => Some(format!("invalid containerPort: {container}")),
        (Some(low), Some(Some(high))) if high < low => Some(format!(
            "invalid range specified for container port: {container}"
        )),
        _ => None,
    }
}
