//! DevDependenciesInFinalStage: development dependencies and compilers installed into the final
//! stage of a multi-stage build.

use crate::ide::diagnostics::{Check, Diagnostic, RuleContext, RuleDef, RuleMeta, Severity};
use crate::ide::shell::{self, Command, DependencyInstall, PackageManager};
use crate::ide::{SourceChange, TextEdit};

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "DevDependenciesInFinalStage",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "dev dependencies or compilers installed in the final stage of a multi-stage build",
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
In a multi-stage build, checks the final stage (and the stages it is built `FROM`) for the
following, unless the final stage's name marks it as a development or test image (`dev`,
`test`, `lint`, `ci`…):
- `npm ci`/`npm install`/`yarn install`/`pnpm install` without a production flag
  (`--omit=dev`, `--production`, `--prod`) while `NODE_ENV` is not `production`;
- `pip install -r` of a development requirements file (`requirements-dev.txt`, `test-requirements.txt`…);
- compilers and build tools (`build-essential`, `build-base`, `gcc`, `make`…) installed with
  apt-get or apk when the final stage also compiles with them (`pip install`, `make`,
  `npm ci`…), unless the same RUN removes them again. Compilers the Dockerfile never uses, and
  compilers next to a language toolchain copied into the final stage (`/usr/local/go`), are
  taken to be what the image is for (CI, toolchain and JIT images).

## Why is this bad?
The point of a separate final stage is to ship only what runs: dev dependencies (test runners,
type checkers, bundlers) and compilers add hundreds of megabytes and attack surface and are
never used at run time. They belong in the builder stage.

## Example
```dockerfile
FROM node:22-alpine
COPY --from=build /app/dist ./dist
COPY package*.json ./
RUN npm ci
```

## Use instead
```dockerfile
RUN npm ci --omit=dev
```

## References
- https://docs.npmjs.com/cli/commands/npm-ci#omit
- https://docs.docker.com/build/building/multi-stage/
";

/// Packages that only compile things.
const BUILD_PACKAGES: [&str; 14] = [
    "build-essential",
    "build-base",
    "gcc",
    "g++",
    "clang",
    "make",
    "cmake",
    "autoconf",
    "automake",
    "libtool",
    "musl-dev",
    "libc6-dev",
    "libc-dev",
    "gfortran",
];

/// Programs that compile native code (directly or through a package's build scripts).
const COMPILING_PROGRAMS: [&str; 14] = [
    "make",
    "cmake",
    "configure",
    "cc",
    "g++",
    "clang",
    "gem",
    "bundle",
    "npm",
    "yarn",
    "pnpm",
    "node-gyp",
    "cargo",
    "go",
];

/// Paths of language toolchains that images copy from official images.
const TOOLCHAIN_PATHS: [&str; 6] = [
    "/usr/local/go",
    "/usr/local/cargo",
    "/usr/local/rustup",
    "/usr/local/bin/node",
    "/usr/local/lib/node_modules",
    "/opt/java",
];

/// The final stage copies a language toolchain in from another image (`COPY --from=golang
/// /usr/local/go …`): it is a build or CI environment, where compilers are the point.
fn ships_a_toolchain(context: &RuleContext<'_>, last: &crate::model::Stage) -> bool {
    facts::lineage(context.model, last)
        .into_iter()
        .any(|stage| {
            facts::body(context.tree, stage).any(|(_, instruction)| {
                instruction.flag("from").is_some()
                    && facts::copy_sources(instruction).iter().any(|source| {
                        TOOLCHAIN_PATHS
                            .iter()
                            .any(|path| source.text.trim_end_matches('/') == *path)
                    })
            })
        })
}

/// The production flag each Node package manager takes.
fn production_flag(manager: PackageManager) -> Option<&'static str> {
    match manager {
        PackageManager::Npm => Some("--omit=dev"),
        PackageManager::Yarn => Some("--production"),
        PackageManager::Pnpm => Some("--prod"),
        _ => None,
    }
}

fn is_dev_requirements(file: &str) -> bool {
    let name = shell::program_name(file).to_ascii_lowercase();
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| {
            matches!(
                word,
                "dev" | "develop" | "development" | "test" | "tests" | "testing" | "lint"
            )
        })
}

/// True when a command of the RUN removes packages again (`apk del`, `apt-get purge`).
fn removes_packages(commands: &[Command]) -> bool {
    commands.iter().any(|command| {
        let sub = command
            .args()
            .iter()
            .find(|word| !word.text.starts_with('-'));
        let sub = sub.map(|word| word.text.as_str());
        match command.program() {
            Some("apk") => sub == Some("del"),
            Some("apt-get" | "apt") => matches!(sub, Some("purge" | "remove" | "autoremove")),
            _ => false,
        }
    })
}

fn node_diagnostic(install: &DependencyInstall<'_>) -> Option<Diagnostic> {
    let flag = production_flag(install.manager)?;
    let mut diagnostic = Diagnostic::new(
        RULE.meta.name,
        RULE.meta.default_severity,
        install.words_span,
        format!("this installs dev dependencies into the final image: add `{flag}`"),
    );
    diagnostic.fixes.push(crate::ide::diagnostics::Fix {
        title: format!("Add `{flag}`"),
        change: SourceChange::from_edits(vec![TextEdit::insert(
            install.words_span.end,
            format!(" {flag}"),
        )]),
        preferred: true,
    });
    Some(diagnostic)
}

