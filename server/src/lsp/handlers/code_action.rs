//! `textDocument/codeAction`: the quick fixes of the diagnostics touching the requested range,
//! and the assists (refactorings) that apply at the cursor or selection.

use std::collections::HashMap;
use std::path::{Component, Path};

use ropey::Rope;

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::*;

use crate::ide::diagnostics::{Diagnostic, Fix};
use crate::ide::{FileAppend, NewFile, SourceChange};
use crate::lsp::documents::Document;
use crate::lsp::handlers::diagnostics::{lint, to_lsp};
use crate::lsp::handlers::{Snapshot, on_document};
use crate::lsp::position::{LineIndex, PositionEncoding};

pub fn code_action(
    session: &crate::lsp::server::Session,
    params: &CodeActionParams,
) -> jsonrpc::Result<Option<CodeActionResponse>> {
    let only = params.context.only.as_deref();
    let uri = &params.text_document.uri;
    on_document(session, "textDocument/codeAction", uri, |snapshot| {
        let mut actions = if wants_kind(only, &CodeActionKind::QUICKFIX) {
            quick_fixes(snapshot, params.range)
        } else {
            Vec::new()
        };
        actions.extend(assist_actions(snapshot, params.range, only));
        Some(actions)
    })
}

/// The assists at the range, as code actions of the kinds the client asked for.
fn assist_actions(
    snapshot: &Snapshot,
    range: Range,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeActionOrCommand> {
    let index = snapshot.line_index();
    let document = &snapshot.document;
    let dockerignore = crate::lsp::handlers::diagnostics::read_dockerignore(&document.uri);
    let context = crate::ide::assists::AssistContext {
        tree: &document.parse().tree,
        model: document.model(),
        range: index.span(range),
        config: &snapshot.settings.config,
        dockerignore: dockerignore.as_deref(),
    };
    crate::ide::assists::assists(&context)
        .into_iter()
        .filter_map(|assist| {
            let kind = CodeActionKind::from(assist.kind.lsp_kind().to_string());
            if !wants_kind(only, &kind) {
                return None;
            }
            let edit = workspace_edit(
                document,
                &index,
                snapshot.support.create_files,
                &assist.change,
            )?;
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: assist.label,
                kind: Some(kind),
                edit: Some(edit),
                ..CodeAction::default()
            }))
        })
        .collect()
}

/// Whether a client that asked for `only` these kinds wants `kind` (kinds are dot-separated
/// hierarchies: asking for `quickfix` includes `quickfix.x`).
fn wants_kind(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|wanted| {
            let wanted = wanted.as_str();
            wanted.is_empty()
                || kind.as_str() == wanted
                || kind
                    .as_str()
                    .strip_prefix(wanted)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    })
}

fn quick_fixes(snapshot: &Snapshot, range: Range) -> CodeActionResponse {
    let index = snapshot.line_index();
    let requested = index.span(range);
    lint(&snapshot.document, &snapshot.settings)
        .iter()
        .filter(|diagnostic| {
            diagnostic.span.start <= requested.end && requested.start <= diagnostic.span.end
        })
        .flat_map(|diagnostic| {
            diagnostic.fixes.iter().filter_map(move |fix| {
                fix_action(
                    &snapshot.document,
                    &index,
                    snapshot.support.create_files,
                    diagnostic,
                    fix,
                )
            })
        })
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

/// The code action applying `fix`; `None` when it creates files the client cannot create or that
/// would land outside the document's folder.
fn fix_action(
    document: &Document,
    index: &LineIndex<'_>,
    can_create_files: bool,
    diagnostic: &Diagnostic,
    fix: &Fix,
) -> Option<CodeAction> {
    let edit = workspace_edit(document, index, can_create_files, &fix.change)?;
    Some(CodeAction {
        title: fix.title.clone(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![to_lsp(&document.uri, index, diagnostic)]),
        edit: Some(edit),
        is_preferred: fix.preferred.then_some(true),
        ..CodeAction::default()
    })
}

fn workspace_edit(
    document: &Document,
    index: &LineIndex<'_>,
    can_create_files: bool,
    change: &SourceChange,
) -> Option<WorkspaceEdit> {
    let edits: Vec<TextEdit> = change
        .edits
        .iter()
        .map(|edit| TextEdit::new(index.range(edit.span), edit.new_text.clone()))
        .collect();
    let appends = change
        .appends
        .iter()
        .map(|append| append_edit(&document.uri, index.encoding(), append))
        .collect::<Option<Vec<_>>>()?;
    if change.new_files.is_empty() {
        let mut changes = HashMap::from([(document.uri.clone(), edits)]);
        changes.extend(appends);
        return Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        });
    }
    if !can_create_files {
        return None;
    }
    let mut operations = Vec::new();
    for new_file in &change.new_files {
        operations.extend(create_file(&document.uri, new_file)?);
    }
    let versioned = |uri: Uri, version: Option<i32>, edits: Vec<TextEdit>| {
        DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
            edits: edits.into_iter().map(OneOf::Left).collect(),
        })
    };
    operations.push(versioned(
        document.uri.clone(),
        Some(document.version),
        edits,
    ));
    operations.extend(
        appends
            .into_iter()
            .map(|(uri, edits)| versioned(uri, None, edits)),
    );
    Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(operations)),
        ..WorkspaceEdit::default()
    })
}

