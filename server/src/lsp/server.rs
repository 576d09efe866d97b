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
}

impl Session {
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
            self.publish_diagnostics(uri);
        }
    }

    /// Queues `uri` for publishing whatever the client's diagnostic mode.
    pub fn publish_diagnostics(&self, uri: Uri) {
        // The publisher lives as long as the session; a send can only fail during teardown.
        drop(self.diagnostics_queue.send(uri));
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
        handlers::diagnostics::pull(&self.session, &params)
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        handlers::code_action::code_action(&self.session, &params)
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
