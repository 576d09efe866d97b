//! What the server offers, one entry per handler file; a new feature adds its line here.

use tower_lsp_server::ls_types::*;

use crate::lsp::handlers;
use crate::lsp::server::ClientSupport;

pub fn server_capabilities(support: &ClientSupport) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(support.encoding.kind()),
        // handlers/text_document_sync.rs
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..TextDocumentSyncOptions::default()
            },
        )),
        // handlers/diagnostics.rs (pull; push needs no capability)
        diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some("stagesmith".to_string()),
            inter_file_dependencies: false,
            workspace_diagnostics: false,
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        // handlers/code_action.rs
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::REFACTOR,
                CodeActionKind::REFACTOR_EXTRACT,
                CodeActionKind::REFACTOR_REWRITE,
            ]),
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        // handlers/execute_command.rs
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: handlers::execute_command::commands(),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        // handlers/formatting.rs
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        // handlers/code_lens.rs
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        // handlers/inlay_hints.rs
        inlay_hint_provider: Some(OneOf::Left(true)),
        // handlers/definition.rs
        definition_provider: Some(OneOf::Left(true)),
        // handlers/references.rs
        references_provider: Some(OneOf::Left(true)),
        // handlers/document_highlight.rs
        document_highlight_provider: Some(OneOf::Left(true)),
        // handlers/rename.rs
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        // handlers/completion.rs
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(handlers::completion::trigger_characters()),
            ..CompletionOptions::default()
        }),
        // handlers/hover.rs
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        // handlers/document_symbol.rs
        document_symbol_provider: Some(OneOf::Left(true)),
        // handlers/folding_range.rs
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        // handlers/selection_range.rs
        selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
        // handlers/semantic_tokens.rs
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: handlers::semantic_tokens::legend(),
                range: Some(true),
                full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            },
        )),
        ..ServerCapabilities::default()
    }
}
