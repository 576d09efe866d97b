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
        ..ServerCapabilities::default()
    }
}
