//! `textDocument/hover`: instructions, flags, stages, variables, mount fields, base images.

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::*;

use crate::ide::hover::hover as hover_at;
use crate::lsp::handlers::on_document;
use crate::lsp::server::Session;

pub fn hover(session: &Session, params: &HoverParams) -> jsonrpc::Result<Option<Hover>> {
    let at = &params.text_document_position_params;
    on_document(
        session,
        "textDocument/hover",
        &at.text_document.uri,
        |snapshot| {
            let index = snapshot.line_index();
            let found = hover_at(snapshot.tree(), snapshot.model(), index.offset(at.position))?;
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: found.markdown,
                }),
                range: Some(index.range(found.span)),
            })
        },
    )
}
