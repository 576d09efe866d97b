//! Paths in another stage: completion and hover for the source paths of `COPY --from=<stage>`
//! and `RUN --mount=…,from=<stage>,source=…`, from what that stage evidently produces
//! (`model::outputs`). Both kinds of path are relative to the source stage's root.

use crate::model::outputs::{OutputKind, join, paths_under, stage_outputs};
use crate::model::{Model, Resolution, StageRef, StageRefKind};
use crate::syntax::{InstructionKind, Span, SyntaxTree};

/// One completion: a path of the other stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathCompletion {
    /// The path as it should be inserted (directories end with `/`).
    pub label: String,
    pub kind: OutputKind,
    /// Why the path exists, e.g. "produced by `RUN npm run build`, line 7".
    pub detail: Option<String>,
    /// What the insertion replaces: the path typed so far.
    pub replace: Span,
}

/// A path position: the stage it belongs to, the path typed so far and where it is.
struct PathSite {
    stage: usize,
    /// The whole path word at the cursor.
    path: String,
    span: Span,
}

/// Completions for the source path at `offset`, if it is one.
pub fn path_completions(tree: &SyntaxTree, model: &Model, offset: usize) -> Vec<PathCompletion> {
    let Some(site) = path_site(tree, model, offset) else {
        return Vec::new();
    };
    let typed_len = offset.saturating_sub(site.span.start).min(site.path.len());
    let typed = site.path.get(..typed_len).unwrap_or("");
    let relative = !typed.is_empty() && !typed.starts_with('/');
    let prefix = if relative {
        format!("/{typed}")
    } else {
        typed.to_string()
    };
    let outputs = stage_outputs(tree, model, site.stage);
    let candidates = if prefix.is_empty() {
        outputs
            .iter()
            .map(|o| match o.kind {
                OutputKind::Dir if o.path != "/" => format!("{}/", o.path),
                _ => o.path.clone(),
            })
            .collect()
    } else {
        paths_under(tree, model, site.stage, &prefix)
    };
    let replace = Span::new(site.span.start, site.span.start + typed_len);
    candidates
        .into_iter()
        .map(|candidate| {
            let exact = candidate.trim_end_matches('/');
            let output = outputs.iter().find(|o| o.path == exact);
            let kind = if candidate.ends_with('/') {
                OutputKind::Dir
            } else {
                OutputKind::File
            };
            let label = if relative {
                candidate.trim_start_matches('/').to_string()
            } else {
                candidate.clone()
            };
            PathCompletion {
                label,
                kind,
                detail: output.map(|o| o.why.clone()),
                replace,
            }
        })
        .collect()
}

/// Hover text for the source path at `offset`: what produced it in the other stage, and the span
/// of the path.
pub fn hover_stage_path(tree: &SyntaxTree, model: &Model, offset: usize) -> Option<(Span, String)> {
    let site = path_site(tree, model, offset)?;
    if site.path.is_empty() {
        return None;
    }
    let stage_name = model.stages.get(site.stage)?.display_name();
    let path = join("/", &site.path);
    let outputs = stage_outputs(tree, model, site.stage);
    let exact = outputs.iter().rev().find(|o| o.path == path);
    let containing = || {
        outputs
            .iter()
            .rev()
            .filter(|o| o.kind == OutputKind::Dir && path.starts_with(&format!("{}/", o.path)))
            .max_by_key(|o| o.path.len())
    };
    let markdown = match exact.or_else(containing) {
        Some(output) if output.path == path => {
            format!("`{path}` in stage `{stage_name}`: {}", output.why)
        }
        Some(output) => format!(
            "`{path}` in stage `{stage_name}`: under `{}`, {}",
            output.path, output.why
        ),
        None => format!("`{path}`: not among the paths stage `{stage_name}` evidently produces"),
    };
    Some((site.span, markdown))
}

fn path_site(tree: &SyntaxTree, model: &Model, offset: usize) -> Option<PathSite> {
    let (index, instruction) = tree.instruction_at(offset)?;
    let references = model.stage_refs.iter().filter(|r| r.instruction == index);
    match instruction.kind {
        InstructionKind::Copy | InstructionKind::Add => {
            let reference = references
                .clone()
                .find(|r| r.kind == StageRefKind::CopyFrom)?;
            let stage = resolved_stage(reference)?;
            let words = instruction.words();
            let position = words.iter().position(|w| w.span.touches(offset));
            match position {
                // Any word but the destination; a lone word is the source being typed.
                Some(position) if position + 1 < words.len() || words.len() == 1 => {
                    let word = words.get(position)?;
                    Some(PathSite {
                        stage,
                        path: word.text.clone(),
                        span: word.span,
                    })
                }
                Some(_) => None,
                // A new first word after the flags.
                None if words.is_empty()
                    && instruction.flags.iter().all(|f| f.span.end < offset) =>
                {
                    Some(PathSite {
                        stage,
                        path: String::new(),
                        span: Span::empty(offset),
                    })
                }
                None => None,
            }
        }
        InstructionKind::Run => instruction.flags_named("mount").find_map(|flag| {
            let value = flag.value.as_ref()?;
            // Only plainly written values map text offsets to source offsets one to one.
            if tree.slice(value.span) != value.text || !value.span.touches(offset) {
                return None;
            }
            let cursor = offset - value.span.start;
            let mut start = 0;
            let mut site = None;
            for part in value.text.split(',') {
                let end = start + part.len();
                if let Some((key, path)) = part.split_once('=')
                    && matches!(key.trim(), "source" | "src")
                    && start + key.len() < cursor
                    && cursor <= end
                {
                    let path_start = value.span.start + start + key.len() + 1;
                    site = Some((
                        path.to_string(),
                        Span::new(path_start, path_start + path.len()),
                    ));
                }
                start = end + 1;
            }
            let (path, span) = site?;
            let reference = references
                .clone()
                .find(|r| r.kind == StageRefKind::MountFrom && value.span.contains_span(r.span))?;
            Some(PathSite {
                stage: resolved_stage(reference)?,
                path,
                span,
            })
        }),
        _ => None,
    }
}