/// The file `relative_path` in the document's folder; `None` for paths that would leave it.
fn sibling(document: &Uri, relative_path: &str) -> Option<Uri> {
    let relative = Path::new(relative_path);
    if !relative
        .components()
        .all(|component| matches!(component, Component::Normal(_)))
    {
        return None;
    }
    Uri::from_file_path(document.to_file_path()?.parent()?.join(relative))
}

/// The edit inserting `append.text` at the end of the file as the analysis read it.
fn append_edit(
    document: &Uri,
    encoding: PositionEncoding,
    append: &FileAppend,
) -> Option<(Uri, Vec<TextEdit>)> {
    let uri = sibling(document, &append.relative_path)?;
    let existing = Rope::from_str(&append.existing);
    let end = LineIndex::new(&existing, encoding).position(append.existing.len());
    Some((
        uri,
        vec![TextEdit::new(Range::new(end, end), append.text.clone())],
    ))
}

/// Creating `new_file` next to the document (never over an existing file) and filling it.
fn create_file(document: &Uri, new_file: &NewFile) -> Option<[DocumentChangeOperation; 2]> {
    let uri = sibling(document, &new_file.relative_path)?;
    Some([
        DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
            uri: uri.clone(),
            options: Some(CreateFileOptions {
                overwrite: Some(false),
                ignore_if_exists: Some(false),
            }),
            annotation_id: None,
        })),
        DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
            edits: vec![OneOf::Left(TextEdit::new(
                Range::default(),
                new_file.content.clone(),
            ))],
        }),
    ])
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use expect_test::expect;
    use ropey::Rope;

    use super::*;
    use crate::ide::TextEdit as IdeEdit;
    use crate::ide::diagnostics::Severity;
    use crate::lsp::position::PositionEncoding;
    use crate::syntax::Span;

    fn document(text: &str) -> Document {
        let uri =
            Uri::from_str("file:///w/app/Dockerfile").unwrap_or_else(|error| panic!("{error}"));
        Document::new(uri, 7, Rope::from_str(text))
    }

    fn diagnostic_with(change: SourceChange) -> Diagnostic {
        let mut diagnostic = Diagnostic::new(
            "MissingDockerignore",
            Severity::Warning,
            Span::new(0, 8),
            "no .dockerignore",
        );
        diagnostic.fixes.push(Fix {
            title: "Create .dockerignore".to_string(),
            change,
            preferred: true,
        });
        diagnostic
    }

    fn action_json(change: SourceChange, can_create_files: bool) -> String {
        let document = document("COPY . .\n");
        let index = document.line_index(PositionEncoding::Utf16);
        let diagnostic = diagnostic_with(change);
        let action = diagnostic
            .fixes
            .first()
            .and_then(|fix| fix_action(&document, &index, can_create_files, &diagnostic, fix));
        serde_json::to_string_pretty(&action).unwrap_or_default()
    }

    #[test]
    fn fix_creating_a_file_is_a_document_change_with_create() {
        let change = SourceChange {
            edits: vec![IdeEdit::insert(0, "# ok\n")],
            new_files: vec![NewFile {
                relative_path: ".dockerignore".to_string(),
                content: "node_modules\n".to_string(),
            }],
            ..SourceChange::default()
        };
        expect![[r##"
            {
              "title": "Create .dockerignore",
              "kind": "quickfix",
              "diagnostics": [
                {
                  "range": {
                    "start": {
                      "line": 0,
                      "character": 0
                    },
                    "end": {
                      "line": 0,
                      "character": 8
                    }
                  },
                  "severity": 2,
                  "code": "MissingDockerignore",
                  "codeDescription": {
                    "href": "https://stagesmith.dev/rules/MissingDockerignore"
                  },
                  "source": "stagesmith",
                  "message": "no .dockerignore"
                }
              ],
              "edit": {
                "documentChanges": [
                  {
                    "kind": "create",
                    "uri": "file:///w/app/.dockerignore",
                    "options": {
                      "overwrite": false,
                      "ignoreIfExists": false
                    }
                  },
                  {
                    "textDocument": {
                      "uri": "file:///w/app/.dockerignore",
                      "version": null
                    },
                    "edits": [
                      {
                        "range": {
                          "start": {
                            "line": 0,
                            "character": 0
                          },
                          "end": {
                            "line": 0,
                            "character": 0
                          }
                        },
                        "newText": "node_modules\n"
                      }
                    ]
                  },
                  {
                    "textDocument": {
                      "uri": "file:///w/app/Dockerfile",
                      "version": 7
                    },
                    "edits": [
                      {
                        "range": {
                          "start": {
                            "line": 0,
                            "character": 0
                          },
                          "end": {
                            "line": 0,
                            "character": 0
                          }
                        },
                        "newText": "# ok\n"
                      }
                    ]
                  }
                ]
              },
              "isPreferred": true
            }"##]]
        .assert_eq(&action_json(change.clone(), true));
        assert_eq!(
            action_json(change, false),
            "null",
            "client cannot create files"
        );
    }

    #[test]
    fn new_files_outside_the_folder_are_refused() {
        for relative_path in ["../x", "/etc/x", "a/../../x"] {
            let change = SourceChange {
                edits: Vec::new(),
                new_files: vec![NewFile {
                    relative_path: relative_path.to_string(),
                    content: String::new(),
                }],
                ..SourceChange::default()
            };
            assert_eq!(action_json(change, true), "null", "{relative_path}");
        }
    }

    #[test]
    fn appends_insert_at_the_end_of_the_sibling_file() {
        let change = SourceChange {
            appends: vec![FileAppend {
                relative_path: ".dockerignore".to_string(),
                existing: ".git\n# keep\nnode 😀".to_string(),
                text: "\ntarget\n".to_string(),
            }],
            ..SourceChange::default()
        };
        let json: serde_json::Value =
            serde_json::from_str(&action_json(change.clone(), false)).unwrap_or_default();
        expect![[r#"
            {
              "file:///w/app/.dockerignore": [
                {
                  "newText": "\ntarget\n",
                  "range": {
                    "end": {
                      "character": 7,
                      "line": 2
                    },
                    "start": {
                      "character": 7,
                      "line": 2
                    }
                  }
                }
              ],
              "file:///w/app/Dockerfile": []
            }"#]]
        .assert_eq(&serde_json::to_string_pretty(&json["edit"]["changes"]).unwrap_or_default());
        let escaping = SourceChange {
            appends: vec![FileAppend {
                relative_path: "../.dockerignore".to_string(),
                ..change.appends[0].clone()
            }],
            ..SourceChange::default()
        };
        assert_eq!(action_json(escaping, true), "null");
    }

    #[test]
    fn plain_edits_use_changes() {
        let change = SourceChange::from_edits(vec![IdeEdit::replace(Span::new(5, 6), "src")]);
        let json = action_json(change, false);
        assert!(json.contains("\"changes\""), "{json}");
        assert!(json.contains("\"newText\": \"src\""), "{json}");
    }

    #[test]
    fn only_filters_by_kind_hierarchy() {
        let quickfix = CodeActionKind::QUICKFIX;
        assert!(wants_kind(None, &quickfix));
        assert!(wants_kind(Some(&[CodeActionKind::QUICKFIX]), &quickfix));
        assert!(wants_kind(Some(&[CodeActionKind::EMPTY]), &quickfix));
        assert!(!wants_kind(Some(&[CodeActionKind::REFACTOR]), &quickfix));
        assert!(!wants_kind(
            Some(&[CodeActionKind::new("quick")]),
            &quickfix
        ));
    }
}
