//! Diagnostics: computed by `ide::diagnostics` on the newest document version, pushed by one
//! publisher task (so publications never overtake each other) or pulled with
//! `textDocument/diagnostic`.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Weak};

use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::ide::diagnostics::{self as ide, LintContext};
use crate::lsp::documents::Document;
use crate::lsp::guard::catch_panic;
use crate::lsp::handlers::on_document;
use crate::lsp::position::LineIndex;
use crate::lsp::server::Session;
use crate::lsp::settings::Settings;

/// The ide diagnostics of `document` under `settings`, cached per version and settings generation.
pub fn lint(document: &Document, settings: &Settings) -> Arc<[ide::Diagnostic]> {
    document.diagnostics(settings, |parse, model, previous| {
        let dockerignore = read_dockerignore(&document.uri);
        let (config, problems) = document_config(&document.uri, settings);
        let (mut diagnostics, cache) = ide::diagnostics_incremental(
            parse,
            model,
            &LintContext {
                config: &config,
                dockerignore: dockerignore.as_deref(),
            },
            previous,
        );
        diagnostics.extend(problems.into_iter().map(|problem| {
            ide::Diagnostic::new(
                "InvalidConfig",
                ide::Severity::Error,
                crate::syntax::Span::empty(0),
                problem,
            )
        }));
        (diagnostics, cache)
    })
}

/// Defaults, then the nearest `.stagesmith.toml` above the document, then the client's settings.
/// A broken config file is reported on the document (a diagnostic at its start) so the user sees
/// it; its valid entries still apply.
fn document_config(uri: &Uri, settings: &Settings) -> (crate::config::Config, Vec<String>) {
    let Some(path) = uri.to_file_path() else {
        return (settings.config.clone(), Vec::new());
    };
    let Some(config_path) = path.parent().and_then(crate::config::find_config_file) else {
        return (settings.config.clone(), Vec::new());
    };
    let root = config_path.parent().unwrap_or(&config_path).to_path_buf();
    let mut config = crate::config::Config::default();
    let problems = config
        .apply_toml_file(&config_path, &root, &config_path)
        .err()
        .unwrap_or_default();
    (
        crate::lsp::settings::config_over(config, &settings.section),
        problems,
    )
}

/// The ignore file BuildKit would use for the document (`<name>.dockerignore`, else
/// `.dockerignore`); a symlink is not followed (it may lead out of the workspace).
pub fn read_dockerignore(uri: &Uri) -> Option<String> {
    let path = crate::config::find_dockerignore(&uri.to_file_path()?)?;
    let metadata = std::fs::symlink_metadata(&path).ok()?;
    if !metadata.is_file() {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

pub fn to_lsp(uri: &Uri, index: &LineIndex<'_>, diagnostic: &ide::Diagnostic) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .map(|related| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), index.range(related.span)),
            message: related.message.clone(),
        })
        .collect();
    let tags: Vec<lsp::DiagnosticTag> = diagnostic
        .tags
        .iter()
        .map(|tag| match tag {
            ide::DiagnosticTag::Unnecessary => lsp::DiagnosticTag::UNNECESSARY,
            ide::DiagnosticTag::Deprecated => lsp::DiagnosticTag::DEPRECATED,
        })
        .collect();
    lsp::Diagnostic {
        range: index.range(diagnostic.span),
        severity: Some(match diagnostic.severity {
            ide::Severity::Error => lsp::DiagnosticSeverity::ERROR,
            ide::Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            ide::Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
            ide::Severity::Hint => lsp::DiagnosticSeverity::HINT,
        }),
        code: Some(lsp::NumberOrString::String(diagnostic.code.to_string())),
        code_description: Uri::from_str(&format!(
            "https://stagesmith.dev/rules/{}",
            diagnostic.code
        ))
        .ok()
        .map(|href| lsp::CodeDescription { href }),
        source: Some("stagesmith".to_string()),
        message: diagnostic.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: (!tags.is_empty()).then_some(tags),
        data: None,
    }
}

fn lsp_diagnostics(document: &Document, session: &Session) -> Vec<lsp::Diagnostic> {
    let index = document.line_index(session.support().encoding);
    lint(document, &session.settings.get())
        .iter()
        .map(|diagnostic| to_lsp(&document.uri, &index, diagnostic))
        .collect()
}

/// The publisher task: takes queued URIs in batches, publishes each one's newest version once.
pub async fn publish_queued(session: Weak<Session>, mut queue: mpsc::UnboundedReceiver<Uri>) {
    // What each URI last got, so a repeated request for an unchanged document publishes nothing.
    let mut published: HashMap<Uri, (i32, u64)> = HashMap::new();
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while let Ok(uri) = queue.try_recv() {
            if !batch.contains(&uri) {
                batch.push(uri);
            }
        }
        let Some(session) = session.upgrade() else {
            return;
        };
        for uri in batch {
            publish(&session, uri, &mut published).await;
        }
    }
}

