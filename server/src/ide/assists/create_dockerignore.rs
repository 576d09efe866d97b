//! Create `.dockerignore`: without one the whole folder (`.git`, `node_modules`, local `.env`
//! secrets, build output) is sent to the builder and `COPY . .` puts it in the image. The file
//! gets the entries that fit the ecosystems the Dockerfile uses, minus anything it copies by name.
//!
//! ```text
//! FROM node:20-alpine                   .dockerignore (new):
//! COPY . .                        →     .git
//! RUN npm ci && npm run build           node_modules
//!                                       …
//! ```

use super::facts;
use super::{Assist, AssistContext, AssistKind};
use crate::ide::diagnostics::Fix;
use crate::ide::{NewFile, SourceChange};
use crate::knowledge::{self, Ecosystem};
use crate::model::Model;
use crate::syntax::{InstructionKind, SyntaxTree};

pub(super) fn create_dockerignore(ctx: &AssistContext<'_>, acc: &mut Vec<Assist>) -> Option<()> {
    if ctx.dockerignore.is_some() {
        return None;
    }
    let fix = dockerignore_fix(ctx.tree, ctx.model)?;
    acc.push(Assist {
        id: "create_dockerignore",
        label: fix.title,
        kind: AssistKind::QuickFix,
        change: fix.change,
    });
    Some(())
}

/// The quick fix MissingDockerignore offers: a new `.dockerignore` next to the Dockerfile.
pub fn dockerignore_fix(tree: &SyntaxTree, model: &Model) -> Option<Fix> {
    if model.stages.is_empty() {
        return None;
    }
    let copied = copied_names(tree);
    let mut content = String::new();
    for (heading, entries) in sections(tree, model) {
        let kept: Vec<&str> = entries
            .iter()
            .copied()
            .filter(|entry| {
                !copied
                    .iter()
                    .any(|name| name == entry.trim_end_matches('/'))
            })
            .collect();
        if kept.is_empty() || content.contains(&format!("# {heading}\n")) {
            continue;
        }
        if !content.is_empty() {
            content.push('\n');
        }
        content.push_str(&format!("# {heading}\n"));
        for entry in kept {
            if !content.lines().any(|line| line == entry) {
                content.push_str(entry);
                content.push('\n');
            }
        }
    }
    Some(Fix {
        title: "Create .dockerignore".to_string(),
        change: SourceChange {
            edits: Vec::new(),
            new_files: vec![NewFile {
                relative_path: ".dockerignore".to_string(),
                content,
            }],
            ..SourceChange::default()
        },
        preferred: false,
    })
}

/// The entries, grouped under a heading, for what the Dockerfile uses.
fn sections(tree: &SyntaxTree, model: &Model) -> Vec<(&'static str, Vec<&'static str>)> {
    // Analysing a stage's shell commands is the costly part: once per stage, not per question.
    let commands: Vec<_> = (0..model.stages.len())
        .map(|stage| facts::stage_commands(tree, model, stage))
        .collect();
    let uses = |programs: &[&str], ecosystem: Ecosystem| {
        commands.iter().enumerate().any(|(stage, stage_commands)| {
            let image = facts::base_image(tree, model, stage).unwrap_or_default();
            knowledge::base_image(&image).is_some_and(|b| b.ecosystem == ecosystem)
                || stage_commands
                    .iter()
                    .any(|(_, c)| programs.contains(&c.program()))
        })
    };
    let mut out = vec![
        (
            "Version control and editors",
            vec![
                ".git",
                ".gitignore",
                ".vscode",
                ".idea",
                "*.swp",
                ".DS_Store",
            ],
        ),
        (
            "Secrets and local settings",
            vec![".env", ".env.*", "*.pem", "*.key"],
        ),
        (
            "Docker",
            vec![
                "Dockerfile*",
                ".dockerignore",
                "docker-compose*.yml",
                "compose*.yaml",
            ],
        ),
    ];
    if uses(
        &["npm", "yarn", "pnpm", "bun", "npx", "node"],
        Ecosystem::Node,
    ) {
        out.push((
            "Node",
            vec![
                "node_modules",
                "npm-debug.log*",
                "yarn-error.log",
                "dist",
                "build",
                "coverage",
                ".next",
            ],
        ));
    }
    if uses(
        &["pip", "pip3", "python", "python3", "poetry", "uv"],
        Ecosystem::Python,
    ) {
        out.push((
            "Python",
            vec![
                "__pycache__",
                "*.pyc",
                ".venv",
                "venv",
                ".pytest_cache",
                ".mypy_cache",
                "*.egg-info",
                "dist",
                "build",
            ],
        ));
    }
    if uses(&["go"], Ecosystem::Go) {
        out.push(("Go", vec!["bin", "*.test", "coverage.out"]));
    }
    if uses(&["cargo", "rustc"], Ecosystem::Rust) {
        out.push(("Rust", vec!["target"]));
    }
    if uses(
        &["mvn", "mvnw", "gradle", "gradlew", "java"],
        Ecosystem::Java,
    ) {
        out.push(("Java", vec!["target", "build", ".gradle"]));
    }
    if uses(&["dotnet"], Ecosystem::Dotnet) {
        out.push((".NET", vec!["bin", "obj"]));
    }
    let runs_tests = commands.iter().flatten().any(|(_, c)| {
        c.words
            .iter()
            .any(|w| w == "test" || w.starts_with("test:") || w == "pytest")
    });
    if !runs_tests {
        out.push((
            "Tests (no stage runs them)",
            vec!["tests", "test", "__tests__"],
        ));
    }
    out
}

