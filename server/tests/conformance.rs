//! BuildKit conformance: our `buildkit_dump` must reproduce BuildKit's parser output byte for byte
//! on its own fixtures and on 283 real Dockerfiles, and the tree must give the input back.

use std::fs;
use std::path::{Path, PathBuf};

use stagesmith::syntax::{buildkit_dump, parse};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

fn read(path: &Path) -> String {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    String::from_utf8(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn sorted_dirs(path: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    entries
}

fn assert_lossless(name: &str, text: &str) {
    let parse = parse(text);
    assert_eq!(
        parse.tree.to_source(),
        text,
        "{name}: tokens do not give the input back"
    );
    let mut cursor = 0;
    for token in &parse.tree.tokens {
        assert_eq!(
            token.span.start, cursor,
            "{name}: gap or overlap at {cursor}"
        );
        assert!(
            token.span.end > token.span.start,
            "{name}: empty token at {cursor}"
        );
        cursor = token.span.end;
    }
    assert_eq!(cursor, text.len(), "{name}: tokens stop early");
}

#[test]
fn buildkit_parser_fixtures() {
    let mut failures = Vec::new();
    let cases = sorted_dirs(&shared().join("buildkit-parser"));
    for case in &cases {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let text = read(&case.join("Dockerfile"));
        let expected = read(&case.join("result")).replace("\r\n", "\n");
        let parse = parse(&text);
        let actual = buildkit_dump(&parse.tree);
        if actual != expected || !parse.errors.is_empty() {
            failures.push(format!(
                "{name}: errors {:?}\n--- expected\n{expected}--- actual\n{actual}",
                parse.errors
            ));
        }
        assert_lossless(&name, &text);
    }
    assert_eq!(cases.len(), 33);
    assert!(
        failures.is_empty(),
        "{} of 33 differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn buildkit_negative_fixtures_are_rejected() {
    let cases = sorted_dirs(&shared().join("buildkit-parser-negative"));
    assert_eq!(cases.len(), 4);
    for case in &cases {
        let text = read(&case.join("Dockerfile"));
        let parse = parse(&text);
        assert!(!parse.errors.is_empty(), "{} was accepted", case.display());
        assert_lossless(&case.display().to_string(), &text);
    }
}

#[test]
fn real_corpus_matches_buildkit() {
    let real = shared().join("real");
    let expected_dir = shared().join("real-buildkit");
    let mut failures = Vec::new();
    let mut count = 0;
    for path in sorted_dirs(&real) {
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().to_string()) else {
            continue;
        };
        if name.ends_with(".tsv") {
            continue;
        }
        count += 1;
        let text = read(&path);
        let parse = parse(&text);
        let result_path = expected_dir.join(format!("{name}.result"));
        let expected = read(&result_path);
        let actual = buildkit_dump(&parse.tree);
        if actual != expected || !parse.errors.is_empty() {
            failures.push(format!("{name}: errors {:?}", parse.errors));
            if failures.len() < 4 {
                let first_diff = actual
                    .lines()
                    .zip(expected.lines())
                    .find(|(a, e)| a != e)
                    .map(|(a, e)| format!("  actual:   {a}\n  expected: {e}"))
                    .unwrap_or_else(|| "  (length differs)".to_string());
                failures.push(first_diff);
            }
        }
        assert_lossless(&name, &text);
    }
    assert_eq!(count, 283);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// BuildKit's line range of every instruction and every heredoc it attached (DETAILS.jsonl).
#[test]
fn real_corpus_lines_and_heredocs_match_buildkit() {
    let details = read(&shared().join("real-buildkit/DETAILS.jsonl"));
    let mut checked_heredocs = 0;
    for line in details.lines() {
        let record: serde_json::Value = serde_json::from_str(line).expect("DETAILS.jsonl is JSON");
        let name = record["file"].as_str().unwrap_or_default();
        let text = read(&shared().join("real").join(name));
        let parse = parse(&text);
        let line_of = |offset: usize| text[..offset].matches('\n').count() + 1;
        let expected = record["instructions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(parse.tree.instructions.len(), expected.len(), "{name}");
        for (instruction, want) in parse.tree.instructions.iter().zip(&expected) {
            let start = line_of(instruction.span.start);
            let end = line_of(instruction.span.end);
            assert_eq!(
                (start as u64, end as u64),
                (
                    want["start"].as_u64().unwrap_or(0),
                    want["end"].as_u64().unwrap_or(0)
                ),
                "{name}: lines of {:?}",
                parse.tree.slice(instruction.keyword)
            );
            let heredocs = want["heredocs"].as_array().cloned().unwrap_or_default();
            assert_eq!(
                instruction.heredocs.len(),
                heredocs.len(),
                "{name} line {start}"
            );
            for (heredoc, want) in instruction.heredocs.iter().zip(&heredocs) {
                assert_eq!(
                    heredoc.name,
                    want["name"].as_str().unwrap_or_default(),
                    "{name}"
                );
                assert_eq!(
                    heredoc.expand,
                    want["expand"].as_bool().unwrap_or_default(),
                    "{name}"
                );
                assert_eq!(
                    heredoc.chomp,
                    want["chomp"].as_bool().unwrap_or_default(),
                    "{name}"
                );
                assert_eq!(
                    parse.tree.slice(heredoc.body),
                    want["content"].as_str().unwrap_or_default(),
                    "{name}: body of {}",
                    heredoc.name
                );
                checked_heredocs += 1;
            }
        }
    }
    assert_eq!(checked_heredocs, 146);
}