async fn publish(session: &Session, uri: Uri, published: &mut HashMap<Uri, (i32, u64)>) {
    let Some(document) = session.documents.get(&uri) else {
        if published.remove(&uri).is_some() {
            session
                .client
                .publish_diagnostics(uri, Vec::new(), None)
                .await;
        }
        return;
    };
    let generation = session.settings.get().generation;
    if published.get(&uri) == Some(&(document.version, generation)) {
        return;
    }
    let Ok(diagnostics) = catch_panic("diagnostics", || lsp_diagnostics(&document, session)) else {
        return;
    };
    published.insert(uri.clone(), (document.version, generation));
    session
        .client
        .publish_diagnostics(uri, diagnostics, Some(document.version))
        .await;
}

/// Queues every open document, e.g. after the settings changed; pull clients are asked to pull.
pub async fn refresh_all(session: &Session) {
    if session.support().pull_diagnostics {
        if session.support().diagnostic_refresh {
            if let Err(error) = session.client.workspace_diagnostic_refresh().await {
                eprintln!("stagesmith: diagnostic refresh failed: {error}");
            }
        }
        return;
    }
    for document in session.documents.all() {
        session.schedule_diagnostics(document.uri.clone());
    }
}

/// `textDocument/diagnostic`; the result id names the version and settings it describes, so an
/// unchanged document is answered with "unchanged".
pub fn pull(
    session: &Session,
    params: &lsp::DocumentDiagnosticParams,
) -> jsonrpc::Result<lsp::DocumentDiagnosticReportResult> {
    let uri = &params.text_document.uri;
    let report = on_document(session, "textDocument/diagnostic", uri, |snapshot| {
        let result_id = format!(
            "{}-{}",
            snapshot.document.version, snapshot.settings.generation
        );
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return Some(lsp::DocumentDiagnosticReport::Unchanged(
                lsp::RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                },
            ));
        }
        let index = snapshot.line_index();
        let items = lint(&snapshot.document, &snapshot.settings)
            .iter()
            .map(|diagnostic| to_lsp(uri, &index, diagnostic))
            .collect();
        Some(full_report(Some(result_id), items))
    })?;
    // A document that is not open has nothing to report.
    Ok(report
        .unwrap_or_else(|| full_report(None, Vec::new()))
        .into())
}

fn full_report(
    result_id: Option<String>,
    items: Vec<lsp::Diagnostic>,
) -> lsp::DocumentDiagnosticReport {
    lsp::DocumentDiagnosticReport::Full(lsp::RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport { result_id, items },
    })
}

#[cfg(test)]
mod tests {
    use expect_test::expect;
    use ropey::Rope;

    use super::*;
    use crate::ide::diagnostics::{Related, Severity};
    use crate::lsp::position::PositionEncoding;
    use crate::syntax::Span;

    #[test]
    fn conversion_keeps_code_severity_related_information_and_tags() {
        let text = "FROM a AS x\nFROM b AS x\n";
        let rope = Rope::from_str(text);
        let index = LineIndex::new(&rope, PositionEncoding::Utf16);
        let uri = Uri::from_str("file:///w/Dockerfile").unwrap_or_else(|error| panic!("{error}"));
        let mut diagnostic = ide::Diagnostic::new(
            "DuplicateStageName",
            Severity::Hint,
            Span::new(22, 23),
            "duplicate stage name \"x\"",
        );
        diagnostic.related.push(Related {
            span: Span::new(10, 11),
            message: "first defined here".to_string(),
        });
        diagnostic.tags = vec![
            ide::DiagnosticTag::Unnecessary,
            ide::DiagnosticTag::Deprecated,
        ];
        let converted =
            serde_json::to_string_pretty(&to_lsp(&uri, &index, &diagnostic)).unwrap_or_default();
        expect![[r#"
            {
              "range": {
                "start": {
                  "line": 1,
                  "character": 10
                },
                "end": {
                  "line": 1,
                  "character": 11
                }
              },
              "severity": 4,
              "code": "DuplicateStageName",
              "codeDescription": {
                "href": "https://stagesmith.dev/rules/DuplicateStageName"
              },
              "source": "stagesmith",
              "message": "duplicate stage name \"x\"",
              "relatedInformation": [
                {
                  "location": {
                    "uri": "file:///w/Dockerfile",
                    "range": {
                      "start": {
                        "line": 0,
                        "character": 10
                      },
                      "end": {
                        "line": 0,
                        "character": 11
                      }
                    }
                  },
                  "message": "first defined here"
                }
              ],
              "tags": [
                1,
                2
              ]
            }"#]]
        .assert_eq(&converted);
    }
}
