//! CacheBustingCopyBeforeInstall: `COPY . .` before the dependency install, so every source
//! change reinstalls every dependency.

use crate::ide::diagnostics::{
    Check, Diagnostic, Fix, Related, RuleContext, RuleDef, RuleMeta, Severity,
};
use crate::ide::shell::{self, Command, Connector, DependencyInstall, PackageManager};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::{Args, Instruction, InstructionKind, Span, SyntaxTree, Word};

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "CacheBustingCopyBeforeInstall",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "`COPY . .` before the dependency install: any source change reinstalls everything",
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
Flags a COPY of the whole build context that comes before the stage's dependency install
(`npm ci`, `yarn install`, `pnpm install`, `pip install -r`, `go mod download`, `cargo fetch`).
Installs that come after a build step of the stage (a production-only reinstall that prunes
the build's dependencies) are not the dependency install and are left alone. When the install
directly follows the COPY, the fix copies the manifests first, installs, and then copies the
rest.

## Why is this bad?
A layer is rebuilt when the files it copies change. With the sources copied first, editing any
file invalidates the install layer: every build downloads and installs every dependency again.
With the manifests copied first, the install layer stays cached until the dependencies change.

## Example
```dockerfile
COPY . .
RUN npm ci
RUN npm run build
```

## Use instead
```dockerfile
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
```

## References
- https://docs.docker.com/build/cache/optimize/#order-your-layers
";

/// The install reads only its manifests (no source needed), and those are the files to copy.
fn manifests(install: &DependencyInstall<'_>) -> Option<String> {
    let manifest_only = install.packages.is_empty() && !install.global;
    match install.manager {
        PackageManager::Npm if manifest_only => Some("package*.json".to_string()),
        PackageManager::Yarn if manifest_only => Some("package.json yarn.lock*".to_string()),
        PackageManager::Pnpm if manifest_only => Some("package.json pnpm-lock.yaml*".to_string()),
        PackageManager::Pip if manifest_only && !install.requirement_files.is_empty() => Some(
            install
                .requirement_files
                .iter()
                .map(|file| file.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        PackageManager::GoMod => Some("go.mod go.sum*".to_string()),
        PackageManager::Cargo => Some("Cargo.toml Cargo.lock*".to_string()),
        _ => None,
    }
}

struct RootCopy<'t> {
    index: usize,
    instruction: &'t Instruction,
    source: &'t Word,
}

fn check(context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let tree = context.tree;
    for stage in &context.model.stages {
        let mut root_copy: Option<RootCopy<'_>> = None;
        for (index, instruction) in facts::body(tree, stage) {
            if root_copy.is_none() {
                if let Some(source) = facts::context_root_sources(instruction).first() {
                    root_copy = Some(RootCopy {
                        index,
                        instruction,
                        source,
                    });
                }
                continue;
            }
            let Some(copy) = &root_copy else {
                continue;
            };
            if instruction.kind != InstructionKind::Run {
                continue;
            }
            let commands = context.run_commands(index);
            // An install after the build (`yarn build && yarn install --production`) prunes
            // what the build needed; it is not the stage's dependency install.
            let first_build = commands
                .iter()
                .position(|command| shell::build_step(command).is_some());
            let found = commands.iter().enumerate().find_map(|(position, command)| {
                if first_build.is_some_and(|build| build < position) {
                    return None;
                }
                let install = shell::dependency_install(command)?;
                let manifests = manifests(&install)?;
                Some((position, manifests, install.words_span, install.manager))
            });
            let Some((position, manifests, install_span, manager)) = found else {
                if first_build.is_some() {
                    break;
                }
                continue;
            };
            let mut diagnostic = Diagnostic::new(
                RULE.meta.name,
                RULE.meta.default_severity,
                copy.source.span,
                format!(
                    "the whole context is copied before `{}`: any source change reinstalls every dependency; copy {manifests} first",
                    tree.slice(install_span)
                ),
            );
            diagnostic.related.push(Related {
                span: install_span,
                message: "the install that loses its cache".to_string(),
            });
            let adjacent = index == copy.index + 1;
            if adjacent
                && position == 0
                && let Some(fix) = reorder(tree, copy, instruction, commands, manager, &manifests)
            {
                diagnostic.fixes.push(fix);
            }
            out.push(diagnostic);
            break;
        }
    }
}

/// Where requirement files named in the image (`/src/requirements.txt`, or relative to the
/// WORKDIR when the context is copied to `.`) are in the build context; `None` unless each is a
/// plain file at the root of the copied context.
fn context_paths(files: &str, directory: &str) -> Option<String> {
    let mut paths = Vec::new();
    for file in files.split(' ') {
        let path = if file.starts_with('/') {
            file.strip_prefix(directory)?
        } else if directory == "./" {
            file.strip_prefix("./").unwrap_or(file)
        } else {
            return None;
        };
        if path.is_empty() || path.contains('/') {
            return None;
        }
        paths.push(path);
    }
    Some(paths.join(" "))
}

/// Copy the manifests and run the install before the COPY of the context, and drop the install
/// from its RUN.
fn reorder(
    tree: &SyntaxTree,
    copy: &RootCopy<'_>,
    run: &Instruction,
    commands: &[Command],
    manager: PackageManager,
    manifests: &str,
) -> Option<Fix> {
    let Args::Text(script) = &run.args else {
        return None;
    };
    let install = commands.first()?;
    if !run.heredocs.is_empty() {
        return None;
    }
    let destination = facts::copy_destination(copy.instruction)?;
    let directory = match destination.text.as_str() {
        "." => "./".to_string(),
        text if text.ends_with('/') => text.to_string(),
        text => format!("{text}/"),
    };
    let manifests = if manager == PackageManager::Pip {
        context_paths(manifests, &directory)?
    } else {
        manifests.to_string()
    };
    let copy_flags = tree.slice(Span::new(
        copy.instruction.keyword.end,
        copy.source.span.start,
    ));
    let run_flags = tree.slice(Span::new(run.keyword.end, script.span.start));
    let install_text = tree.slice(install.span);
    let install_text = if install.program() == Some("cargo") {
        // `cargo fetch` needs a target to read the manifest; the real sources replace it.
        format!("mkdir -p src && echo 'fn main() {{}}' > src/main.rs && {install_text}")
    } else {
        install_text.to_string()
    };
    let inserted = format!(
        "{}{copy_flags}{manifests} {directory}\n{}{run_flags}{install_text}\n",
        copy.instruction.keyword_text, run.keyword_text,
    );
    let removal = match commands.get(1) {
        None => {
            let text = tree.text();
            let end = if text.get(run.span.end..run.span.end + 1) == Some("\n") {
                run.span.end + 1
            } else {
                run.span.end
            };
            Span::new(run.span.start, end)
        }
        Some(next) if matches!(next.connector, Some(Connector::And | Connector::Sequence)) => {
            Span::new(install.span.start, next.span.start)
        }
        Some(_) => return None,
    };
    Some(Fix {
        title: format!("Copy {manifests} and install before copying the sources"),
        change: SourceChange::from_edits(vec![
            TextEdit::insert(copy.instruction.span.start, inserted),
            TextEdit::delete(removal),
        ]),
        preferred: true,
    })
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_fix, check_no};

    #[test]
    fn fires_on_installs_after_the_context_copy() {
        check(
            &RULE,
            "FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nENV CI=1\nRUN npm ci && npm run build\n\
             FROM python:3.12\nCOPY . /src\nRUN pip install -r /src/requirements.txt\n",
            expect![[r#"
                warning CacheBustingCopyBeforeInstall 3:6-3:7 `.`: the whole context is copied before `npm ci`: any source change reinstalls every dependency; copy package*.json first
                  related 5:5-5:11 `npm ci`: the install that loses its cache
                warning CacheBustingCopyBeforeInstall 7:6-7:7 `.`: the whole context is copied before `pip install`: any source change reinstalls every dependency; copy /src/requirements.txt first
                  related 8:5-8:16 `pip install`: the install that loses its cache
                  fix: Copy requirements.txt and install before copying the sources (preferred)
            "#]],
        );
    }

    #[test]
    fn accepts_manifests_first() {
        check_no(
            &RULE,
            "FROM node:22\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n",
        );
        check_no(
            &RULE,
            "FROM python:3.12\nCOPY . .\nRUN pip install . && pip install flask\n",
        );
        check_no(
            &RULE,
            "FROM node:22\nCOPY . .\nCOPY --from=deps /app/node_modules ./node_modules\n\
             RUN yarn build && yarn install --production --ignore-scripts\n",
        );
    }

    #[test]
    fn no_fix_where_the_requirement_file_cannot_be_found_in_the_context() {
        check(
            &RULE,
            "FROM python:3.12\nWORKDIR /app\nCOPY . /src\nRUN pip install -r requirements.txt\n",
            expect![[r#"
                warning CacheBustingCopyBeforeInstall 3:6-3:7 `.`: the whole context is copied before `pip install`: any source change reinstalls every dependency; copy requirements.txt first
                  related 4:5-4:16 `pip install`: the install that loses its cache
            "#]],
        );
    }

    #[test]
    fn fixes_npm() {
        check_fix(
            &RULE,
            "FROM node:22\nWORKDIR /app\nCOPY --chown=node:node . .\nRUN --mount=type=cache,target=/root/.npm npm ci \\\n && npm run build\n",
            expect![[r#"
                FROM node:22
                WORKDIR /app
                COPY --chown=node:node package*.json ./
                RUN --mount=type=cache,target=/root/.npm npm ci
                COPY --chown=node:node . .
                RUN --mount=type=cache,target=/root/.npm npm run build
            "#]],
        );
    }

    #[test]
    fn fixes_pip_with_absolute_paths() {
        check_fix(
            &RULE,
            "FROM python:3.12\nCOPY . /src/\nRUN pip install -r /src/requirements.txt\n",
            expect![[r#"
                FROM python:3.12
                COPY requirements.txt /src/
                RUN pip install -r /src/requirements.txt
                COPY . /src/
            "#]],
        );
    }

    #[test]
    fn fixes_yarn_pnpm_pip_go_and_cargo() {
        check_fix(
            &RULE,
            "FROM node:22\nCOPY . /app\nRUN yarn install --frozen-lockfile\n",
            expect![[r#"
            FROM node:22
            COPY package.json yarn.lock* /app/
            RUN yarn install --frozen-lockfile
            COPY . /app
        "#]],
        );
        check_fix(
            &RULE,
            "FROM node:22\nCOPY . .\nRUN pnpm install\nRUN pnpm build\n",
            expect![[r#"
            FROM node:22
            COPY package.json pnpm-lock.yaml* ./
            RUN pnpm install
            COPY . .
            RUN pnpm build
        "#]],
        );
        check_fix(
            &RULE,
            "FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n",
            expect![[r#"
            FROM python:3.12
            COPY requirements.txt ./
            RUN pip install -r requirements.txt
            COPY . .
        "#]],
        );
        check_fix(
            &RULE,
            "FROM golang:1.23\nCOPY . .\nRUN go mod download; go build -o /app .\n",
            expect![[r#"
            FROM golang:1.23
            COPY go.mod go.sum* ./
            RUN go mod download
            COPY . .
            RUN go build -o /app .
        "#]],
        );
        check_fix(
            &RULE,
            "FROM rust:1.82\nCOPY . .\nRUN cargo fetch\nRUN cargo build --release\n",
            expect![[r#"
            FROM rust:1.82
            COPY Cargo.toml Cargo.lock* ./
            RUN mkdir -p src && echo 'fn main() {}' > src/main.rs && cargo fetch
            COPY . .
            RUN cargo build --release
        "#]],
        );
    }
}
