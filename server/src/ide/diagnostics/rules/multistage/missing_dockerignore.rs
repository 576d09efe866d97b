//! MissingDockerignore: the build copies its context root without a `.dockerignore` that keeps
//! heavy folders out.

use crate::ide::assists::dockerignore_fix;
use crate::ide::diagnostics::{Check, Diagnostic, Fix, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::{FileAppend, SourceChange, shell};
use crate::syntax::InstructionKind;

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "MissingDockerignore",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "COPY of the context root without a .dockerignore that excludes heavy folders",
        doc: DOC,
        hadolint: &[],
    },
    check: Check::Model {
        check,
        reads: facts::copies_runs_and_envs,
    },
};

const DOC: &str = "\
## What it does
Flags the first COPY/ADD of the build context's root (`COPY . .`) when there is no
`.dockerignore` next to the Dockerfile, or when the `.dockerignore` lets the ecosystem's heavy
folders through: `node_modules` in a Node build (package.json, npm, yarn or pnpm), `target` in
a Rust build (Cargo.toml, cargo).

## Why is this bad?
Everything in the context is sent to the builder and copied: the `.git` folder, local
`node_modules` built for another OS (which then shadow the ones installed in the image), build
outputs, `.env` files with secrets. Builds get slower, images bigger, and caches break on every
unrelated file change.

## Example
```dockerfile
COPY . .
```
with no `.dockerignore`.

## Use instead
(Quick fixes: create a `.dockerignore` fit for the ecosystem, or add the missing folders to the
existing one.) A `.dockerignore` such as:
```
.git
node_modules
dist
.env
```

## References
- https://docs.docker.com/build/concepts/context/#dockerignore-files
";

/// True when a `.dockerignore` line excludes `folder` at any depth or at the root.
fn ignores(dockerignore: &str, folder: &str) -> bool {
    dockerignore.lines().any(|line| {
        let pattern = line.trim();
        let pattern = pattern.strip_prefix("./").unwrap_or(pattern);
        let pattern = pattern.strip_prefix('/').unwrap_or(pattern);
        let pattern = pattern.strip_prefix("**/").unwrap_or(pattern);
        let pattern = pattern.strip_suffix("/**").unwrap_or(pattern);
        let pattern = pattern.strip_suffix('/').unwrap_or(pattern);
        pattern == folder || pattern == "*" || pattern == "**"
    })
}

