//! Formatting the whole corpus: idempotent, and BuildKit reads the same instructions afterwards.
//! The BuildKit dumps are compared with runs of blanks folded (continuation indentation changes
//! only blanks outside quotes) and `as` in FROM lines upper-cased (the formatter writes `AS`).

use std::fs;
use std::path::Path;

use stagesmith::ide::format::format_text;
use stagesmith::syntax::{buildkit_dump, parse};

fn normalized_dump(text: &str) -> String {
    buildkit_dump(&parse(text).tree)
        .lines()
        .map(|line| {
            // Tabs print as `\t` in the dump; an escaped backslash as `\\`.
            let blanks = line.replace("\\\\", "\u{0}").replace("\\t", " ");
            let folded = blanks.split_whitespace().collect::<Vec<_>>().join(" ");
            if folded.starts_with("(from ") {
                folded
                    .replace(" \"as\" ", " \"AS\" ")
                    .replace(" \"As\" ", " \"AS\" ")
                    .replace(" \"aS\" ", " \"AS\" ")
            } else {
                folded
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn corpus_formats_idempotently_and_keeps_meaning() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let mut files = Vec::new();
    for entry in fs::read_dir(corpus.join("real"))
        .into_iter()
        .flatten()
        .flatten()
    {
        files.push(entry.path());
    }
    for entry in fs::read_dir(corpus.join("buildkit-parser"))
        .into_iter()
        .flatten()
        .flatten()
    {
        files.push(entry.path().join("Dockerfile"));
    }
    files.retain(|p| p.extension().is_none_or(|e| e != "tsv"));
    assert!(files.len() > 300);
    let mut changed = 0;
    for path in files {
        let text = fs::read_to_string(&path).unwrap_or_default();
        let once = format_text(&parse(&text).tree);
        let twice = format_text(&parse(&once).tree);
        assert_eq!(once, twice, "{}: not idempotent", path.display());
        assert_eq!(
            parse(&once).errors.len(),
            parse(&text).errors.len(),
            "{}: formatting changed the errors",
            path.display()
        );
        assert_eq!(
            normalized_dump(&once),
            normalized_dump(&text),
            "{}",
            path.display()
        );
        changed += usize::from(once != text);
    }
    assert!(changed > 0);
}