fn check(context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let model = context.model;
    let Some(last) = model.final_stage() else {
        return;
    };
    if model.stages.len() < 2 || facts::is_dev_stage(last) {
        return;
    }
    // Compilers installed to compile something in the final stage (`pip install` of a
    // package with C extensions, `make`) belong in a builder. Compilers the Dockerfile never
    // uses are what the image is for (CI and toolchain images, runtime JIT compilation).
    let compiles = facts::lineage(model, last).into_iter().any(|stage| {
        facts::runs(context, stage).any(|(_, _, commands)| {
            commands.iter().any(|command| {
                shell::build_step(command).is_some()
                    || command.program().is_some_and(|program| {
                        COMPILING_PROGRAMS.contains(&program)
                            || program.starts_with("pip")
                            || program.starts_with("gcc")
                    })
            })
        })
    });
    let compiles = compiles && !ships_a_toolchain(context, last);
    let production_env =
        facts::env_value(context.tree, model, last, "NODE_ENV").as_deref() == Some("production");
    for stage in facts::lineage(model, last) {
        for (_, _, commands) in facts::runs(context, stage) {
            let removed_later = removes_packages(commands);
            for command in commands {
                let Some(install) = shell::dependency_install(command) else {
                    continue;
                };
                let manifest_install = install.packages.is_empty() && !install.global;
                if install.manager.is_node() {
                    if manifest_install && !install.production_only && !production_env {
                        out.extend(node_diagnostic(&install));
                    }
                } else if install.manager == PackageManager::Pip {
                    for file in install
                        .requirement_files
                        .iter()
                        .filter(|file| is_dev_requirements(&file.text))
                    {
                        out.push(Diagnostic::new(
                            RULE.meta.name,
                            RULE.meta.default_severity,
                            file.span,
                            format!(
                                "`{}` looks like development requirements: install them in a builder or test stage",
                                file.text
                            ),
                        ));
                    }
                } else if install.manager.is_system() && compiles && !removed_later {
                    for package in install
                        .packages
                        .iter()
                        .filter(|package| BUILD_PACKAGES.contains(&package.text.as_str()))
                    {
                        out.push(Diagnostic::new(
                            RULE.meta.name,
                            RULE.meta.default_severity,
                            package.span,
                            format!(
                                "`{}` is a build tool: compile in a builder stage and copy the result",
                                package.text
                            ),
                        ));
                    }
                }
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
    fn fires_in_the_final_stage() {
        check(
            &RULE,
            "FROM node:22 AS build\nRUN npm ci && apt-get install -y gcc\n\
             FROM python:3.12-slim\nRUN apt-get install -y --no-install-recommends build-essential libpq5 \
             && pip install -r requirements-dev.txt -r requirements.txt\nRUN yarn install --frozen-lockfile\n",
            expect![[r#"
                warning DevDependenciesInFinalStage 4:48-4:63 `build-essential`: `build-essential` is a build tool: compile in a builder stage and copy the result
                warning DevDependenciesInFinalStage 4:89-4:109 `requirements-dev.txt`: `requirements-dev.txt` looks like development requirements: install them in a builder or test stage
                warning DevDependenciesInFinalStage 5:5-5:17 `yarn install`: this installs dev dependencies into the final image: add `--production`
                  fix: Add `--production` (preferred)
            "#]],
        );
    }

    #[test]
    fn accepts_production_installs_and_single_stage_builds() {
        check_no(&RULE, "FROM node:22\nRUN npm ci\n");
        check_no(
            &RULE,
            "FROM node:22 AS build\nFROM node:22-slim\nRUN npm ci --omit=dev && pnpm i -P && yarn --production\n",
        );
        check_no(
            &RULE,
            "FROM node:22 AS build\nFROM node:22-slim\nENV NODE_ENV=production\nRUN npm ci\n",
        );
        check_no(
            &RULE,
            "FROM python:3 AS build\nFROM python:3-alpine\nRUN apk add --virtual .b gcc musl-dev && pip install x && apk del .b\n",
        );
        check_no(
            &RULE,
            "FROM golang:1.23 AS tools\nFROM debian:12\nRUN apt-get install -y gcc make\nENTRYPOINT [\"ci.sh\"]\n",
        );
        check_no(
            &RULE,
            "FROM golang:1.23 AS go\nFROM debian:12\nCOPY --from=go /usr/local/go /usr/local/go\n\
             RUN apt-get install -y build-essential && go install x@latest\n",
        );
        check_no(
            &RULE,
            "FROM node:22 AS build\nFROM node:22 AS dev-envs\nRUN npm ci && apt-get install -y gcc\nCMD [\"npm\", \"run\", \"dev\"]\n",
        );
    }

    #[test]
    fn fix_adds_the_production_flag() {
        check_fix(
            &RULE,
            "FROM node:22 AS build\nFROM node:22-slim\nRUN npm ci\n",
            expect![[r#"
                FROM node:22 AS build
                FROM node:22-slim
                RUN npm ci --omit=dev
            "#]],
        );
    }
}