/// The heavy folder of the ecosystem the build uses, judged from what it copies and runs.
fn heavy_folders(context: &RuleContext<'_>) -> Vec<&'static str> {
    let mut node = false;
    let mut rust = false;
    for (index, instruction) in context.tree.instructions.iter().enumerate() {
        match instruction.kind {
            InstructionKind::Copy | InstructionKind::Add => {
                for source in facts::copy_sources(instruction) {
                    let name = shell::program_name(&source.text);
                    node |= name.starts_with("package") && name.ends_with(".json");
                    rust |= name.starts_with("Cargo.");
                }
            }
            InstructionKind::Run => {
                for command in context.run_commands(index) {
                    let program = command.program();
                    node |= matches!(program, Some("npm" | "yarn" | "pnpm" | "npx"));
                    rust |= program == Some("cargo");
                }
            }
            _ => {}
        }
    }
    let mut folders = Vec::new();
    if node {
        folders.push("node_modules");
    }
    if rust {
        folders.push("target");
    }
    folders
}

fn check(context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(source) = context
        .tree
        .instructions
        .iter()
        .find_map(|instruction| facts::context_root_sources(instruction).first().copied())
    else {
        return;
    };
    let (message, fix) = match context.lint.dockerignore {
        None => (
            "this copies the whole build context and there is no .dockerignore: \
             .git, local dependencies, build outputs and secrets go into the image"
                .to_string(),
            dockerignore_fix(context.tree, context.model),
        ),
        Some(dockerignore) => {
            let missing: Vec<&str> = heavy_folders(context)
                .into_iter()
                .filter(|folder| !ignores(dockerignore, folder))
                .collect();
            if missing.is_empty() {
                return;
            }
            let listed = missing
                .iter()
                .map(|folder| format!("`{folder}`"))
                .collect::<Vec<_>>()
                .join(" or ");
            (
                format!(
                    "this copies the whole build context and .dockerignore does not exclude {listed}"
                ),
                Some(append_fix(dockerignore, &missing)),
            )
        }
    };
    let mut diagnostic = Diagnostic::new(
        RULE.meta.name,
        RULE.meta.default_severity,
        source.span,
        message,
    );
    diagnostic.fixes.extend(fix);
    out.push(diagnostic);
}

/// Adds the missing folders at the end of the existing `.dockerignore`.
fn append_fix(dockerignore: &str, missing: &[&str]) -> Fix {
    let mut text = String::new();
    if !dockerignore.is_empty() && !dockerignore.ends_with('\n') {
        text.push('\n');
    }
    for folder in missing {
        text.push_str(folder);
        text.push('\n');
    }
    let listed = missing.join(" and ");
    Fix {
        title: format!("Add {listed} to .dockerignore"),
        change: SourceChange {
            appends: vec![FileAppend {
                relative_path: ".dockerignore".to_string(),
                existing: dockerignore.to_string(),
                text,
            }],
            ..SourceChange::default()
        },
        preferred: true,
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::config::Config;
    use crate::ide::assists::dockerignore_fix;
    use crate::ide::diagnostics::rules::multistage::test_support::{
        check_fix_with, check_no, check_with, run_rule,
    };
    use crate::ide::diagnostics::test_support::dockerignore_after;
    use crate::model::Model;

    #[test]
    fn fires_without_a_dockerignore() {
        check_with(
            &RULE,
            "FROM node:22\nCOPY package.json .\nCOPY . .\nCOPY . /again\n",
            &Config::default(),
            None,
            expect![[r#"
                warning MissingDockerignore 3:6-3:7 `.`: this copies the whole build context and there is no .dockerignore: .git, local dependencies, build outputs and secrets go into the image
                  fix: Create .dockerignore
            "#]],
        );
    }

    #[test]
    fn fires_when_heavy_folders_get_through() {
        check_with(
            &RULE,
            "FROM node:22\nCOPY . .\nRUN npm ci && cargo build\n",
            &Config::default(),
            Some(".git\n/target/\n"),
            expect![[r#"
                warning MissingDockerignore 2:6-2:7 `.`: this copies the whole build context and .dockerignore does not exclude `node_modules`
                  fix: Add node_modules to .dockerignore (preferred)
            "#]],
        );
    }

    #[test]
    fn fix_creates_the_dockerignore_of_the_assist() {
        let text = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n";
        let config = Config::default();
        let parse = crate::syntax::parse(text);
        let assist = dockerignore_fix(&parse.tree, &Model::build(&parse.tree));
        let found = run_rule(&RULE, text, &config, None);
        let fix = found.first().and_then(|d| d.fixes.first());
        assert_eq!(fix, assist.as_ref());
        let created = fix.and_then(|fix| dockerignore_after(fix, None));
        assert!(
            created
                .as_deref()
                .is_some_and(|c| c.contains("node_modules\n"))
        );
        assert!(run_rule(&RULE, text, &config, created.as_deref()).is_empty());
    }

    #[test]
    fn fix_adds_the_missing_folders_to_the_dockerignore() {
        check_fix_with(
            &RULE,
            "FROM node:22\nCOPY . .\nRUN npm ci && cargo build\n",
            &Config::default(),
            Some(".git\n*.md"),
            expect![[r#"
                FROM node:22
                COPY . .
                RUN npm ci && cargo build
                --- .dockerignore
                .git
                *.md
                node_modules
                target
            "#]],
        );
    }

    #[test]
    fn accepts_good_dockerignores_and_named_copies() {
        check_no(&RULE, "FROM node:22\nCOPY . .\nRUN npm ci\n");
        check_no(&RULE, "FROM node:22\nCOPY src/ src/\nRUN npm ci\n");
        let config = Config::default();
        for dockerignore in ["**/node_modules\n", "*\n!src\n", "node_modules/\n"] {
            let diagnostics = crate::ide::diagnostics::rules::multistage::test_support::run_rule(
                &RULE,
                "FROM node:22\nCOPY . .\nRUN npm ci\n",
                &config,
                Some(dockerignore),
            );
            assert!(diagnostics.is_empty(), "{dockerignore}");
        }
    }
}
