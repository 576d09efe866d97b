//! Data-driven parser tests: every `test_data/parser/*.Dockerfile` has a `.txt` snapshot of its
//! tree, its BuildKit dump and its errors (and, for a file that is not UTF-8, the warning reading it
//! gives). Lines longer than `SHOWN_LINE` are shortened in the snapshot. `UPDATE_EXPECT=1 cargo
//! test` rewrites the snapshots.

use std::fs;
use std::path::Path;

use stagesmith::config::decode_dockerfile;
use stagesmith::syntax::{buildkit_dump, parse, tree_dump};

/// Snapshot lines are cut to this many characters (a fixture with a 64 KiB line stays readable).
const SHOWN_LINE: usize = 200;

fn render(bytes: Vec<u8>) -> String {
    let (text, invalid_utf8) = decode_dockerfile(bytes);
    let parse = parse(&text);
    assert_eq!(parse.tree.to_source(), text, "not lossless");
    let mut out = String::new();
    if let Some(invalid) = invalid_utf8 {
        out.push_str(&format!(
            "## warnings\n{:?}: {}\n",
            invalid.replacement,
            invalid.message()
        ));
    }
    out.push_str("## tree\n");
    out.push_str(&tree_dump(&parse.tree));
    out.push_str("## buildkit\n");
    out.push_str(&buildkit_dump(&parse.tree));
    out.push_str("## errors\n");
    for error in &parse.errors {
        out.push_str(&format!(
            "{:?} {:?}: {}\n",
            error.span,
            parse.tree.slice(error.span),
            error.message
        ));
    }
    out.lines().map(shortened).collect()
}

fn shortened(line: &str) -> String {
    let length = line.chars().count();
    if length <= SHOWN_LINE {
        return format!("{line}\n");
    }
    let head: String = line.chars().take(SHOWN_LINE / 2).collect();
    let tail: String = line.chars().skip(length - SHOWN_LINE / 2).collect();
    format!("{head}…({} characters)…{tail}\n", length - SHOWN_LINE)
}

#[test]
fn parser_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/parser");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .expect("test_data/parser exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10);
    let mut mismatches = Vec::new();
    for path in paths {
        let actual = render(fs::read(&path).expect("readable"));
        let snapshot = path.with_extension("txt");
        let expected = fs::read_to_string(&snapshot).unwrap_or_default();
        if actual != expected {
            if update {
                fs::write(&snapshot, &actual).expect("snapshot written");
            } else {
                mismatches.push(format!(
                    "{}\n--- expected\n{expected}--- actual\n{actual}",
                    path.display()
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
