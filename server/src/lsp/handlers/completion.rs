//! `textDocument/completion`: each item replaces the partly typed word around the cursor.

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::*;

use crate::ide::completion::{CompletionKind, completions};
use crate::lsp::handlers::on_document;
use crate::lsp::server::Session;

/// Characters after which editors should ask again without waiting for a word character.
pub fn trigger_characters() -> Vec<String> {
    ["-", "=", "$", "{", ",", "#"]
        .into_iter()
        .map(String::from)
        .collect()
}

pub fn completion(
    session: &Session,
    params: &CompletionParams,
) -> jsonrpc::Result<Option<CompletionResponse>> {
    let at = &params.text_document_position;
    on_document(
        session,
        "textDocument/completion",
        &at.text_document.uri,
        |snapshot| {
            let index = snapshot.line_index();
            let offset = index.offset(at.position);
            let items = completions(snapshot.tree(), snapshot.model(), offset)
                .into_iter()
                .map(|item| CompletionItem {
                    kind: Some(kind(item.kind)),
                    detail: item.detail,
                    documentation: item.documentation.map(|value| {
                        Documentation::MarkupContent(MarkupContent {
                            kind: MarkupKind::Markdown,
                            value,
                        })
                    }),
                    sort_text: Some(item.sort_text),
                    filter_text: Some(item.label.clone()),
                    insert_text_format: Some(if item.is_snippet {
                        InsertTextFormat::SNIPPET
                    } else {
                        InsertTextFormat::PLAIN_TEXT
                    }),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                        index.range(item.replace),
                        item.insert_text,
                    ))),
                    label: item.label,
                    ..CompletionItem::default()
                })
                .collect();
            Some(CompletionResponse::List(CompletionList {
                is_incomplete: false,
                items,
            }))
        },
    )
}

fn kind(kind: CompletionKind) -> CompletionItemKind {
    match kind {
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        CompletionKind::Stage => CompletionItemKind::MODULE,
        CompletionKind::Image => CompletionItemKind::REFERENCE,
        CompletionKind::Variable => CompletionItemKind::VARIABLE,
        CompletionKind::Flag => CompletionItemKind::FIELD,
        CompletionKind::Property => CompletionItemKind::PROPERTY,
        CompletionKind::Value => CompletionItemKind::VALUE,
        CompletionKind::Directive => CompletionItemKind::KEYWORD,
        CompletionKind::File => CompletionItemKind::FILE,
        CompletionKind::Folder => CompletionItemKind::FOLDER,
    }
}
