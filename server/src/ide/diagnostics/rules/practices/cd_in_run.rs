//! CdInRun: a RUN that starts by changing directory, where WORKDIR says it once for good.

use crate::ide::diagnostics::{Check, Diagnostic, RuleContext, RuleDef, RuleMeta, Severity};
use crate::syntax::Instruction;

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "CdInRun",
        default_severity: Severity::Info,
        enabled_by_default: true,
        summary: "a RUN that starts with `cd` (or only runs `cd`): use WORKDIR",
        doc: DOC,
        hadolint: &["DL3003"],
    },
    check: Check::InstructionWhere {
        check,
        applies: facts::in_stage_body,
    },
};

const DOC: &str = "\
## What it does
Flags RUN instructions whose first command is `cd DIR`, and RUN instructions that run nothing
but `cd`.

`cd` later in a command chain (`./configure && cd src && make`) is left alone: it is part of a
script, not a way to pick the working directory.

## Why is this bad?
Each RUN starts in the WORKDIR again, so a RUN made only of `cd` does nothing, and a RUN that
starts with `cd` hides the directory it works in from every later instruction. `WORKDIR` sets
it once, creates it if needed, and later RUN, COPY, CMD and ENTRYPOINT instructions see it.

## Example
```dockerfile
RUN cd /app && npm ci
```

## Use instead
```dockerfile
WORKDIR /app
RUN npm ci
```

## References
- hadolint DL3003
- https://docs.docker.com/reference/dockerfile/#workdir
";

fn check(
    context: &RuleContext<'_>,
    index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let commands = super::run_commands(context, index, instruction);
    let Some(first) = commands.first() else {
        return;
    };
    if first.program() != Some("cd") || first.args().is_empty() {
        return;
    }
    let message = if commands.len() == 1 {
        "`cd` alone has no effect: the next instruction starts in the WORKDIR again; use WORKDIR"
    } else {
        "use WORKDIR to choose the directory instead of `cd` at the start of RUN"
    };
    out.push(Diagnostic::new(
        RULE.meta.name,
        RULE.meta.default_severity,
        first.span,
        message,
    ));
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_no};

    #[test]
    fn fires_on_leading_cd() {
        check(
            &RULE,
            "FROM node:22\nRUN cd /app && npm ci\nRUN cd /tmp\n",
            expect![[r#"
                info CdInRun 2:5-2:12 `cd /app`: use WORKDIR to choose the directory instead of `cd` at the start of RUN
                info CdInRun 3:5-3:12 `cd /tmp`: `cd` alone has no effect: the next instruction starts in the WORKDIR again; use WORKDIR
            "#]],
        );
    }

    #[test]
    fn ignores_cd_inside_a_script() {
        check_no(
            &RULE,
            "FROM debian:12\nRUN set -eux; cd /usr/src/app; make\nRUN ./configure && cd src && make\n",
        );
    }
}
