//! ApkAddWithoutNoCache: `apk add` in the final image that keeps apk's index cache.

use crate::ide::diagnostics::{Check, Diagnostic, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::shell::PackageManager;
use crate::syntax::Instruction;

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "ApkAddWithoutNoCache",
        default_severity: Severity::Info,
        enabled_by_default: true,
        summary: "`apk add` without `--no-cache` leaves the package index in the image",
        doc: DOC,
        hadolint: &["DL3019"],
    },
    check: Check::InstructionWhere {
        check,
        applies: facts::in_final_image_body,
    },
};

const DOC: &str = "\
## What it does
Flags `apk add` without `--no-cache` in stages that end up in the final image, unless the same
RUN removes `/var/cache/apk` or keeps it in a cache mount.

Builder stages are not checked: their layers never reach the final image.

## Why is this bad?
Without `--no-cache`, apk stores the package index (after `apk update`) and downloaded packages
under `/var/cache/apk`, where they stay in the layer.

## Example
```dockerfile
RUN apk update && apk add curl
```

## Use instead
```dockerfile
RUN apk add --no-cache curl
```

## References
- hadolint DL3019
";

fn check(
    context: &RuleContext<'_>,
    index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let commands = super::run_commands(context, index, instruction);
    // The installs first: the rule runs on every RUN, and few add apk packages.
    // `--no-network` installs from packages already present: nothing is downloaded.
    let installs = super::installs_lacking(commands, PackageManager::Apk, |command| {
        command.has_option(&["--no-cache", "--no-network"])
    });
    if installs.is_empty() {
        return;
    }
    let cached = facts::cache_mount_targets(instruction)
        .iter()
        .any(|target| target.starts_with("/var/cache/apk") || target.starts_with("/etc/apk/cache"));
    if cached || facts::removes_path(commands, "/var/cache/apk") {
        return;
    }
    for install in installs {
        out.push(super::missing_option(
            &RULE,
            &install,
            "--no-cache",
            "`apk add` keeps the package cache in the image: add `--no-cache`",
        ));
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_fix, check_no};

    #[test]
    fn fires_in_the_final_image() {
        check(
            &RULE,
            "FROM alpine:3.20 AS build\nRUN apk add build-base\nFROM alpine:3.20\nRUN apk update && apk add --virtual .deps curl\n",
            expect![[r#"
                info ApkAddWithoutNoCache 4:19-4:26 `apk add`: `apk add` keeps the package cache in the image: add `--no-cache`
                  fix: Add `--no-cache` (preferred)
            "#]],
        );
    }

    #[test]
    fn accepts_no_cache_cleanup_and_mounts() {
        check_no(&RULE, "FROM alpine:3.20\nRUN apk add --no-cache curl\n");
        check_no(
            &RULE,
            "FROM alpine:3.20\nRUN apk add --no-network --virtual .rundeps $runDeps\n",
        );
        check_no(
            &RULE,
            "FROM alpine:3.20\nRUN apk add curl && rm -rf /var/cache/apk/*\n",
        );
        check_no(
            &RULE,
            "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n",
        );
    }

    #[test]
    fn fix_adds_no_cache() {
        check_fix(
            &RULE,
            "FROM alpine:3.20\nRUN apk add curl\n",
            expect![[r#"
            FROM alpine:3.20
            RUN apk add --no-cache curl
        "#]],
        );
    }
}
