//! `textDocument/semanticTokens/full` and `/range`: the tokens of `ide::semantic_tokens`,
//! delta-encoded in the negotiated position encoding.

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::*;

use crate::ide::semantic_tokens::{TokenModifier, TokenType, semantic_tokens};
use crate::lsp::handlers::{Snapshot, on_document};
use crate::lsp::position::PositionCursor;
use crate::lsp::server::Session;
use crate::syntax::Span;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TokenType::ALL
            .iter()
            .map(|kind| SemanticTokenType::new(kind.legend_name()))
            .collect(),
        token_modifiers: TokenModifier::ALL
            .iter()
            .map(|modifier| SemanticTokenModifier::new(modifier.legend_name()))
            .collect(),
    }
}

pub fn full(
    session: &Session,
    params: &SemanticTokensParams,
) -> jsonrpc::Result<Option<SemanticTokensResult>> {
    on_document(
        session,
        "textDocument/semanticTokens/full",
        &params.text_document.uri,
        |snapshot| Some(SemanticTokensResult::Tokens(encode(snapshot, None))),
    )
}

pub fn range(
    session: &Session,
    params: &SemanticTokensRangeParams,
) -> jsonrpc::Result<Option<SemanticTokensRangeResult>> {
    on_document(
        session,
        "textDocument/semanticTokens/range",
        &params.text_document.uri,
        |snapshot| {
            let span = snapshot.line_index().span(params.range);
            Some(SemanticTokensRangeResult::Tokens(encode(
                snapshot,
                Some(span),
            )))
        },
    )
}

fn encode(snapshot: &Snapshot, range: Option<Span>) -> SemanticTokens {
    let tree = snapshot.tree();
    let mut cursor = PositionCursor::new(tree.text(), snapshot.support.encoding);
    let tokens = semantic_tokens(tree, snapshot.model(), range);
    let mut data = Vec::with_capacity(tokens.len());
    let (mut line, mut column) = (0, 0);
    for token in tokens {
        let start = cursor.position(token.span.start);
        let end = cursor.position(token.span.end);
        let length = end.character.saturating_sub(start.character);
        if length == 0 || end.line != start.line {
            continue;
        }
        let delta_line = start.line - line;
        let delta_start = if delta_line == 0 {
            start.character - column
        } else {
            start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type: token.token_type.index(),
            token_modifiers_bitset: token.modifiers,
        });
        (line, column) = (start.line, start.character);
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}
