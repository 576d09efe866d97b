//! AptGetInstallWithoutYes: `apt-get install` that would stop at the confirmation prompt.

use crate::ide::diagnostics::{Check, Diagnostic, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::shell::{Command, Connector, PackageManager};
use crate::syntax::Instruction;

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "AptGetInstallWithoutYes",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "`apt-get install` without `-y` waits for a confirmation no one can give",
        doc: DOC,
        hadolint: &["DL3014"],
    },
    check: Check::InstructionWhere {
        check,
        applies: facts::in_stage_body,
    },
};

const DOC: &str = "\
## What it does
Flags `apt-get install` without `-y` (`--yes`, `--assume-yes`, or `-qq`).

## Why is this bad?
A build has no terminal to answer apt's \"Do you want to continue?\" prompt: apt reads end of
input, aborts, and the RUN fails as soon as the install needs more than the named packages.

## Example
```dockerfile
RUN apt-get update && apt-get install curl
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y curl
```

## References
- hadolint DL3014
- https://docs.docker.com/build/building/best-practices/#apt-get
";

fn check(
    context: &RuleContext<'_>,
    index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let commands = super::run_commands(context, index, instruction);
    let answered = |command: &Command| {
        command.has_option(&["-y", "--yes", "--assume-yes", "-qq", "-q=2"])
            || command.has_short_option('y')
            || command.connector == Some(Connector::Pipe)
    };
    for install in super::installs_lacking(commands, PackageManager::AptGet, answered) {
        out.push(super::missing_option(
            &RULE,
            &install,
            "-y",
            "`apt-get install` without `-y`: the build cannot answer apt's prompt",
        ));
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_fix, check_no};

    #[test]
    fn fires_without_yes() {
        check(
            &RULE,
            "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends curl\n",
            expect![[r#"
                warning AptGetInstallWithoutYes 2:23-2:38 `apt-get install`: `apt-get install` without `-y`: the build cannot answer apt's prompt
                  fix: Add `-y` (preferred)
            "#]],
        );
    }

    #[test]
    fn accepts_yes_spellings() {
        for flags in ["-y", "-yq", "-qy", "--yes", "--assume-yes", "-qq"] {
            check_no(
                &RULE,
                &format!("FROM debian:12\nRUN apt-get install {flags} curl\n"),
            );
        }
        check_no(&RULE, "FROM debian:12\nRUN yes | apt-get install curl\n");
        check_no(&RULE, "FROM debian:12\nRUN apt-get update\n");
    }

    #[test]
    fn fix_adds_yes() {
        check_fix(
            &RULE,
            "FROM debian:12\nRUN apt-get install curl\n",
            expect![[r#"
                FROM debian:12
                RUN apt-get install -y curl
            "#]],
        );
    }
}
