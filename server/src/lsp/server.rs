//! The `LanguageServer` implementation: every method is a one-line delegation to its handler file
//! under `handlers/`, so adding a feature means adding a handler file, one method here and its
//! capability in `capabilities.rs`.

use std::sync::{Arc, OnceLock};

use serde_json::Value;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, ClientSocket, LanguageServer, LspService};

use crate::lsp::documents::DocumentStore;
use crate::lsp::handlers;
use crate::lsp::position::PositionEncoding;
use crate::lsp::settings::SettingsCell;

/// What the client told us it supports, fixed by `initialize`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientSupport {
    pub encoding: PositionEncoding,
    /// Clients that pull diagnostics get no pushed ones (they would show twice).
    pub pull_diagnostics: bool,
    pub diagnostic_refresh: bool,
    pub configuration: bool,
    pub configuration_registration: bool,
    /// Workspace edits may create files (for fixes that add e.g. `.dockerignore`).
    pub create_files: bool,
}

/// The server's state shared by all handlers.
#[derive(Debug)]
pub struct Session {
    pub client: Client,
    pub documents: DocumentStore,
    pub settings: SettingsCell,
    support: OnceLock<ClientSupport>,
    diagnostics_queue: mpsc::UnboundedSender<Uri>,
    pub sent_tokens: handlers::semantic_tokens::SentTokens,
    /// Becomes true once the client's settings were first read (or there is nothing to read).
    settings_loaded: tokio::sync::watch::Sender<bool>,
}

impl Session {
    pub fn mark_settings_loaded(&self) {
        self.settings_loaded.send_replace(true);
    }

    /// Waits (briefly) until the first settings arrived, so a pull answered right after start-up
    /// already uses them: clients without diagnostic refresh would otherwise keep stale results.
    pub async fn settings_loaded(&self) {
        let mut loaded = self.settings_loaded.subscribe();
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(2),
            loaded.wait_for(|loaded| *loaded),
        )
        .await;
    }

    pub fn support(&self) -> ClientSupport {
        self.support.get().copied().unwrap_or_default()
    }

    pub fn set_support(&self, support: ClientSupport) {
        if self.support.set(support).is_err() {
            eprintln!("stagesmith: ignoring a second initialize");
        }
    }

    /// Queues `uri` for publishing the diagnostics of its newest version (or clearing them once
    /// it is closed). Never waits, so notification handlers stay synchronous.
    pub fn schedule_diagnostics(&self, uri: Uri) {
        if !self.support().pull_diagnostics {
            // The publisher lives as long as the session; a send can only fail during teardown.
            drop(self.diagnostics_queue.send(uri));
        }
    }
}

#[derive(Debug)]
pub struct Backend {
    session: Arc<Session>,
}

impl Backend {
    pub fn service() -> (LspService<Backend>, ClientSocket) {
        LspService::new(Backend::new)
    }

    fn new(client: Client) -> Backend {
        let (diagnostics_queue, queued) = mpsc::unbounded_channel();
        let session = Arc::new(Session {
            client,
            documents: DocumentStore::default(),
            settings: SettingsCell::default(),
            support: OnceLock::new(),
            diagnostics_queue,
            sent_tokens: handlers::semantic_tokens::SentTokens::default(),
            settings_loaded: tokio::sync::watch::Sender::new(false),
        });
        tokio::spawn(handlers::diagnostics::publish_queued(
            Arc::downgrade(&session),
            queued,
        ));
        Backend { session }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        Ok(handlers::lifecycle::initialize(&self.session, &params))
    }

    async fn initialized(&self, _: InitializedParams) {
        handlers::configuration::initialized(&self.session).await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        handlers::text_document_sync::did_open(&self.session, params);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        handlers::text_document_sync::did_change(&self.session, &params);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        handlers::text_document_sync::did_close(&self.session, params);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        handlers::configuration::did_change_configuration(&self.session, params).await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        self.session.settings_loaded().await;
        handlers::diagnostics::pull(&self.session, &params)
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        handlers::code_action::code_action(&self.session, &params)
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        handlers::definition::definition(&self.session, &params)
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        handlers::references::references(&self.session, &params)
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        handlers::document_highlight::document_highlight(&self.session, &params)
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        handlers::rename::prepare_rename(&self.session, &params)
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        handlers::rename::rename(&self.session, &params)
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        handlers::completion::completion(&self.session, &params)
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        handlers::hover::hover(&self.session, &params)
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        handlers::document_symbol::document_symbol(&self.session, &params)
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        handlers::folding_range::folding_range(&self.session, &params)
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        handlers::selection_range::selection_range(&self.session, &params)
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        handlers::semantic_tokens::full(&self.session, &params)
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        handlers::semantic_tokens::full_delta(&self.session, &params)
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        handlers::semantic_tokens::range(&self.session, &params)
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        handlers::execute_command::execute_command(&self.session, &params)
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        handlers::formatting::formatting(&self.session, &params)
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        handlers::formatting::range_formatting(&self.session, &params)
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        handlers::code_lens::code_lens(&self.session, &params)
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        handlers::inlay_hints::inlay_hint(&self.session, &params)
    }
}
