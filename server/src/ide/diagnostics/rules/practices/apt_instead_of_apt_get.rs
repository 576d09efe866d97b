//! AptInsteadOfAptGet: `apt` (the interactive front end) in a RUN.

use crate::ide::diagnostics::{Check, Diagnostic, Fix, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::Instruction;

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "AptInsteadOfAptGet",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "`apt` is meant for terminals; scripts use `apt-get`",
        doc: DOC,
        hadolint: &["DL3027"],
    },
    check: Check::InstructionWhere {
        check,
        applies: facts::in_stage_body,
    },
};

const DOC: &str = "\
## What it does
Flags `apt` commands in RUN instructions.

## Why is this bad?
`apt` is the interactive front end: its output and behaviour may change between releases and
it warns \"apt does not have a stable CLI interface. Use with caution in scripts.\" `apt-get`
is the stable interface for scripts.

## Example
```dockerfile
RUN apt update && apt install -y curl
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y curl
```

## References
- hadolint DL3027
";

/// `apt` subcommands `apt-get` runs the same way.
const SHARED_SUBCOMMANDS: [&str; 9] = [
    "update",
    "upgrade",
    "install",
    "remove",
    "purge",
    "autoremove",
    "dist-upgrade",
    "clean",
    "autoclean",
];

/// Options `apt` and `apt-get` read the same way.
const SHARED_OPTIONS: [&str; 11] = [
    "-y",
    "--yes",
    "--assume-yes",
    "-q",
    "-qq",
    "-qy",
    "-yq",
    "--no-install-recommends",
    "--no-install-suggests",
    "--fix-missing",
    "--purge",
];

fn check(
    context: &RuleContext<'_>,
    index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    for command in super::run_commands(context, index, instruction) {
        let Some(program) = command.argv().first() else {
            continue;
        };
        if command.program() != Some("apt") {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            RULE.meta.name,
            RULE.meta.default_severity,
            program.span,
            "use `apt-get` in scripts: `apt` has no stable command-line interface",
        );
        let subcommand = command
            .args()
            .iter()
            .find(|word| !word.text.starts_with('-'));
        // Options only `apt` knows (`--update`, `--snapshot` in apt 3) would break apt-get.
        let shared_options = command
            .args()
            .iter()
            .filter(|word| word.text.starts_with('-'))
            .all(|word| SHARED_OPTIONS.contains(&word.text.as_str()));
        if program.text == "apt"
            && shared_options
            && subcommand.is_some_and(|word| SHARED_SUBCOMMANDS.contains(&word.text.as_str()))
        {
            diagnostic.fixes.push(Fix {
                title: "Use `apt-get`".to_string(),
                change: SourceChange::from_edits(vec![TextEdit::replace(program.span, "apt-get")]),
                preferred: true,
            });
        }
        out.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_fix, check_no};

    #[test]
    fn fires_on_apt() {
        check(
            &RULE,
            "FROM ubuntu:24.04\nRUN apt update && apt install -y curl && apt list --installed \\\n && apt install -y --update git\n",
            expect![[r#"
                warning AptInsteadOfAptGet 2:5-2:8 `apt`: use `apt-get` in scripts: `apt` has no stable command-line interface
                  fix: Use `apt-get` (preferred)
                warning AptInsteadOfAptGet 2:19-2:22 `apt`: use `apt-get` in scripts: `apt` has no stable command-line interface
                  fix: Use `apt-get` (preferred)
                warning AptInsteadOfAptGet 2:42-2:45 `apt`: use `apt-get` in scripts: `apt` has no stable command-line interface
                warning AptInsteadOfAptGet 3:5-3:8 `apt`: use `apt-get` in scripts: `apt` has no stable command-line interface
            "#]],
        );
    }

    #[test]
    fn ignores_apt_get_and_friends() {
        check_no(
            &RULE,
            "FROM ubuntu:24.04\nRUN apt-get update && apt-cache policy curl && echo apt\n",
        );
    }

    #[test]
    fn fix_uses_apt_get() {
        check_fix(
            &RULE,
            "FROM ubuntu:24.04\nRUN apt install -y curl\n",
            expect![[r#"
                FROM ubuntu:24.04
                RUN apt-get install -y curl
            "#]],
        );
    }
}
