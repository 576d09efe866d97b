//! Test fixtures: Dockerfile text with a `$0` cursor marker, parsed and modelled.

use crate::model::Model;
use crate::syntax::{SyntaxTree, parse};

/// A parsed fixture and the byte offset where its `$0` marker stood.
pub(crate) struct Fixture {
    pub tree: SyntaxTree,
    pub model: Model,
    pub offset: usize,
}

impl Fixture {
    /// Strips the `$0` marker (the fixture must have exactly one) and parses the rest.
    pub(crate) fn with_cursor(fixture: &str) -> Fixture {
        let offset = fixture.find("$0").expect("fixture has a $0 cursor marker");
        assert_eq!(
            fixture.matches("$0").count(),
            1,
            "fixture has more than one $0 cursor marker"
        );
        Fixture::new(&fixture.replacen("$0", "", 1), offset)
    }

    /// A fixture without a cursor.
    pub(crate) fn without_cursor(text: &str) -> Fixture {
        Fixture::new(text, 0)
    }

    fn new(text: &str, offset: usize) -> Fixture {
        let tree = parse(text).tree;
        let model = Model::build(&tree);
        Fixture {
            tree,
            model,
            offset,
        }
    }

    pub(crate) fn text(&self) -> &str {
        self.tree.text()
    }

    /// `line:column` (1-based, columns in bytes) of `offset`, for readable snapshots.
    pub(crate) fn position(&self, offset: usize) -> String {
        let before = self.text().get(..offset).unwrap_or(self.text());
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        format!("{line}:{column}")
    }

    /// `line:column "text"` of a span, for readable snapshots.
    pub(crate) fn describe(&self, span: crate::syntax::Span) -> String {
        format!("{} {:?}", self.position(span.start), self.tree.slice(span))
    }
}

/// Every feature of this module family, at the interesting offsets of every real Dockerfile in
/// the shared corpus and of its line-cut prefixes (the half-typed states an editor sees): no
/// panic, and the results stay inside the text.
#[test]
fn features_never_panic_on_the_corpus() {
    use crate::ide::{
        completion, folding, goto_definition, hover, references, rename, selection_range,
        semantic_tokens, symbols,
    };

    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/real");
    let mut paths: Vec<_> = std::fs::read_dir(&corpus)
        .expect("the shared corpus is next to the repository")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_none_or(|e| e != "tsv"))
        .collect();
    paths.sort();
    assert!(paths.len() > 250);
    let check = |text: &str, offsets: &mut dyn Iterator<Item = usize>| {
        let f = Fixture::new(text, 0);
        let len = text.len();
        let inside = |span: crate::syntax::Span| span.start <= span.end && span.end <= len;
        assert!(
            semantic_tokens::semantic_tokens(&f.tree, &f.model, None)
                .iter()
                .all(|t| inside(t.span))
        );
        assert!(
            folding::folding_ranges(&f.tree, &f.model)
                .iter()
                .all(|fold| inside(fold.span))
        );
        assert!(
            symbols::document_symbols(&f.tree, &f.model)
                .iter()
                .all(|symbol| inside(symbol.span))
        );
        for offset in offsets {
            if let Some(definition) = goto_definition::goto_definition(&f.tree, &f.model, offset) {
                assert!(inside(definition.full));
            }
            references::highlights(&f.model, offset);
            if rename::prepare_rename(&f.tree, &f.model, offset).is_ok() {
                match rename::rename(&f.tree, &f.model, offset, "renamed") {
                    Ok(change) => assert!(change.edits.iter().all(|e| inside(e.span))),
                    Err(err) => panic!("rename at {offset} failed: {err}\n{text}"),
                }
            }
            hover::hover(&f.tree, &f.model, offset);
            assert!(
                completion::completions(&f.tree, &f.model, offset)
                    .iter()
                    .all(|item| inside(item.replace) && item.replace.touches(offset))
            );
            assert!(
                selection_range::selection_ranges(&f.tree, &f.model, offset)
                    .iter()
                    .all(|span| inside(*span))
            );
        }
    };
    for path in paths {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_default()).to_string();
        let f = Fixture::new(&text, 0);
        let mut offsets = f.tree.tokens.iter().flat_map(|token| {
            [token.span.start, token.span.start + 1, token.span.end]
                .into_iter()
                .filter(|&offset| text.is_char_boundary(offset))
        });
        check(&text, &mut offsets);
        for (line_end, _) in text.match_indices('\n') {
            let prefix = &text[..line_end];
            check(prefix, &mut std::iter::once(line_end));
        }
    }
}
