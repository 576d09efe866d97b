//! Data-driven parser tests: every `test_data/parser/*.Dockerfile` has a `.txt` snapshot of its
//! tree, its BuildKit dump and its errors. `UPDATE_EXPECT=1 cargo test` rewrites the snapshots.

use std::fs;
use std::path::Path;

use stagesmith::syntax::{buildkit_dump, parse, tree_dump};

fn render(text: &str) -> String {
    let parse = parse(text);
    assert_eq!(parse.tree.to_source(), text, "not lossless");
    let mut out = String::from("## tree\n");
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
    out
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
        let text = String::from_utf8(fs::read(&path).expect("readable")).expect("UTF-8 fixture");
        let actual = render(&text);
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
