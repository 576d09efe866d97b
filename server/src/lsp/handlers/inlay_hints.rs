//! `textDocument/inlayHint`: ARG defaults in FROM lines and indexes of unnamed stages.

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::*;

use crate::ide::inlay_hints::inlay_hints;
use crate::lsp::handlers::on_document;
use crate::lsp::server::Session;

pub fn inlay_hint(
    session: &Session,
    params: &InlayHintParams,
) -> jsonrpc::Result<Option<Vec<InlayHint>>> {
    on_document(
        session,
        "textDocument/inlayHint",
        &params.text_document.uri,
        |snapshot| {
            let index = snapshot.line_index();
            let range = index.span(params.range);
            let document = &snapshot.document;
            let hints = inlay_hints(&document.parse().tree, document.model(), range)
                .into_iter()
                .map(|hint| InlayHint {
                    position: index.position(hint.offset),
                    label: InlayHintLabel::String(hint.label),
                    kind: None,
                    text_edits: None,
                    tooltip: hint.tooltip.map(InlayHintTooltip::String),
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
                .collect();
            Some(hints)
        },
    )
}
