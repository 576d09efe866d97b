//! The parser and the model never panic and never lose a byte: on every prefix of every corpus
//! file (cut at each line and at pseudo-random byte offsets) and on arbitrary text.

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use stagesmith::model::Model;
use stagesmith::syntax::parse;

fn corpus_files() -> Vec<PathBuf> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let mut files = Vec::new();
    for dir in ["real", "buildkit-parser", "buildkit-parser-negative"] {
        let Ok(entries) = fs::read_dir(corpus.join(dir)) else {
            panic!("missing corpus folder {dir}");
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.push(path.join("Dockerfile"));
            } else if path.extension().is_none_or(|e| e != "tsv") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn check(text: &str) {
    let parse = parse(text);
    assert_eq!(parse.tree.to_source(), text);
    let model = Model::build(&parse.tree);
    assert!(model.stages.len() <= parse.tree.instructions.len());
}

/// A small deterministic generator, so failures reproduce.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn every_prefix_of_every_corpus_file() {
    let mut seed = 0x5eed_u64;
    let files = corpus_files();
    assert!(files.len() > 300);
    for path in files {
        let text = String::from_utf8_lossy(&fs::read(&path).unwrap_or_default()).to_string();
        for (offset, _) in text.match_indices('\n') {
            check(&text[..offset]);
            check(&text[..offset + 1]);
        }
        for _ in 0..20 {
            let mut cut = (next(&mut seed) % (text.len() as u64 + 1)) as usize;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            check(&text[..cut]);
            check(&text[cut..]);
        }
    }
}

#[test]
fn model_finds_a_stage_per_from() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let mut files = 0;
    for entry in fs::read_dir(corpus.join("real"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let path = entry.path();
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().to_string()) else {
            continue;
        };
        if name.ends_with(".tsv") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap_or_default();
        let result =
            fs::read_to_string(corpus.join("real-buildkit").join(format!("{name}.result")))
                .unwrap_or_default();
        let froms = result.lines().filter(|l| l.starts_with("(from ")).count();
        let model = Model::build(&parse(&text).tree);
        assert_eq!(model.stages.len(), froms, "{name}");
        files += 1;
    }
    assert_eq!(files, 283);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC*") {
        check(&text);
    }

    #[test]
    fn dockerfile_like_text_never_panics(
        lines in proptest::collection::vec(
            "(FROM|RUN|COPY|ENV|ARG|ONBUILD|HEALTHCHECK|# escape=`|#|CMD|LABEL|\\\\|<<EOF|EOF)?[ \\t]?[-=a-z$\\{\\}\"'\\[\\], <\\\\`]{0,20}",
            0..12,
        ),
        crlf in any::<bool>(),
    ) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        check(&text);
    }
}
