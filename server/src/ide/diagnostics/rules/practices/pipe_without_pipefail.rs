//! PipeWithoutPipefail: a RUN pipe whose failure is hidden because `pipefail` is off.

use crate::ide::diagnostics::{Check, Diagnostic, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::shell::{Command, Connector};
use crate::syntax::{Instruction, Span, SyntaxTree};

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "PipeWithoutPipefail",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "a pipe in RUN without `set -o pipefail`: only the last command's failure fails the build",
        doc: DOC,
        hadolint: &["DL4006"],
    },
    check: Check::InstructionWhere { check, applies },
};

const DOC: &str = "\
## What it does
Flags the first pipe (`|`) of a shell-form RUN when neither a SHELL instruction in force nor a
`set -o pipefail` earlier in the same RUN turns `pipefail` on. Pipes fed only by `echo`,
`printf` or `yes` (`echo \"$SUM  file\" | sha256sum -c`) are skipped: there is no failure for
`pipefail` to report. RUN lines of stages whose SHELL
is not a POSIX shell (PowerShell, cmd) are not checked.

## Why is this bad?
A pipeline's status is the status of its last command: in `curl -fsSL URL | tar -xz` a failed
download still \"succeeds\" if `tar` does, and the build goes on with a broken layer.

## Example
```dockerfile
RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local/bin
```

## Use instead
```dockerfile
SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]
RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local/bin
```
or, where the image has no bash (`ash` on Alpine knows `pipefail`):
```dockerfile
RUN set -o pipefail && curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local/bin
```

## References
- hadolint DL4006
- https://docs.docker.com/build/building/best-practices/#using-pipes
";

/// `-o pipefail` among shell options (`SHELL [\"bash\", \"-eo\", \"pipefail\", \"-c\"]`, `set -euo pipefail`).
fn turns_on_pipefail<'a>(words: impl IntoIterator<Item = &'a str>) -> bool {
    let mut option_pending = false;
    for word in words {
        if word == "pipefail" && option_pending {
            return true;
        }
        option_pending = word
            .strip_prefix('-')
            .is_some_and(|cluster| !cluster.starts_with('-') && cluster.ends_with('o'));
    }
    false
}

fn non_posix(shell: &[String]) -> bool {
    shell.first().is_some_and(|program| {
        let name = program
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(program)
            .to_ascii_lowercase();
        ["pwsh", "powershell", "cmd"]
            .iter()
            .any(|shell| name == *shell || name.starts_with(&format!("{shell}.")))
    })
}

/// Programs that cannot fail in a way `pipefail` would report: `echo "$SUM  file" | sha256sum -c`.
const INFALLIBLE_PRODUCERS: [&str; 4] = ["echo", "printf", "yes", "true"];

/// Every command feeding the pipe that ends before `position` is an infallible producer.
fn cannot_fail(commands: &[Command], position: usize) -> bool {
    let mut index = position;
    while let Some(previous) = index.checked_sub(1).and_then(|i| commands.get(i)) {
        if !previous
            .program()
            .is_some_and(|program| INFALLIBLE_PRODUCERS.contains(&program))
        {
            return false;
        }
        if previous.connector != Some(Connector::Pipe) {
            return true;
        }
        index -= 1;
    }
    true
}

/// The `|` between `previous` and `command`, or the command itself if it cannot be found.
fn pipe_span(tree: &SyntaxTree, previous: &Command, command: &Command) -> Span {
    let between = Span::new(previous.span.end, command.span.start);
    match tree.slice(between).find('|') {
        Some(offset) => Span::new(between.start + offset, between.start + offset + 1),
        None => command.span,
    }
}

/// In a stage body whose SHELL in force (if any) is a POSIX shell without `pipefail`.
fn applies(context: &RuleContext<'_>, index: usize) -> bool {
    let Some(stage) = facts::body_stage(context.model, index) else {
        return false;
    };
    !facts::shell_in_force(context.tree, context.model, stage, index).is_some_and(|shell| {
        non_posix(&shell) || turns_on_pipefail(shell.iter().map(String::as_str))
    })
}

fn check(
    context: &RuleContext<'_>,
    index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let commands = super::run_commands(context, index, instruction);
    if let Some(span) = unprotected_pipe(context, commands) {
        out.push(Diagnostic::new(
            RULE.meta.name,
            RULE.meta.default_severity,
            span,
            "only the last command of this pipe decides whether RUN fails: set `-o pipefail` \
             (SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] or `set -o pipefail &&`)",
        ));
    }
}

/// The first pipe of a RUN that can fail without failing the step, unless `set -o pipefail`
/// comes before it.
fn unprotected_pipe(context: &RuleContext<'_>, commands: &[Command]) -> Option<Span> {
    for (position, command) in commands.iter().enumerate() {
        let Some(previous) = position.checked_sub(1).and_then(|p| commands.get(p)) else {
            continue;
        };
        if command.connector != Some(Connector::Pipe) || cannot_fail(commands, position) {
            continue;
        }
        let set_earlier = commands.iter().take(position).any(|earlier| {
            earlier.program() == Some("set")
                && turns_on_pipefail(earlier.args().iter().map(|word| word.text.as_str()))
        });
        return (!set_earlier).then(|| pipe_span(context.tree, previous, command));
    }
    None
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_no};

    #[test]
    fn fires_on_the_first_pipe() {
        check(
            &RULE,
            "FROM debian:12\nRUN curl -fsSL https://x/y.tgz \\\n  | tar -xz && ls | wc -l\nRUN a || b\n",
            expect![[r#"
                warning PipeWithoutPipefail 3:3-3:4 `|`: only the last command of this pipe decides whether RUN fails: set `-o pipefail` (SHELL ["/bin/bash", "-o", "pipefail", "-c"] or `set -o pipefail &&`)
            "#]],
        );
    }

    #[test]
    fn accepts_pipefail_from_shell_or_set() {
        check_no(
            &RULE,
            "FROM debian:12 AS base\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nFROM base\nRUN curl x | sh\n",
        );
        check_no(
            &RULE,
            "FROM alpine:3.20\nRUN set -euxo pipefail; curl x | sh\n",
        );
        check_no(
            &RULE,
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN Get-ChildItem | Select-Object Name\n",
        );
        check_no(&RULE, "FROM debian:12\nRUN [\"sh\", \"-c\", \"a | b\"]\n");
        check_no(
            &RULE,
            "FROM debian:12\nRUN echo \"$SUM *x.tgz\" | sha256sum -c - && case $a in x|y) true ;; esac\n",
        );
    }

    #[test]
    fn a_later_shell_does_not_cover_earlier_runs() {
        check(
            &RULE,
            "FROM debian:12\nRUN a | b\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN c | d\n",
            expect![[r#"
                warning PipeWithoutPipefail 2:7-2:8 `|`: only the last command of this pipe decides whether RUN fails: set `-o pipefail` (SHELL ["/bin/bash", "-o", "pipefail", "-c"] or `set -o pipefail &&`)
            "#]],
        );
    }
}
