//! `initialize`: negotiate the position encoding, note what the client supports, announce ours.

use tower_lsp_server::ls_types::*;

use crate::lsp::capabilities::server_capabilities;
use crate::lsp::position::PositionEncoding;
use crate::lsp::server::{ClientSupport, Session};

pub fn initialize(session: &Session, params: &InitializeParams) -> InitializeResult {
    let support = client_support(&params.capabilities);
    session.set_support(support);
    InitializeResult {
        capabilities: server_capabilities(&support),
        server_info: Some(ServerInfo {
            name: "stagesmith".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        offset_encoding: None,
    }
}

fn client_support(capabilities: &ClientCapabilities) -> ClientSupport {
    let workspace = capabilities.workspace.as_ref();
    let workspace_edit = workspace.and_then(|workspace| workspace.workspace_edit.as_ref());
    let create_files = workspace_edit.is_some_and(|edit| {
        edit.document_changes == Some(true)
            && edit
                .resource_operations
                .as_ref()
                .is_some_and(|operations| operations.contains(&ResourceOperationKind::Create))
    });
    ClientSupport {
        encoding: PositionEncoding::negotiate(
            capabilities
                .general
                .as_ref()
                .and_then(|general| general.position_encodings.as_deref()),
        ),
        pull_diagnostics: capabilities
            .text_document
            .as_ref()
            .is_some_and(|text_document| text_document.diagnostic.is_some()),
        diagnostic_refresh: workspace
            .and_then(|workspace| workspace.diagnostics.as_ref())
            .and_then(|diagnostics| diagnostics.refresh_support)
            == Some(true),
        configuration: workspace.and_then(|workspace| workspace.configuration) == Some(true),
        configuration_registration: workspace
            .and_then(|workspace| workspace.did_change_configuration.as_ref())
            .and_then(|registration| registration.dynamic_registration)
            == Some(true),
        create_files,
    }
}
