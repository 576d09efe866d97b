//! `textDocument/definition`: a stage reference to the stage's `AS name` (or FROM line), a
//! variable to the ARG/ENV that defines it.

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::*;

use crate::ide::goto_definition::goto_definition;
use crate::lsp::handlers::on_document;
use crate::lsp::server::Session;

pub fn definition(
    session: &Session,
    params: &GotoDefinitionParams,
) -> jsonrpc::Result<Option<GotoDefinitionResponse>> {
    let at = &params.text_document_position_params;
    let uri = &at.text_document.uri;
    on_document(session, "textDocument/definition", uri, |snapshot| {
        let index = snapshot.line_index();
        let offset = index.offset(at.position);
        let definition = goto_definition(snapshot.tree(), snapshot.model(), offset)?;
        Some(GotoDefinitionResponse::Scalar(Location::new(
            uri.clone(),
            index.range(definition.focus),
        )))
    })
}