/// The first path segment of every build-context source a COPY/ADD names: the ignore file must
/// not hide those.
fn copied_names(tree: &SyntaxTree) -> Vec<String> {
    tree.instructions
        .iter()
        .filter(|i| matches!(i.kind, InstructionKind::Copy | InstructionKind::Add))
        .filter(|i| i.flag("from").is_none())
        .flat_map(|i| {
            let words: Vec<String> = match i.exec_items() {
                Some(items) => items.iter().map(|w| w.text.clone()).collect(),
                None => i.words().iter().map(|w| w.text.clone()).collect(),
            };
            let sources = words.len().saturating_sub(1);
            words.into_iter().take(sources)
        })
        .filter_map(|source| {
            let first = source
                .trim_start_matches("./")
                .split('/')
                .next()?
                .to_string();
            (!first.is_empty() && first != ".").then_some(first)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::create_dockerignore;
    use crate::ide::assists::test_support::{check, run};

    #[test]
    fn node_project() {
        check(
            create_dockerignore,
            "FROM node:20-alpine$0\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n",
            expect![[r#"
                Create .dockerignore (quickfix)
                FROM node:20-alpine
                WORKDIR /app
                COPY . .
                RUN npm ci && npm run build

                --- new file .dockerignore
                # Version control and editors
                .git
                .gitignore
                .vscode
                .idea
                *.swp
                .DS_Store

                # Secrets and local settings
                .env
                .env.*
                *.pem
                *.key

                # Docker
                Dockerfile*
                .dockerignore
                docker-compose*.yml
                compose*.yaml

                # Node
                node_modules
                npm-debug.log*
                yarn-error.log
                dist
                build
                coverage
                .next

                # Tests (no stage runs them)
                tests
                test
                __tests__
            "#]],
        );
    }

    #[test]
    fn python_and_go_keep_what_is_copied_by_name() {
        check(
            create_dockerignore,
            r#"FROM golang:1.22 AS build$0
COPY bin/ ./bin/
RUN go test ./... && go build -o /out/app .
FROM python:3.12-slim
COPY dist/ /wheels/
RUN pip install /wheels/*
"#,
            expect![[r#"
                Create .dockerignore (quickfix)
                FROM golang:1.22 AS build
                COPY bin/ ./bin/
                RUN go test ./... && go build -o /out/app .
                FROM python:3.12-slim
                COPY dist/ /wheels/
                RUN pip install /wheels/*

                --- new file .dockerignore
                # Version control and editors
                .git
                .gitignore
                .vscode
                .idea
                *.swp
                .DS_Store

                # Secrets and local settings
                .env
                .env.*
                *.pem
                *.key

                # Docker
                Dockerfile*
                .dockerignore
                docker-compose*.yml
                compose*.yaml

                # Python
                __pycache__
                *.pyc
                .venv
                venv
                .pytest_cache
                .mypy_cache
                *.egg-info
                build

                # Go
                *.test
                coverage.out
            "#]],
        );
    }

    #[test]
    fn not_offered_when_the_file_exists() {
        let config = crate::config::Config::default();
        let (_, offered) = run(create_dockerignore, "FROM alpine$0\n", &config);
        assert_eq!(offered.len(), 1);
        let text = "FROM alpine\n";
        let tree = crate::syntax::parse(text).tree;
        let model = crate::model::Model::build(&tree);
        let ctx = crate::ide::assists::AssistContext {
            tree: &tree,
            model: &model,
            range: crate::syntax::Span::empty(0),
            config: &config,
            dockerignore: Some(".git\n"),
        };
        let mut out = Vec::new();
        assert!(create_dockerignore(&ctx, &mut out).is_none());
    }
}
