//! Incremental edits: a random edit script sent as LSP range changes (positions anywhere,
//! including past line and file ends, in all three encodings) to a `DocumentStore`. The document
//! must end with the text an independent reference implementation of LSP's position rules
//! computes, and the tree, model and diagnostics of every analysed version (reparsed from an
//! earlier one, linted from its lint) must be those of a fresh parse of that text.
#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use stagesmith::lsp::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};
use stagesmith::config::Config;
use stagesmith::ide::diagnostics::{LintContext, diagnostics, diagnostics_incremental};
use stagesmith::lsp::{DocumentStore, PositionEncoding, Settings};
use stagesmith::model::Model;
use stagesmith::syntax::parse;

#[derive(Debug, Arbitrary)]
struct Script {
    text: String,
    encoding: u8,
    changes: Vec<Vec<Change>>,
}

#[derive(Debug, Arbitrary)]
struct Change {
    start: (u8, u8),
    end: (u8, u8),
    text: String,
    full: bool,
}

/// Byte offset of an LSP position per the spec: lines end at `\n`, `\r\n` or `\r`; a column past
/// the line's content means its end; a column inside a character means that character's start.
fn reference_offset(text: &str, position: (u32, u32), encoding: PositionEncoding) -> usize {
    let mut line_start = 0;
    for _ in 0..position.0 {
        let rest = &text[line_start..];
        match rest.find(['\n', '\r']) {
            Some(at) => {
                let width = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
                line_start += at + width;
            }
            None => return text.len(),
        }
    }
    let line = &text[line_start..];
    let content = &line[..line.find(['\n', '\r']).unwrap_or(line.len())];
    let mut units = 0;
    for (at, ch) in content.char_indices() {
        let width = match encoding {
            PositionEncoding::Utf8 => ch.len_utf8(),
            PositionEncoding::Utf16 => ch.len_utf16(),
            PositionEncoding::Utf32 => 1,
        };
        if units + width > position.1 as usize {
            return line_start + at;
        }
        units += width;
    }
    line_start + content.len()
}

fuzz_target!(|script: Script| {
    let encoding = match script.encoding % 3 {
        0 => PositionEncoding::Utf8,
        1 => PositionEncoding::Utf16,
        _ => PositionEncoding::Utf32,
    };
    let Ok(uri) = "file:///fuzz/Dockerfile".parse::<Uri>() else {
        return;
    };
    let store = DocumentStore::default();
    store.open(uri.clone(), 0, &script.text);
    let mut expected = script.text.clone();
    for (version, batch) in (1..).zip(script.changes.iter().take(16)) {
        let mut events = Vec::new();
        for change in batch.iter().take(8) {
            if change.full {
                expected = change.text.clone();
                events.push(TextDocumentContentChangeEvent {
                    range: None,
                    range_length: None,
                    text: change.text.clone(),
                });
                continue;
            }
            let start = (u32::from(change.start.0), u32::from(change.start.1));
            let end = (u32::from(change.end.0), u32::from(change.end.1));
            let a = reference_offset(&expected, start, encoding);
            let b = reference_offset(&expected, end, encoding);
            expected.replace_range(a.min(b)..a.max(b), &change.text);
            events.push(TextDocumentContentChangeEvent {
                range: Some(Range::new(
                    Position::new(start.0, start.1),
                    Position::new(end.0, end.1),
                )),
                range_length: None,
                text: change.text.clone(),
            });
        }
        assert!(store.change(&uri, version, &events, encoding).is_some());
        // Every other version is analysed, so both reparsing from the previous version and
        // from the one before it (a skipped version hands its predecessor on) are exercised.
        if version % 2 == 0 || usize::try_from(version).is_ok_and(|v| v == script.changes.len().min(16)) {
            let document = store.get(&uri).expect("the document stays open");
            assert_eq!(document.rope.to_string(), expected);
            let fresh = parse(&expected);
            assert_eq!(document.parse(), &fresh);
            let fresh_model = Model::build(&fresh.tree);
            assert_eq!(document.model(), &fresh_model);
            let config = Config::default();
            let context = LintContext {
                config: &config,
                dockerignore: None,
            };
            let lint = document.diagnostics(&Settings::default(), |parse, model, previous| {
                diagnostics_incremental(parse, model, &context, previous)
            });
            assert_eq!(*lint, diagnostics(&fresh, &fresh_model, &context));
        }
    }
});
