//! The client's `stagesmith` settings: fetched after `initialized` and on every
//! `didChangeConfiguration` (from `workspace/configuration` when the client offers it, otherwise
//! from the notification itself); each change re-lints the open documents.

use serde_json::Value;
use tower_lsp_server::ls_types::*;

use crate::lsp::handlers::diagnostics::refresh_all;
use crate::lsp::server::Session;

const SECTION: &str = "stagesmith";

pub async fn initialized(session: &Session) {
    if session.support().configuration_registration {
        let registration = Registration {
            id: "stagesmith-configuration".to_string(),
            method: "workspace/didChangeConfiguration".to_string(),
            register_options: None,
        };
        if let Err(error) = session.client.register_capability(vec![registration]).await {
            eprintln!("stagesmith: registering for configuration changes failed: {error}");
        }
    }
    if session.support().configuration {
        update(session, fetch(session).await).await;
    }
    session.mark_settings_loaded();
}

pub async fn did_change_configuration(session: &Session, params: DidChangeConfigurationParams) {
    let section = if session.support().configuration {
        fetch(session).await
    } else {
        match params.settings {
            Value::Object(mut settings) => {
                settings.remove(SECTION).unwrap_or(Value::Object(settings))
            }
            other => other,
        }
    };
    update(session, section).await;
}

async fn fetch(session: &Session) -> Value {
    let item = ConfigurationItem {
        scope_uri: None,
        section: Some(SECTION.to_string()),
    };
    match session.client.configuration(vec![item]).await {
        Ok(mut sections) => sections.pop().unwrap_or(Value::Null),
        Err(error) => {
            eprintln!("stagesmith: workspace/configuration failed: {error}");
            Value::Null
        }
    }
}

async fn update(session: &Session, section: Value) {
    if session.settings.update(&section) {
        refresh_all(session).await;
    }
}
