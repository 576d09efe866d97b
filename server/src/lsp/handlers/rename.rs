//! `textDocument/prepareRename` and `textDocument/rename` for stage names and ARG/ENV variables.
//! A symbol that cannot be renamed (or an invalid new name) is answered with an error whose
//! message says why, which editors show to the user.

use std::collections::HashMap;

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::*;

use crate::ide::rename::{RenameError, prepare_rename as prepare, rename as rename_at};
use crate::lsp::handlers::on_document;
use crate::lsp::server::Session;

fn refused(error: RenameError) -> jsonrpc::Error {
    jsonrpc::Error {
        code: jsonrpc::ErrorCode::InvalidRequest,
        message: error.0.into(),
        data: None,
    }
}

pub fn prepare_rename(
    session: &Session,
    params: &TextDocumentPositionParams,
) -> jsonrpc::Result<Option<PrepareRenameResponse>> {
    let answer = on_document(
        session,
        "textDocument/prepareRename",
        &params.text_document.uri,
        |snapshot| {
            let index = snapshot.line_index();
            let offset = index.offset(params.position);
            Some(
                prepare(snapshot.tree(), snapshot.model(), offset)
                    .map(|span| PrepareRenameResponse::Range(index.range(span))),
            )
        },
    )?;
    answer.transpose().map_err(refused)
}

pub fn rename(session: &Session, params: &RenameParams) -> jsonrpc::Result<Option<WorkspaceEdit>> {
    let at = &params.text_document_position;
    let uri = &at.text_document.uri;
    let answer = on_document(session, "textDocument/rename", uri, |snapshot| {
        let index = snapshot.line_index();
        let offset = index.offset(at.position);
        Some(
            rename_at(snapshot.tree(), snapshot.model(), offset, &params.new_name).map(|change| {
                let edits = change
                    .edits
                    .iter()
                    .map(|edit| TextEdit::new(index.range(edit.span), edit.new_text.clone()))
                    .collect();
                WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }
            }),
        )
    })?;
    answer.transpose().map_err(refused)
}
