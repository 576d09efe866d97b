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

    let paths = crate::test_corpus::real_files();
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
            // Completion works at the character boundary at or before the offset.
            let mut cursor = offset.min(len);
            while !text.is_char_boundary(cursor) {
                cursor -= 1;
            }
            assert!(
                completion::completions(&f.tree, &f.model, offset)
                    .iter()
                    .all(|item| inside(item.replace) && item.replace.touches(cursor))
            );
            assert!(
                selection_range::selection_ranges(&f.tree, &f.model, offset)
                    .iter()
                    .all(|span| inside(*span))
            );
        }
    };
    let tricky = [
        "\u{feff}# syntax=docker/dockerfile:1\r\nFROM alpine AS a\r\nRUN echo \"😀\" $HOME \\\r\n  && true\r\n",
        "# escape=`\nFROM mcr.microsoft.com/windows AS 構築\nRUN dir `\n  c:\\\nCOPY --from=構築 c:\\a c:\\b\n",
        "ARG A=${B:-${C}}\nFROM x${A}y AS s\nRUN --mount=type=bind,from=s,source=/😀 <<EOF cat\n${A}\nEOF\nONBUILD COPY --from=s / /\n",
        "FROM a AS\nCOPY --from=\nRUN --mount=type=\nENV A=\nFRO\nHEALTHCHECK --interval=\n# check=skip=\n",
    ];
    for text in tricky {
        // Every byte offset, on purpose including those inside a multi-byte character.
        check(text, &mut (0..=text.len() + 1));
    }
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
