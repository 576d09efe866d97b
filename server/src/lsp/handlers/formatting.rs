//! `textDocument/formatting` and `textDocument/rangeFormatting` through `ide::format`.

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::*;

use crate::ide::format;
use crate::lsp::handlers::{Snapshot, on_document};
use crate::lsp::server::Session;

pub fn formatting(
    session: &Session,
    params: &DocumentFormattingParams,
) -> jsonrpc::Result<Option<Vec<TextEdit>>> {
    on_document(
        session,
        "textDocument/formatting",
        &params.text_document.uri,
        |snapshot| {
            Some(to_lsp(
                snapshot,
                format::format(&snapshot.document.parse().tree),
            ))
        },
    )
}

pub fn range_formatting(
    session: &Session,
    params: &DocumentRangeFormattingParams,
) -> jsonrpc::Result<Option<Vec<TextEdit>>> {
    on_document(
        session,
        "textDocument/rangeFormatting",
        &params.text_document.uri,
        |snapshot| {
            let range = snapshot.line_index().span(params.range);
            let edits = format::format_range(&snapshot.document.parse().tree, range);
            Some(to_lsp(snapshot, edits))
        },
    )
}

fn to_lsp(snapshot: &Snapshot, edits: Vec<crate::ide::TextEdit>) -> Vec<TextEdit> {
    let index = snapshot.line_index();
    edits
        .into_iter()
        .map(|edit| TextEdit::new(index.range(edit.span), edit.new_text))
        .collect()
}
