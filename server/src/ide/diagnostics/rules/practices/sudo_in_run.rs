//! SudoInRun: `sudo` in a RUN instruction.

use crate::ide::diagnostics::{Check, Diagnostic, Fix, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::{Instruction, Span};

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "SudoInRun",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "`sudo` in RUN: switch users with USER instead",
        doc: DOC,
        hadolint: &["DL3004"],
    },
    check: Check::InstructionWhere {
        check,
        applies: facts::in_stage_body,
    },
};

const DOC: &str = "\
## What it does
Flags commands run through `sudo`.

## Why is this bad?
`sudo` brings a TTY- and PAM-dependent setuid binary into the image and behaves unpredictably
without a terminal. Builds run as root unless a USER instruction says otherwise: run the
privileged steps before `USER`, or switch with `USER root` and back.

## Example
```dockerfile
USER app
RUN sudo apt-get install -y curl
```

## Use instead
```dockerfile
USER root
RUN apt-get install -y curl
USER app
```

## References
- hadolint DL3004
";

fn check(
    context: &RuleContext<'_>,
    index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    for command in super::run_commands(context, index, instruction) {
        let Some(sudo) = command.words.first() else {
            continue;
        };
        if crate::ide::shell::program_name(&sudo.text) != "sudo" {
            continue;
        }
        let as_other_user = command
            .words
            .iter()
            .skip(1)
            .take_while(|word| word.text.starts_with('-'))
            .any(|word| {
                matches!(word.text.as_str(), "-u" | "--user") || word.text.starts_with("--user=")
            });
        let message = if as_other_user {
            "do not use `sudo` to run as another user: switch with USER (or use `runuser`/`gosu` in scripts)"
        } else {
            "do not use `sudo`: run privileged steps as root before USER, or switch with USER"
        };
        let mut diagnostic = Diagnostic::new(
            RULE.meta.name,
            RULE.meta.default_severity,
            sudo.span,
            message,
        );
        // Dropping a bare `sudo` keeps the command; with options it may need the user
        // they name, so only the plain form gets a fix.
        if let Some(next) = command.words.get(1)
            && !next.text.starts_with('-')
        {
            diagnostic.fixes.push(Fix {
                title: "Remove `sudo`".to_string(),
                change: SourceChange::from_edits(vec![TextEdit::delete(Span::new(
                    sudo.span.start,
                    next.span.start,
                ))]),
                preferred: false,
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
    fn fires_on_sudo() {
        check(
            &RULE,
            "FROM ubuntu:24.04\nRUN sudo -E apt-get update && /usr/bin/sudo make install && sudo -u app bundle install\n",
            expect![[r#"
                warning SudoInRun 2:5-2:9 `sudo`: do not use `sudo`: run privileged steps as root before USER, or switch with USER
                warning SudoInRun 2:31-2:44 `/usr/bin/sudo`: do not use `sudo`: run privileged steps as root before USER, or switch with USER
                  fix: Remove `sudo`
                warning SudoInRun 2:61-2:65 `sudo`: do not use `sudo` to run as another user: switch with USER (or use `runuser`/`gosu` in scripts)
            "#]],
        );
    }

    #[test]
    fn ignores_the_word_elsewhere() {
        check_no(
            &RULE,
            "FROM ubuntu:24.04\nRUN apt-get install -y sudo && echo sudo\n",
        );
    }

    #[test]
    fn fix_removes_sudo() {
        check_fix(
            &RULE,
            "FROM ubuntu:24.04\nRUN sudo make install\n",
            expect![[r#"
                FROM ubuntu:24.04
                RUN make install
            "#]],
        );
    }
}