fn resolved_stage(reference: &StageRef) -> Option<usize> {
    match reference.resolution {
        Resolution::Stage(stage) => Some(stage),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::{hover_stage_path, path_completions};
    use crate::model::Model;
    use crate::syntax::parse;

    const BUILDER: &str = "FROM node:20 AS builder
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
";

    fn check(fixture: &str, expect: Expect) {
        let offset = fixture.find("$0").unwrap_or(0);
        let text = fixture.replacen("$0", "", 1);
        let tree = parse(&text).tree;
        let model = Model::build(&tree);
        let items: Vec<String> = path_completions(&tree, &model, offset)
            .into_iter()
            .map(|item| {
                format!(
                    "{} {:?} [{}] {}",
                    item.label,
                    item.kind,
                    text.get(item.replace.start..item.replace.end)
                        .unwrap_or("?"),
                    item.detail.unwrap_or_default()
                )
            })
            .collect();
        expect.assert_eq(&items.join("\n"));
    }

    fn check_hover(fixture: &str, expect: Expect) {
        let offset = fixture.find("$0").unwrap_or(0);
        let text = fixture.replacen("$0", "", 1);
        let tree = parse(&text).tree;
        let model = Model::build(&tree);
        expect.assert_eq(
            &hover_stage_path(&tree, &model, offset)
                .map(|(_, markdown)| markdown)
                .unwrap_or_default(),
        );
    }

    #[test]
    fn copy_from_completes_the_other_stages_paths() {
        check(
            &format!("{BUILDER}FROM node:20-slim\nCOPY --from=builder /app/$0"),
            expect![[r#"
                /app/dist/ Dir [/app/] produced by `RUN npm run build`, line 6
                /app/node_modules/ Dir [/app/] produced by `RUN npm ci`, line 4
                /app/package*.json File [/app/] copied by `COPY package*.json ./`, line 3"#]],
        );
        check(
            &format!("{BUILDER}FROM node:20-slim\nCOPY --from=builder app/d$0 ./"),
            expect!["app/dist/ Dir [app/d] produced by `RUN npm run build`, line 6"],
        );
        check(
            &format!("{BUILDER}FROM node:20-slim\nCOPY --from=builder $0"),
            expect![[r#"
                /app/package*.json File [] copied by `COPY package*.json ./`, line 3
                /app/node_modules/ Dir [] produced by `RUN npm ci`, line 4
                /app/ Dir [] copied by `COPY . .`, line 5
                /app/dist/ Dir [] produced by `RUN npm run build`, line 6"#]],
        );
    }

    #[test]
    fn mount_source_completes_too() {
        check(
            &format!(
                "{BUILDER}FROM node:20-slim\nRUN --mount=type=bind,from=builder,source=/app/n$0,target=/x ls\n"
            ),
            expect!["/app/node_modules/ Dir [/app/n] produced by `RUN npm ci`, line 4"],
        );
    }

    #[test]
    fn nothing_outside_source_paths() {
        check(
            &format!("{BUILDER}FROM node:20-slim\nCOPY --from=builder /app/dist ./d$0"),
            expect![""],
        );
        check(
            &format!("{BUILDER}FROM node:20-slim\nCOPY /app/$0"),
            expect![""],
        );
        check("FROM alpine\nCOPY --from=nginx:alpine /etc/$0", expect![""]);
    }

    #[test]
    fn hover_names_the_producer() {
        check_hover(
            &format!("{BUILDER}FROM node:20-slim\nCOPY --from=builder /app/di$0st ./dist\n"),
            expect!["`/app/dist` in stage `builder`: produced by `RUN npm run build`, line 6"],
        );
        check_hover(
            &format!("{BUILDER}FROM node:20-slim\nCOPY --from=builder /app/dist/ind$0ex.js ./\n"),
            expect![
                "`/app/dist/index.js` in stage `builder`: under `/app/dist`, produced by `RUN npm run build`, line 6"
            ],
        );
        check_hover(
            &format!("{BUILDER}FROM node:20-slim\nCOPY --from=builder /opt/x$0 ./\n"),
            expect!["`/opt/x`: not among the paths stage `builder` evidently produces"],
        );
    }
}
