//! `textDocument/documentSymbol`: global ARGs, then each stage with its instructions.

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::*;

use crate::ide::symbols::{Symbol, SymbolKind as Kind, document_symbols};
use crate::lsp::handlers::on_document;
use crate::lsp::position::LineIndex;
use crate::lsp::server::Session;

pub fn document_symbol(
    session: &Session,
    params: &DocumentSymbolParams,
) -> jsonrpc::Result<Option<DocumentSymbolResponse>> {
    on_document(
        session,
        "textDocument/documentSymbol",
        &params.text_document.uri,
        |snapshot| {
            let index = snapshot.line_index();
            let symbols = document_symbols(snapshot.tree(), snapshot.model())
                .into_iter()
                .map(|symbol| convert(&index, symbol))
                .collect();
            Some(DocumentSymbolResponse::Nested(symbols))
        },
    )
}

fn convert(index: &LineIndex<'_>, symbol: Symbol) -> DocumentSymbol {
    #[expect(
        deprecated,
        reason = "the field is deprecated but must still be written"
    )]
    DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: match symbol.kind {
            Kind::Stage => SymbolKind::MODULE,
            Kind::Variable => SymbolKind::VARIABLE,
            Kind::Instruction => SymbolKind::FUNCTION,
        },
        tags: None,
        deprecated: None,
        range: index.range(symbol.span),
        selection_range: index.range(symbol.focus),
        children: Some(
            symbol
                .children
                .into_iter()
                .map(|child| convert(index, child))
                .collect(),
        )
        .filter(|children: &Vec<DocumentSymbol>| !children.is_empty()),
    }
}
