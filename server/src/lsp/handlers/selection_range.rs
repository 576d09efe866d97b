//! `textDocument/selectionRange`: word → flag or argument → instruction → stage → file.

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::*;

use crate::ide::selection_range::selection_ranges;
use crate::lsp::handlers::on_document;
use crate::lsp::server::Session;

pub fn selection_range(
    session: &Session,
    params: &SelectionRangeParams,
) -> jsonrpc::Result<Option<Vec<SelectionRange>>> {
    on_document(
        session,
        "textDocument/selectionRange",
        &params.text_document.uri,
        |snapshot| {
            let index = snapshot.line_index();
            let ranges = params
                .positions
                .iter()
                .map(|&position| {
                    let spans =
                        selection_ranges(snapshot.tree(), snapshot.model(), index.offset(position));
                    // The protocol nests from the innermost range outwards through `parent`.
                    spans
                        .iter()
                        .rev()
                        .fold(None, |parent, span| {
                            Some(SelectionRange {
                                range: index.range(*span),
                                parent: parent.map(Box::new),
                            })
                        })
                        .unwrap_or_else(|| SelectionRange {
                            range: Range::new(position, position),
                            parent: None,
                        })
                })
                .collect();
            Some(ranges)
        },
    )
}
