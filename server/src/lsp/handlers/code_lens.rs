//! `textDocument/codeLens`: who uses each stage, and a "build this stage" command.

use serde_json::Value;
use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::*;

use crate::ide::code_lens::code_lenses;
use crate::lsp::handlers::on_document;
use crate::lsp::server::Session;

pub fn code_lens(
    session: &Session,
    params: &CodeLensParams,
) -> jsonrpc::Result<Option<Vec<CodeLens>>> {
    on_document(
        session,
        "textDocument/codeLens",
        &params.text_document.uri,
        |snapshot| {
            let index = snapshot.line_index();
            let lenses = code_lenses(snapshot.document.model())
                .into_iter()
                .map(|lens| {
                    let start = index.position(lens.span.start);
                    CodeLens {
                        range: Range::new(start, start),
                        command: Some(Command {
                            title: lens.title,
                            command: lens
                                .command
                                .as_ref()
                                .map_or_else(String::new, |c| c.id.to_string()),
                            arguments: lens
                                .command
                                .map(|command| vec![Value::String(command.argument)]),
                        }),
                        data: None,
                    }
                })
                .collect();
            Some(lenses)
        },
    )
}
