//! NpmInstallInsteadOfCi: `npm install` where the lock file is there for `npm ci`.

use crate::ide::diagnostics::{Check, Diagnostic, Fix, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::shell::{self, PackageManager};
use crate::ide::{SourceChange, TextEdit};
use crate::model::Stage;
use crate::syntax::InstructionKind;

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "NpmInstallInsteadOfCi",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "`npm install` in a build that copies package-lock.json: use `npm ci`",
        doc: DOC,
        hadolint: &[],
    },
    check: Check::Model {
        check,
        reads: facts::copies_and_runs,
    },
};

const DOC: &str = "\
## What it does
Flags `npm install` (without package names) in a stage that copies `package-lock.json` or
`npm-shrinkwrap.json` before it. In the final stage of a multi-stage build the fix also adds
`--omit=dev`.

Builds that copy no lock file are left alone: `npm ci` refuses to run without one.

## Why is this bad?
`npm install` may update the lock file and install versions other than the ones locked, so two
builds of the same commit can differ. `npm ci` installs exactly the lock file, fails when it is
out of date with package.json, and starts from a clean `node_modules`.

## Example
```dockerfile
COPY package.json package-lock.json ./
RUN npm install
```

## Use instead
```dockerfile
COPY package.json package-lock.json ./
RUN npm ci
```

## References
- https://docs.npmjs.com/cli/commands/npm-ci
";

/// True when the stage (or one it is built `FROM`) copies an npm lock file before `before`.
/// The first instruction of the stage (or of a stage it is built `FROM`) that copies
/// `package-lock.json` or `npm-shrinkwrap.json`: only installs after it can use `npm ci`.
fn first_lock_file_copy(context: &RuleContext<'_>, stage: &Stage) -> Option<usize> {
    facts::lineage(context.model, stage)
        .into_iter()
        .filter_map(|stage| {
            facts::body(context.tree, stage)
                .find(|(_, instruction)| {
                    matches!(
                        instruction.kind,
                        InstructionKind::Copy | InstructionKind::Add
                    ) && facts::copy_sources(instruction).iter().any(|source| {
                        let name = shell::program_name(&source.text);
                        name == "package-lock.json" || name == "npm-shrinkwrap.json"
                    })
                })
                .map(|(index, _)| index)
        })
        .min()
}

fn check(context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let model = context.model;
    let multi_stage = model.stages.len() > 1;
    for stage in &model.stages {
        let is_final = model
            .final_stage()
            .is_some_and(|last| last.index == stage.index);
        // Looked up before splitting any RUN: most stages copy no lock file at all.
        let Some(lock_file_copy) = first_lock_file_copy(context, stage) else {
            continue;
        };
        let runs = facts::body(context.tree, stage).filter(|(index, instruction)| {
            *index > lock_file_copy && instruction.kind == InstructionKind::Run
        });
        for (index, _) in runs {
            for command in context.run_commands(index) {
                let Some(install) = shell::dependency_install(command) else {
                    continue;
                };
                let Some(subcommand) = install.subcommand else {
                    continue;
                };
                let is_install = matches!(subcommand.text.as_str(), "install" | "i");
                if install.manager != PackageManager::Npm
                    || !is_install
                    || !install.packages.is_empty()
                    || install.global
                {
                    continue;
                }
                let production = is_final && multi_stage && !install.production_only;
                let replacement = if production { "ci --omit=dev" } else { "ci" };
                let mut diagnostic = Diagnostic::new(
                    RULE.meta.name,
                    RULE.meta.default_severity,
                    install.words_span,
                    "use `npm ci`: it installs exactly what package-lock.json locks",
                );
                diagnostic.fixes.push(Fix {
                    title: format!("Use `npm {replacement}`"),
                    change: SourceChange::from_edits(vec![TextEdit::replace(
                        subcommand.span,
                        replacement,
                    )]),
                    preferred: true,
                });
                out.push(diagnostic);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_fix, check_no};

    #[test]
    fn fires_when_the_lock_file_is_copied() {
        check(
            &RULE,
            "FROM node:22 AS build\nCOPY package.json package-lock.json ./\nRUN npm install && npm run build\n\
             FROM node:22-slim\nCOPY --from=build /app/package-lock.json /app/package.json ./\nRUN npm i --omit=dev\n",
            expect![[r#"
                warning NpmInstallInsteadOfCi 3:5-3:16 `npm install`: use `npm ci`: it installs exactly what package-lock.json locks
                  fix: Use `npm ci` (preferred)
                warning NpmInstallInsteadOfCi 6:5-6:10 `npm i`: use `npm ci`: it installs exactly what package-lock.json locks
                  fix: Use `npm ci` (preferred)
            "#]],
        );
    }

    #[test]
    fn ignores_builds_without_a_lock_file_and_package_installs() {
        check_no(
            &RULE,
            "FROM node:22\nCOPY package*.json ./\nRUN npm install\n",
        );
        check_no(
            &RULE,
            "FROM node:22\nCOPY package-lock.json ./\nRUN npm install express && npm install -g pm2 && npm ci\n",
        );
    }

    #[test]
    fn fix_uses_ci_and_omits_dev_in_the_final_stage() {
        check_fix(
            &RULE,
            "FROM node:22 AS build\nFROM node:22-slim\nCOPY package.json package-lock.json ./\nRUN npm install\n",
            expect![[r#"
                FROM node:22 AS build
                FROM node:22-slim
                COPY package.json package-lock.json ./
                RUN npm ci --omit=dev
            "#]],
        );
        check_fix(
            &RULE,
            "FROM node:22\nCOPY package.json package-lock.json ./\nRUN npm install\n",
            expect![[r#"
                FROM node:22
                COPY package.json package-lock.json ./
                RUN npm ci
            "#]],
        );
    }
}
