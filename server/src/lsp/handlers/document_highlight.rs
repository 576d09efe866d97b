//! `textDocument/documentHighlight`: the stage or variable under the cursor everywhere in the
//! file, declarations marked as writes.

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::*;

use crate::ide::references::highlights;
use crate::lsp::handlers::on_document;
use crate::lsp::server::Session;

pub fn document_highlight(
    session: &Session,
    params: &DocumentHighlightParams,
) -> jsonrpc::Result<Option<Vec<DocumentHighlight>>> {
    let at = &params.text_document_position_params;
    on_document(
        session,
        "textDocument/documentHighlight",
        &at.text_document.uri,
        |snapshot| {
            let index = snapshot.line_index();
            let found = highlights(snapshot.model(), index.offset(at.position));
            Some(
                found
                    .iter()
                    .map(|reference| DocumentHighlight {
                        range: index.range(reference.span),
                        kind: Some(if reference.is_declaration {
                            DocumentHighlightKind::WRITE
                        } else {
                            DocumentHighlightKind::READ
                        }),
                    })
                    .collect(),
            )
        },
    )
}
