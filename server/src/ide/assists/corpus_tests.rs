//! Every assist on every real Dockerfile of the shared corpus, at a few offsets of each stage
//! (its FROM, its first RUN, COPY and CMD/ENTRYPOINT, every stage reference) and at the end of
//! the file: nothing panics, and every result parses without new errors.

use super::{AssistContext, assists};
use crate::config::Config;
use crate::model::Model;
use crate::syntax::{InstructionKind, Span, parse};

#[test]
fn every_assist_on_the_real_corpus() {
    let config = Config::default();
    let files = crate::test_corpus::real_files();
    assert!(files.len() > 250, "corpus not found: {} files", files.len());
    let mut applied = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let parse = parse(&text);
        let model = Model::build(&parse.tree);
        let mut offsets: Vec<usize> = model.stage_refs.iter().map(|r| r.span.start).collect();
        for stage in &model.stages {
            for kinds in [
                &[InstructionKind::From][..],
                &[InstructionKind::Run],
                &[InstructionKind::Copy],
                &[InstructionKind::Cmd, InstructionKind::Entrypoint],
            ] {
                let first = stage
                    .instructions
                    .clone()
                    .filter_map(|index| parse.tree.instructions.get(index))
                    .find(|i| kinds.contains(&i.kind));
                offsets.extend(first.map(|i| i.span.start));
            }
        }
        offsets.push(text.len());
        offsets.sort_unstable();
        offsets.dedup();
        for offset in offsets {
            let ctx = AssistContext {
                tree: &parse.tree,
                model: &model,
                range: Span::empty(offset),
                config: &config,
                dockerignore: None,
            };
            for assist in assists(&ctx) {
                let result = assist.change.apply(&text);
                let errors = crate::syntax::parse(&result).errors;
                let new_errors: Vec<_> = errors
                    .iter()
                    .filter(|e| !parse.errors.iter().any(|old| old.message == e.message))
                    .collect();
                assert!(
                    new_errors.is_empty(),
                    "{} at {offset}: `{}` made {new_errors:?}:\n{result}",
                    path.display(),
                    assist.label
                );
                applied += 1;
            }
        }
    }
    assert!(applied > 1000, "only {applied} assists applied");
}
