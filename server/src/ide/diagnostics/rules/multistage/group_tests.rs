//! The multi-stage and practice rules together: on the tutorial's examples, and on the real
//! corpus (per-rule hit counts, reviewed by hand).

use std::collections::BTreeMap;
use std::path::PathBuf;

use expect_test::{Expect, expect};

use super::test_support::{TYPICAL_DOCKERIGNORE, render, run_rule};
use crate::config::Config;
use crate::ide::diagnostics::{Diagnostic, RuleDef};

fn our_rules() -> impl Iterator<Item = &'static RuleDef> {
    super::RULES
        .iter()
        .chain(super::super::practices::RULES)
        .filter(|rule| rule.meta.enabled_by_default)
}

fn lint(text: &str, dockerignore: Option<&str>) -> Vec<Diagnostic> {
    let config = Config::default();
    our_rules()
        .flat_map(|rule| run_rule(rule, text, &config, dockerignore))
        .collect()
}

fn check(text: &str, expect: Expect) {
    expect.assert_eq(&render(text, &lint(text, Some(TYPICAL_DOCKERIGNORE))));
}

#[test]
fn tutorial_single_stage_typescript_api() {
    check(
        "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm install\nRUN npm run build\nEXPOSE 3000\nCMD [\"node\", \"dist/index.js\"]\n",
        expect![[r#"
            warning FinalStageRunsAsRoot 1:1-1:5 `FROM`: the container runs as root: `node:20-alpine` ships the non-root user `node`; add `USER node`
              fix: Add `USER node` (preferred)
            warning BuildToolsInFinalStage 5:5-5:18 `npm run build`: `npm run build` builds in the only stage, so the image ships the toolchain and sources: build in a builder stage and copy the output into a runner stage
              fix: Extract runner stage
            warning CacheBustingCopyBeforeInstall 3:6-3:7 `.`: the whole context is copied before `npm install`: any source change reinstalls every dependency; copy package*.json first
              related 4:5-4:16 `npm install`: the install that loses its cache
              fix: Copy package*.json and install before copying the sources (preferred)
        "#]],
    );
}

#[test]
fn tutorial_multi_stage_typescript_api() {
    check(
        "# Stage 1: Compile TS\nFROM node:20-alpine AS builder\nWORKDIR /app\nCOPY . .\nRUN npm install\nRUN npm run build\n\n\
         # Stage 2: Run with only JS output\nFROM node:20-alpine\nWORKDIR /app\nCOPY --from=builder /app/dist ./dist\n\
         COPY --from=builder /app/package*.json ./\nRUN npm ci --omit=dev\nCMD [\"node\", \"dist/server.js\"]\n",
        expect![[r#"
            warning FinalStageRunsAsRoot 9:1-9:5 `FROM`: the container runs as root: `node:20-alpine` ships the non-root user `node`; add `USER node`
              fix: Add `USER node` (preferred)
            warning CacheBustingCopyBeforeInstall 4:6-4:7 `.`: the whole context is copied before `npm install`: any source change reinstalls every dependency; copy package*.json first
              related 5:5-5:16 `npm install`: the install that loses its cache
              fix: Copy package*.json and install before copying the sources (preferred)
        "#]],
    );
}

#[test]
fn tutorial_react_app() {
    check(
        "# Step 1: Build React App\nFROM node:20-alpine AS builder\nWORKDIR /app\nCOPY package*.json ./\nRUN npm install\nCOPY . .\nRUN npm run build\n\n\
         # Step 2: Serve using NGINX\nFROM nginx:alpine\nCOPY --from=builder /app/build /usr/share/nginx/html\nEXPOSE 80\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
        expect![""],
    );
}

#[test]
fn tutorial_full_recap_is_clean() {
    check(
        "FROM node:20-alpine3.19 as base\n\n# Stage 1: Build Stuff\nFROM base as builder\n\nWORKDIR /home/build\n\nCOPY package*.json .\n\nCOPY tsconfig.json .\n\n\
         RUN npm install\n\nCOPY src/ src/\n\nRUN npm run build\n\n# Stage 2: Runner\nFROM base as runner\n\nWORKDIR /home/app\n\n\
         COPY --from=builder /home/build/dist dist/\nCOPY --from=builder /home/build/package*.json .\n\nRUN npm install --omit=dev\n\n\
         RUN addgroup --system --gid 1001 nodejs\nRUN adduser --system --uid 1001 nodejs\n\nUSER nodejs\n\nEXPOSE 8000\nENV PORT=8000\n\n\
         CMD [ \"npm\", \"start\" ]\n",
        expect![[""]],
    );
}

/// Per-rule hit counts over the real corpus, with a typical `.dockerignore` (the corpus has
/// none; the no-.dockerignore branches are covered by the rules' own tests). Set
/// `STAGESMITH_PRINT_HITS=1` to print every hit for review.
#[test]
fn corpus_hit_counts() {
    let files = crate::test_corpus::real_files();
    assert!(files.len() > 250, "corpus not found");
    let print = std::env::var_os("STAGESMITH_PRINT_HITS").is_some();
    let mut counts: BTreeMap<&str, (usize, usize)> =
        our_rules().map(|rule| (rule.meta.name, (0, 0))).collect();
    for path in &files {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned();
        let diagnostics = lint(&text, Some(TYPICAL_DOCKERIGNORE));
        let mut seen_rules = Vec::new();
        for diagnostic in &diagnostics {
            if let Some((hits, files)) = counts.get_mut(diagnostic.code) {
                *hits += 1;
                if !seen_rules.contains(&diagnostic.code) {
                    seen_rules.push(diagnostic.code);
                    *files += 1;
                }
            }
            if print {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default();
                let line = text
                    .get(..diagnostic.span.start)
                    .map_or(0, |b| b.matches('\n').count() + 1);
                println!(
                    "HIT {} {name}:{line} `{}` {}",
                    diagnostic.code,
                    text.get(diagnostic.span.start..diagnostic.span.end)
                        .unwrap_or("?"),
                    diagnostic.message
                );
            }
        }
    }
    let table: String = counts
        .iter()
        .map(|(rule, (hits, files))| format!("{rule}: {hits} hits in {files} files\n"))
        .collect();
    expect![[r#"
        AddInsteadOfCopy: 22 hits in 6 files
        ApkAddWithoutNoCache: 4 hits in 4 files
        AptGetInstallRecommends: 49 hits in 30 files
        AptGetInstallWithoutYes: 1 hits in 1 files
        AptInsteadOfAptGet: 18 hits in 8 files
        AptListsNotRemoved: 25 hits in 20 files
        BuildToolsInFinalStage: 0 hits in 0 files
        CacheBustingCopyBeforeInstall: 1 hits in 1 files
        CdInRun: 21 hits in 9 files
        CopyEverythingIntoFinalStage: 3 hits in 3 files
        CopySourcesToFile: 0 hits in 0 files
        CopyWholeStageFilesystem: 0 hits in 0 files
        DevDependenciesInFinalStage: 10 hits in 4 files
        FinalStageRunsAsRoot: 62 hits in 62 files
        InvalidExposePort: 0 hits in 0 files
        MissingDockerignore: 0 hits in 0 files
        NpmInstallInsteadOfCi: 0 hits in 0 files
        PipInstallWithCache: 9 hits in 4 files
        PipeWithoutPipefail: 67 hits in 53 files
        StageReferencedByIndex: 6 hits in 3 files
        SudoInRun: 21 hits in 4 files
        UnknownStage: 3 hits in 2 files
        UnpinnedBaseImage: 68 hits in 55 files
        UnusedStage: 5 hits in 4 files
    "#]]
    .assert_eq(&table);
}

/// The repository's examples, each with its own `.dockerignore`: the single-stage build gets
/// the advice to split it, the multi-stage ones are clean.
#[test]
fn repository_examples() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut report = String::new();
    for example in [
        "node-typescript/single-stage",
        "node-typescript/multi-stage",
        "go-api",
        "python-flask",
        "react-nginx",
    ] {
        let folder = root.join(example);
        let text = std::fs::read_to_string(folder.join("Dockerfile")).unwrap_or_default();
        assert!(!text.is_empty(), "missing example {example}");
        let dockerignore = std::fs::read_to_string(folder.join(".dockerignore")).ok();
        let diagnostics = lint(&text, dockerignore.as_deref());
        report.push_str(&format!("## {example}\n{}", render(&text, &diagnostics)));
    }
    expect![[r#"
        ## node-typescript/single-stage
        warning FinalStageRunsAsRoot 8:1-8:5 `FROM`: the container runs as root: `node:22-alpine` ships the non-root user `node`; add `USER node`
          fix: Add `USER node` (preferred)
        warning BuildToolsInFinalStage 13:5-13:18 `npm run build`: `npm run build` builds in the only stage, so the image ships the toolchain and sources: build in a builder stage and copy the output into a runner stage
          fix: Extract runner stage
        ## node-typescript/multi-stage
        ## go-api
        ## python-flask
        ## react-nginx
    "#]].assert_eq(&report);
}
