//! AptGetInstallRecommends: `apt-get install` that also pulls every recommended package.

use crate::ide::diagnostics::{Check, Diagnostic, RuleContext, RuleDef, RuleMeta, Severity};
use crate::syntax::{Instruction, InstructionKind};

use super::facts;
use crate::ide::shell::{Command, PackageManager};

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "AptGetInstallRecommends",
        default_severity: Severity::Info,
        enabled_by_default: true,
        summary: "`apt-get install` without `--no-install-recommends` installs packages no one asked for",
        doc: DOC,
        hadolint: &["DL3015"],
    },
    check: Check::InstructionWhere { check, applies },
};

const DOC: &str = "\
## What it does
Flags `apt-get install` without `--no-install-recommends` (or
`-o APT::Install-Recommends=false`), unless an earlier RUN of the stage configures apt not to
install recommended packages.

## Why is this bad?
apt installs \"recommended\" packages by default: often tens of megabytes of documentation,
fonts and tools the image never uses, each a possible vulnerability to patch.

## Example
```dockerfile
RUN apt-get update && apt-get install -y curl
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## References
- hadolint DL3015
- https://docs.docker.com/build/building/best-practices/#apt-get
";

/// In a stage body where no earlier RUN configures apt about recommended packages
/// (`echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/…`).
fn applies(context: &RuleContext<'_>, index: usize) -> bool {
    let Some(stage) = facts::body_stage(context.model, index) else {
        return false;
    };
    !facts::body(context.tree, stage)
        .take_while(|(earlier, _)| *earlier < index)
        .any(|(_, instruction)| {
            instruction.kind == InstructionKind::Run
                && context
                    .tree
                    .slice(instruction.span)
                    .contains("Install-Recommends")
        })
}

fn check(
    context: &RuleContext<'_>,
    index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let commands = super::run_commands(context, index, instruction);
    let declined = |command: &Command| {
        command.has_option(&["--no-install-recommends"])
            || command.args().iter().any(|word| {
                word.text.contains("Install-Recommends=false")
                    || word.text.contains("Install-Recommends=0")
            })
    };
    for install in super::installs_lacking(commands, PackageManager::AptGet, declined) {
        out.push(super::missing_option(
            &RULE,
            &install,
            "--no-install-recommends",
            "`apt-get install` without `--no-install-recommends` also installs recommended packages",
        ));
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_fix, check_no};

    #[test]
    fn fires_without_the_option() {
        check(
            &RULE,
            "FROM debian:12\nRUN apt-get update \\\n && apt-get -q install -y curl \\\n && rm -rf /var/lib/apt/lists/*\n",
            expect![[r#"
                info AptGetInstallRecommends 3:5-3:23 `apt-get -q install`: `apt-get install` without `--no-install-recommends` also installs recommended packages
                  fix: Add `--no-install-recommends` (preferred)
            "#]],
        );
    }

    #[test]
    fn accepts_the_option_and_apt_configuration() {
        check_no(
            &RULE,
            "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n",
        );
        check_no(
            &RULE,
            "FROM debian:12\nRUN apt-get install -y -o APT::Install-Recommends=false curl\n",
        );
        check_no(
            &RULE,
            "FROM debian:12\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/norecs\nRUN apt-get install -y curl\n",
        );
        check_no(&RULE, "FROM alpine:3.20\nRUN apk add curl\n");
    }

    #[test]
    fn fix_adds_the_option() {
        check_fix(
            &RULE,
            "FROM debian:12\nRUN apt-get install -y curl\n",
            expect![[r#"
                FROM debian:12
                RUN apt-get install --no-install-recommends -y curl
            "#]],
        );
    }
}
