//! PipInstallWithCache: `pip install` in the final image that keeps pip's download cache.

use crate::ide::diagnostics::{Check, Diagnostic, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::shell::PackageManager;
use crate::syntax::Instruction;

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "PipInstallWithCache",
        default_severity: Severity::Info,
        enabled_by_default: true,
        summary: "`pip install` without `--no-cache-dir` leaves pip's cache in the image",
        doc: DOC,
        hadolint: &["DL3042"],
    },
    check: Check::InstructionWhere { check, applies },
};

const DOC: &str = "\
## What it does
Flags `pip install` without `--no-cache-dir` in stages that end up in the final image, unless
`PIP_NO_CACHE_DIR` is set, the RUN keeps pip's cache in a cache mount, or it removes the cache
(`pip cache purge`, `rm -rf ~/.cache/pip`).

Builder stages are not checked: their layers never reach the final image.

## Why is this bad?
pip keeps every downloaded wheel in `~/.cache/pip`: often as large as the installed packages
themselves, and useless in an image.

## Example
```dockerfile
RUN pip install -r requirements.txt
```

## Use instead
```dockerfile
RUN pip install --no-cache-dir -r requirements.txt
```

## References
- hadolint DL3042
";

/// In a stage of the final image that does not set `PIP_NO_CACHE_DIR`.
fn applies(context: &RuleContext<'_>, index: usize) -> bool {
    facts::body_stage(context.model, index).is_some_and(|stage| {
        facts::in_final_image(context.model, stage)
            && facts::env_value(context.tree, context.model, stage, "PIP_NO_CACHE_DIR").is_none()
    })
}

fn check(
    context: &RuleContext<'_>,
    index: usize,
    instruction: &Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let commands = super::run_commands(context, index, instruction);
    // The installs first: the rule runs on every RUN, and few install with pip.
    let installs = super::installs_lacking(commands, PackageManager::Pip, |command| {
        command.has_option(&["--no-cache-dir"]) || command.assignment("PIP_NO_CACHE_DIR").is_some()
    });
    if installs.is_empty() {
        return;
    }
    let cached = facts::cache_mount_targets(instruction)
        .iter()
        .any(|target| target.contains("pip"));
    let purged = facts::removes_path(commands, "/root/.cache")
        || facts::removes_path(commands, "~/.cache")
        || commands.iter().any(|command| {
            command.program().is_some_and(|p| p.starts_with("pip"))
                && command.args().first().map(|w| w.text.as_str()) == Some("cache")
        });
    if cached || purged {
        return;
    }
    for install in installs {
        out.push(super::missing_option(
            &RULE,
            &install,
            "--no-cache-dir",
            "`pip install` keeps its download cache in the image: add `--no-cache-dir`",
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
            "FROM python:3.12 AS build\nRUN pip wheel -r requirements.txt && pip install build\n\
             FROM python:3.12-slim\nRUN python -m pip install -r requirements.txt\n",
            expect![[r#"
                info PipInstallWithCache 4:15-4:26 `pip install`: `pip install` keeps its download cache in the image: add `--no-cache-dir`
                  fix: Add `--no-cache-dir` (preferred)
            "#]],
        );
    }

    #[test]
    fn accepts_disabled_or_mounted_caches() {
        check_no(
            &RULE,
            "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n",
        );
        check_no(
            &RULE,
            "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n",
        );
        check_no(
            &RULE,
            "FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n",
        );
        check_no(
            &RULE,
            "FROM python:3.12-slim\nRUN pip install flask && rm -rf /root/.cache\n",
        );
    }

    #[test]
    fn fix_adds_no_cache_dir() {
        check_fix(
            &RULE,
            "FROM python:3.12-slim\nRUN pip3 install flask\n",
            expect![[r#"
                FROM python:3.12-slim
                RUN pip3 install --no-cache-dir flask
            "#]],
        );
    }
}
