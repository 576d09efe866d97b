//! One file per LSP method or feature family. Read-only requests go through [`on_document`]: it
//! takes a snapshot of the newest document version, runs the pure computation with panics caught,
//! and answers `null` for documents that are not open.

pub mod code_action;
pub mod code_lens;
pub mod completion;
pub mod configuration;
pub mod definition;
pub mod diagnostics;
pub mod document_highlight;
pub mod document_symbol;
pub mod execute_command;
pub mod folding_range;
pub mod formatting;
pub mod hover;
pub mod inlay_hints;
pub mod lifecycle;
pub mod references;
pub mod rename;
pub mod selection_range;
pub mod semantic_tokens;
pub mod text_document_sync;

use std::sync::Arc;

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::Uri;

use crate::lsp::documents::Document;
use crate::lsp::guard::catch_panic;
use crate::lsp::position::LineIndex;
use crate::lsp::server::{ClientSupport, Session};
use crate::lsp::settings::Settings;

/// Everything a read-only request needs, detached from the shared maps.
#[derive(Debug)]
pub struct Snapshot {
    pub document: Arc<Document>,
    pub support: ClientSupport,
    pub settings: Arc<Settings>,
}

impl Snapshot {
    pub fn tree(&self) -> &crate::syntax::SyntaxTree {
        &self.document.parse().tree
    }

    pub fn model(&self) -> &crate::model::Model {
        self.document.model()
    }

    pub fn line_index(&self) -> LineIndex<'_> {
        self.document.line_index(self.support.encoding)
    }
}

/// Runs `compute` for request `method` on the newest version of `uri`.
pub fn on_document<T>(
    session: &Session,
    method: &str,
    uri: &Uri,
    compute: impl FnOnce(&Snapshot) -> Option<T>,
) -> jsonrpc::Result<Option<T>> {
    let Some(document) = session.documents.get(uri) else {
        return Ok(None);
    };
    let snapshot = Snapshot {
        document,
        support: session.support(),
        settings: session.settings.get(),
    };
    catch_panic(method, || compute(&snapshot))
}
