//! `textDocument/references`: every use of the stage or variable under the cursor.

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::*;

use crate::ide::references::references as find_references;
use crate::lsp::handlers::on_document;
use crate::lsp::server::Session;

pub fn references(
    session: &Session,
    params: &ReferenceParams,
) -> jsonrpc::Result<Option<Vec<Location>>> {
    let at = &params.text_document_position;
    let uri = &at.text_document.uri;
    on_document(session, "textDocument/references", uri, |snapshot| {
        let index = snapshot.line_index();
        let offset = index.offset(at.position);
        let found = find_references(snapshot.model(), offset, params.context.include_declaration)?;
        Some(
            found
                .iter()
                .map(|reference| Location::new(uri.clone(), index.range(reference.span)))
                .collect(),
        )
    })
}
