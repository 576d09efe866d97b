//! MissingDockerignore: the build copies its context root without a `.dockerignore` that keeps
//! heavy folders out.

use crate::ide::diagnostics::{Diagnostic, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::shell;
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
    check,
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
A `.dockerignore` such as:
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
    for instruction in &context.tree.instructions {
        match instruction.kind {
            InstructionKind::Copy | InstructionKind::Add => {
                for source in facts::copy_sources(instruction) {
                    let name = shell::program_name(&source.text);
                    node |= name.starts_with("package") && name.ends_with(".json");
                    rust |= name.starts_with("Cargo.");
                }
            }
            InstructionKind::Run => {
                for command in shell::run_commands(context.tree, instruction) {
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
    let message = match context.lint.dockerignore {
        None => "this copies the whole build context and there is no .dockerignore: \
                 .git, local dependencies, build outputs and secrets go into the image"
            .to_string(),
        Some(dockerignore) => {
            let missing: Vec<&str> = heavy_folders(context)
                .into_iter()
                .filter(|folder| !ignores(dockerignore, folder))
                .collect();
            if missing.is_empty() {
                return;
            }
            format!(
                "this copies the whole build context and .dockerignore does not exclude {}",
                missing
                    .iter()
                    .map(|folder| format!("`{folder}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )
        }
    };
    out.push(Diagnostic::new(
        RULE.meta.name,
        RULE.meta.default_severity,
        source.span,
        message,
    ));
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::config::Config;
    use crate::ide::diagnostics::rules::multistage::test_support::{check_no, check_with};

    #[test]
    fn fires_without_a_dockerignore() {
        check_with(
            &RULE,
            "FROM node:22\nCOPY package.json .\nCOPY . .\nCOPY . /again\n",
            &Config::default(),
            None,
            expect![[r#"
                warning MissingDockerignore 3:6-3:7 `.`: this copies the whole build context and there is no .dockerignore: .git, local dependencies, build outputs and secrets go into the image
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
