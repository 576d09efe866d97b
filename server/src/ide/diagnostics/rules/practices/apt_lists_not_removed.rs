//! AptListsNotRemoved: `apt-get update` in the final image without removing the package lists.

use crate::ide::diagnostics::{Check, Diagnostic, Fix, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::{Args, Instruction};

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "AptListsNotRemoved",
        default_severity: Severity::Info,
        enabled_by_default: true,
        summary: "`apt-get update` leaves /var/lib/apt/lists in the image unless the same RUN removes it",
        doc: DOC,
        hadolint: &["DL3009"],
    },
    check: Check::InstructionWhere {
        check,
        applies: facts::in_final_image_body,
    },
};

const DOC: &str = "\
## What it does
Flags `apt-get update` (or `apt update`) in a stage that ends up in the final image when the same
RUN does not remove `/var/lib/apt/lists` (or run `apt-get dist-clean`) and does not keep it in a
cache mount.

Builder stages are not checked: their layers never reach the final image.

## Why is this bad?
The package lists weigh tens of megabytes. Removing them in a later RUN does not help, because
the layer that added them stays in the image.

## Example
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*
```

## References
- hadolint DL3009
- https://docs.docker.com/build/building/best-practices/#apt-get
";

const LISTS: &str = "/var/lib/apt/lists";

fn check(
    context: &RuleContext<'_>,
    index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let commands = super::run_commands(context, index, instruction);
    // The update first: the rule runs on every RUN, and few update apt.
    let Some(update) = commands.iter().find(|command| {
        matches!(command.program(), Some("apt-get" | "apt"))
            && command.args().first().map(|word| word.text.as_str()) == Some("update")
    }) else {
        return;
    };
    let cached = facts::cache_mount_targets(instruction)
        .iter()
        .any(|target| target.starts_with("/var/lib/apt"));
    // `apt-get dist-clean` (apt 2.7+) removes the lists too.
    let dist_clean = commands.iter().any(|command| {
        matches!(command.program(), Some("apt-get" | "apt"))
            && command.args().iter().any(|word| word.text == "dist-clean")
    });
    if cached || dist_clean || facts::removes_path(commands, LISTS) {
        return;
    }
    let span = update.span;
    let mut diagnostic = Diagnostic::new(
        RULE.meta.name,
        RULE.meta.default_severity,
        span,
        "the package lists stay in the image: remove /var/lib/apt/lists in the same RUN",
    );
    if let Args::Text(text) = &instruction.args
        && instruction.heredocs.is_empty()
    {
        diagnostic.fixes.push(Fix {
            title: "Remove /var/lib/apt/lists/* at the end of this RUN".to_string(),
            change: SourceChange::from_edits(vec![TextEdit::insert(
                text.span.end,
                " \\\n && rm -rf /var/lib/apt/lists/*",
            )]),
            preferred: true,
        });
    }
    out.push(diagnostic);
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_fix, check_no};

    #[test]
    fn fires_in_the_final_image_only() {
        check(
            &RULE,
            "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\n\
             FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl\n\
             FROM base\nCMD [\"curl\"]\n",
            expect![[r#"
                info AptListsNotRemoved 4:5-4:19 `apt-get update`: the package lists stay in the image: remove /var/lib/apt/lists in the same RUN
                  fix: Remove /var/lib/apt/lists/* at the end of this RUN (preferred)
            "#]],
        );
    }

    #[test]
    fn accepts_cleanup_and_cache_mounts() {
        check_no(
            &RULE,
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
        );
        check_no(
            &RULE,
            "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl\n",
        );
        check_no(
            &RULE,
            "FROM debian:13\nRUN apt-get update; apt-get install -y curl; apt-get dist-clean\n",
        );
    }

    #[test]
    fn fix_appends_the_cleanup() {
        check_fix(
            &RULE,
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nCMD [\"curl\"]\n",
            expect![[r#"
                FROM debian:12
                RUN apt-get update && apt-get install -y curl \
                 && rm -rf /var/lib/apt/lists/*
                CMD ["curl"]
            "#]],
        );
    }
}
