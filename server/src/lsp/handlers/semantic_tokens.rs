//! `textDocument/semanticTokens/full`, `/full/delta` and `/range`: the tokens of
//! `ide::semantic_tokens`, delta-encoded in the negotiated position encoding. The last full
//! result of each document is kept so the next request can answer with only what changed.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

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

/// The last full result sent for each document, by URI.
#[derive(Debug, Default)]
pub struct SentTokens {
    next_id: AtomicU64,
    last: Mutex<HashMap<Uri, SemanticTokens>>,
}

impl SentTokens {
    /// Gives `tokens` a fresh result id and remembers them as the last sent for `uri`.
    fn remember(&self, uri: &Uri, mut tokens: SemanticTokens) -> SemanticTokens {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        tokens.result_id = Some(id.to_string());
        self.lock().insert(uri.clone(), tokens.clone());
        tokens
    }

    /// The last result sent for `uri` if its id is `result_id`.
    fn previous(&self, uri: &Uri, result_id: &str) -> Option<Vec<SemanticToken>> {
        self.lock()
            .get(uri)
            .filter(|last| last.result_id.as_deref() == Some(result_id))
            .map(|last| last.data.clone())
    }

    pub fn forget(&self, uri: &Uri) {
        self.lock().remove(uri);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uri, SemanticTokens>> {
        self.last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

pub fn full(
    session: &Session,
    params: &SemanticTokensParams,
) -> jsonrpc::Result<Option<SemanticTokensResult>> {
    let uri = &params.text_document.uri;
    on_document(
        session,
        "textDocument/semanticTokens/full",
        uri,
        |snapshot| {
            let tokens = session.sent_tokens.remember(uri, encode(snapshot, None));
            Some(SemanticTokensResult::Tokens(tokens))
        },
    )
}

/// Only what changed since the result the client names; all tokens when that result is not the
/// last one sent.
pub fn full_delta(
    session: &Session,
    params: &SemanticTokensDeltaParams,
) -> jsonrpc::Result<Option<SemanticTokensFullDeltaResult>> {
    let uri = &params.text_document.uri;
    on_document(
        session,
        "textDocument/semanticTokens/full/delta",
        uri,
        |snapshot| {
            let previous = session
                .sent_tokens
                .previous(uri, &params.previous_result_id);
            let tokens = session.sent_tokens.remember(uri, encode(snapshot, None));
            Some(match previous {
                Some(previous) => SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
                    result_id: tokens.result_id,
                    edits: token_edits(&previous, &tokens.data),
                }),
                None => SemanticTokensFullDeltaResult::Tokens(tokens),
            })
        },
    )
}

/// One edit replacing the run between the common prefix and the common suffix of `old` and
/// `new`; none when they are equal. Offsets count integers, five per token, as LSP asks.
fn token_edits(old: &[SemanticToken], new: &[SemanticToken]) -> Vec<SemanticTokensEdit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let removed = old.len() - prefix - suffix;
    let inserted = &new[prefix..new.len() - suffix];
    if removed == 0 && inserted.is_empty() {
        return Vec::new();
    }
    let integers = |tokens: usize| u32::try_from(tokens * 5).unwrap_or(u32::MAX);
    vec![SemanticTokensEdit {
        start: integers(prefix),
        delete_count: integers(removed),
        data: Some(inserted.to_vec()),
    }]
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

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(lengths: &[u32]) -> Vec<SemanticToken> {
        lengths
            .iter()
            .map(|&length| SemanticToken {
                delta_line: 1,
                delta_start: 0,
                length,
                token_type: 0,
                token_modifiers_bitset: 0,
            })
            .collect()
    }

    fn edits(old: &[u32], new: &[u32]) -> Vec<(u32, u32, usize)> {
        token_edits(&tokens(old), &tokens(new))
            .into_iter()
            .map(|edit| {
                (
                    edit.start,
                    edit.delete_count,
                    edit.data.map_or(0, |d| d.len()),
                )
            })
            .collect()
    }

    #[test]
    fn one_edit_between_common_prefix_and_suffix() {
        assert_eq!(edits(&[1, 2, 3], &[1, 2, 3]), vec![]);
        assert_eq!(edits(&[1, 2, 3], &[1, 9, 3]), vec![(5, 5, 1)]);
        assert_eq!(edits(&[1, 2, 3], &[1, 2, 7, 3]), vec![(10, 0, 1)]);
        assert_eq!(edits(&[1, 2, 3], &[3]), vec![(0, 10, 0)]);
        assert_eq!(edits(&[], &[4, 4]), vec![(0, 0, 2)]);
        // Repeated tokens: prefix and suffix never overlap.
        assert_eq!(edits(&[5, 5], &[5, 5, 5]), vec![(10, 0, 1)]);
    }
}
