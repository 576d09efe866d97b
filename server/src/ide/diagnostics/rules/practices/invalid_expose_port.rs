//! InvalidExposePort: an EXPOSE port or port range outside 0–65535, or a range that runs backwards.

use crate::ide::diagnostics::{Check, Diagnostic, Kinds, RuleContext, RuleDef, RuleMeta, Severity};
use crate::syntax::{Instruction, InstructionKind};

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "InvalidExposePort",
        default_severity: Severity::Error,
        enabled_by_default: true,
        summary: "EXPOSE of a port outside 0-65535 or a backwards range",
        doc: DOC,
        hadolint: &["DL3011"],
    },
    check: Check::Instruction {
        check,
        on: Kinds::Effective(&[InstructionKind::Expose]),
    },
};

const DOC: &str = "\
## What it does
Flags EXPOSE ports above 65535 and port ranges whose start is above their end. Values with
variables are not checked; other malformed values are BuildKit's `ExposeInvalidFormat`.

## Why is this bad?
TCP and UDP ports are 16-bit numbers: `docker run -P` and orchestrators reject the image's
port list, usually far from the Dockerfile that caused it.

## Example
```dockerfile
EXPOSE 80800
EXPOSE 9000-8000
```

## Use instead
```dockerfile
EXPOSE 8080
EXPOSE 8000-9000
```

## References
- hadolint DL3011
";

fn problem(port: &str) -> Option<String> {
    let number = port.split('/').next().unwrap_or(port);
    if number.contains('$') {
        return None;
    }
    let (start, end) = number.split_once('-').unwrap_or((number, number));
    let start: u64 = start.parse().ok()?;
    let end: u64 = end.parse().ok()?;
    if start > 65535 || end > 65535 {
        Some(format!(
            "`{number}` is not a valid port: ports go from 0 to 65535"
        ))
    } else if start > end {
        Some(format!("the port range `{number}` ends before it starts"))
    } else {
        None
    }
}

fn check(
    _context: &RuleContext<'_>,
    _index: usize,
    expose: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    for word in expose.words() {
        if let Some(message) = problem(&word.text) {
            out.push(Diagnostic::new(
                RULE.meta.name,
                RULE.meta.default_severity,
                word.span,
                message,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_no};

    #[test]
    fn fires_on_out_of_range_ports() {
        check(
            &RULE,
            "FROM nginx:1.27\nEXPOSE 80 80800/tcp 9000-8000 70000-70001/udp\n",
            expect![[r#"
                error InvalidExposePort 2:11-2:20 `80800/tcp`: `80800` is not a valid port: ports go from 0 to 65535
                error InvalidExposePort 2:21-2:30 `9000-8000`: the port range `9000-8000` ends before it starts
                error InvalidExposePort 2:31-2:46 `70000-70001/udp`: `70000-70001` is not a valid port: ports go from 0 to 65535
            "#]],
        );
    }

    #[test]
    fn accepts_valid_ports_and_variables() {
        check_no(
            &RULE,
            "FROM nginx:1.27\nEXPOSE 0 80/tcp 65535 8000-9000/udp ${PORT} 8080:80\n",
        );
    }
}
