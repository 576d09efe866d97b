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
