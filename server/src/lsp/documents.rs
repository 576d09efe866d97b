//! Open documents: one immutable `Document` per version, shared as `Arc` so no handler ever holds a
//! map guard while it works or awaits.

use std::sync::{Arc, Mutex, OnceLock};

use dashmap::DashMap;
use ropey::Rope;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::ide::diagnostics::{Diagnostic, LintCache, Reuse};
use crate::lsp::position::{LineIndex, PositionEncoding};
use crate::lsp::settings::Settings;
use crate::model::Model;
use crate::syntax::{self, Parse, TreeChange, TreeEdit};

/// One version of an open document and its analysis, computed on first use and never twice.
#[derive(Debug)]
pub struct Document {
    pub uri: Uri,
    pub version: i32,
    pub rope: Rope,
    /// The version this one was edited from, until this one is parsed: its tree, model and
    /// diagnostics are where this version's analysis starts.
    predecessor: Mutex<Option<Arc<Document>>>,
    parse: OnceLock<Parse>,
    /// What the parse took over from the predecessor, for the model and the lint to reuse.
    inherited: Mutex<Option<Inherited>>,
    model: OnceLock<Model>,
    lint: Mutex<Option<Lint>>,
}

/// The diagnostics of one document version under one settings generation, and what the rules
/// found per instruction, for the next version to reuse.
#[derive(Debug, Clone)]
pub struct Lint {
    pub settings_generation: u64,
    pub diagnostics: Arc<[Diagnostic]>,
    cache: LintCache,
}

/// A predecessor's analysis, taken over by its successor.
#[derive(Debug)]
struct Analysis {
    parse: Parse,
    model: Option<Model>,
    lint: Option<Lint>,
}

#[derive(Debug)]
struct Inherited {
    change: TreeChange,
    model: Option<Model>,
    /// Whether `model()` carried the predecessor's model over instead of building one.
    model_carried_over: bool,
    lint: Option<LintCache>,
}

/// A poisoned lock only means a panic elsewhere left the slot as it was: use it anyway.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Document {
    pub fn new(uri: Uri, version: i32, rope: Rope) -> Document {
        Document {
            uri,
            version,
            rope,
            predecessor: Mutex::new(None),
            parse: OnceLock::new(),
            inherited: Mutex::new(None),
            model: OnceLock::new(),
            lint: Mutex::new(None),
        }
    }

    /// The syntax tree: re-read only where the text changed since the predecessor's.
    pub fn parse(&self) -> &Parse {
        self.parse.get_or_init(|| {
            let text = self.rope.to_string();
            let predecessor = lock(&self.predecessor).take();
            match predecessor.and_then(Document::into_analysis) {
                Some(Analysis { parse, model, lint }) => {
                    let (parse, change) = syntax::reparse(parse, text);
                    *lock(&self.inherited) = Some(Inherited {
                        change,
                        model,
                        model_carried_over: false,
                        lint: lint.map(|lint| lint.cache),
                    });
                    parse
                }
                None => syntax::parse(&text),
            }
        })
    }

    /// The stages, references and variables of this version, shared by every feature request;
    /// the predecessor's, moved, when the change touched nothing the model reads.
    pub fn model(&self) -> &Model {
        self.model.get_or_init(|| {
            let parse = self.parse();
            let carried = lock(&self.inherited).as_mut().and_then(|inherited| {
                let model = inherited.model.take()?;
                let carried = model.after_change(&parse.tree, &inherited.change);
                inherited.model_carried_over = carried.is_some();
                carried
            });
            carried.unwrap_or_else(|| Model::build(&parse.tree))
        })
    }

    /// The parse and model of a predecessor: moved out when nothing else holds it (the usual
    /// case: the store has already replaced it), copied otherwise.
    fn into_analysis(document: Arc<Document>) -> Option<Analysis> {
        match Arc::try_unwrap(document) {
            Ok(document) => Some(Analysis {
                parse: document.parse.into_inner()?,
                model: document.model.into_inner(),
                lint: document
                    .lint
                    .into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            }),
            Err(shared) => Some(Analysis {
                parse: shared.parse.get()?.clone(),
                model: shared.model.get().cloned(),
                lint: lock(&shared.lint).clone(),
            }),
        }
    }

    pub fn line_index(&self, encoding: PositionEncoding) -> LineIndex<'_> {
        LineIndex::new(&self.rope, encoding)
    }

    /// The diagnostics under `settings`, computed at most once per settings generation, from
    /// where the predecessor's lint left off when there is one.
    pub fn diagnostics(
        &self,
        settings: &Settings,
        compute: impl FnOnce(&Parse, &Model, Option<Reuse<'_>>) -> (Vec<Diagnostic>, LintCache),
    ) -> Arc<[Diagnostic]> {
        // A panic while computing poisons nothing we rely on: the slot is simply still empty.
        let mut slot = lock(&self.lint);
        if let Some(lint) = slot
            .as_ref()
            .filter(|lint| lint.settings_generation == settings.generation)
        {
            return lint.diagnostics.clone();
        }
        let (parse, model) = (self.parse(), self.model());
        let inherited = lock(&self.inherited).take();
        let unchanged;
        let previous = match (&inherited, slot.as_ref()) {
            // A settings change: this version's own findings, nothing rebuilt.
            (_, Some(lint)) => {
                unchanged =
                    TreeEdit::unchanged(parse.tree.instructions.len(), parse.tree.text().len());
                Some(Reuse {
                    cache: &lint.cache,
                    edit: &unchanged,
                    replaced: &[],
                    model_carried_over: true,
                })
            }
            (
                Some(Inherited {
                    change,
                    lint: Some(cache),
                    model_carried_over,
                    ..
                }),
                None,
            ) => Some(Reuse {
                cache,
                edit: &change.edit,
                replaced: &change.replaced,
                model_carried_over: *model_carried_over,
            }),
            _ => None,
        };
        let (diagnostics, cache) = compute(parse, model, previous);
        let diagnostics: Arc<[Diagnostic]> = diagnostics.into();
        *slot = Some(Lint {
            settings_generation: settings.generation,
            diagnostics: diagnostics.clone(),
            cache,
        });
        diagnostics
    }

    /// The next version after `changes`, applied in order; ranges are clamped to the text.
    fn with_changes(
        self: &Arc<Document>,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        encoding: PositionEncoding,
    ) -> Document {
        let mut rope = self.rope.clone();
        for change in changes {
            match change.range {
                Some(range) => {
                    let span = LineIndex::new(&rope, encoding).span(range);
                    let start = rope.byte_to_char(span.start);
                    let end = rope.byte_to_char(span.end);
                    rope.remove(start..end);
                    rope.insert(start, &change.text);
                }
                None => rope = Rope::from_str(&change.text),
            }
        }
        let next = Document::new(self.uri.clone(), version, rope);
        // An unparsed version hands on its own predecessor, so versions never form a chain.
        *lock(&next.predecessor) = if self.parse.get().is_some() {
            Some(Arc::clone(self))
        } else {
            lock(&self.predecessor).take()
        };
        next
    }
}

#[derive(Debug, Default)]
pub struct DocumentStore {
    documents: DashMap<Uri, Arc<Document>>,
}

impl DocumentStore {
    pub fn open(&self, uri: Uri, version: i32, text: &str) -> Arc<Document> {
        let document = Arc::new(Document::new(uri.clone(), version, Rope::from_str(text)));
        self.documents.insert(uri, document.clone());
        document
    }

    /// Applies `changes` synchronously and returns the version they replaced; `None` when the
    /// document is not open.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        encoding: PositionEncoding,
    ) -> Option<i32> {
        let mut entry = self.documents.get_mut(uri)?;
        let next = Arc::new(entry.with_changes(version, changes, encoding));
        Some(std::mem::replace(&mut *entry, next).version)
    }

    pub fn close(&self, uri: &Uri) {
        self.documents.remove(uri);
    }

    pub fn get(&self, uri: &Uri) -> Option<Arc<Document>> {
        self.documents.get(uri).map(|entry| entry.value().clone())
    }

    pub fn all(&self) -> Vec<Arc<Document>> {
        self.documents
            .iter()
            .map(|entry| entry.value().clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use proptest::prelude::*;
    use tower_lsp_server::ls_types::{Position, Range};

    use crate::ide::diagnostics::{LintContext, diagnostics, diagnostics_incremental};

    use super::*;

    fn uri() -> Uri {
        Uri::from_str("file:///w/Dockerfile").unwrap_or_else(|error| panic!("{error}"))
    }

    fn edit(
        (start_line, start_col): (u32, u32),
        (end_line, end_col): (u32, u32),
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(start_line, start_col),
                Position::new(end_line, end_col),
            )),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn incremental_and_full_changes_apply_in_order() {
        let store = DocumentStore::default();
        store.open(uri(), 1, "FROM a😀\r\nRUN x\n");
        let previous = store.change(
            &uri(),
            2,
            &[
                edit((0, 8), (0, 8), " AS b"),
                edit((1, 4), (1, 99), "echo 漢"),
                edit((9, 0), (9, 0), "CMD y\n"),
            ],
            PositionEncoding::Utf16,
        );
        assert_eq!(previous, Some(1));
        let text = store
            .get(&uri())
            .map(|document| (document.version, document.parse().tree.text().to_string()));
        assert_eq!(
            text,
            Some((2, "FROM a😀 AS b\r\nRUN echo 漢\nCMD y\n".to_string()))
        );
        let full = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "FROM z\n".to_string(),
        };
        store.change(&uri(), 3, &[full], PositionEncoding::Utf16);
        assert_eq!(
            store.get(&uri()).map(|d| d.parse().tree.text().to_string()),
            Some("FROM z\n".to_string())
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Random edit scripts on real Dockerfiles, sent as LSP range changes (several per
        /// `didChange`, each relative to the text after the previous one), some versions
        /// analysed and some skipped: every analysed version has the text, tree and model of a
        /// fresh parse of the same edits applied to a string.
        #[test]
        fn incremental_changes_match_a_fresh_parse(
            file in proptest::sample::select(crate::test_corpus::real_files()),
            edits in proptest::collection::vec(
                (any::<proptest::sample::Index>(), 0usize..40, crate::test_corpus::inserted_text()),
                1..24,
            ),
            per_change in 1usize..4,
            analysed in proptest::collection::vec(any::<bool>(), 24),
            encoding in crate::lsp::position::tests::encoding_strategy(),
        ) {
            let mut expected = crate::test_corpus::read(&file);
            let store = DocumentStore::default();
            store.open(uri(), 1, &expected);
            let batches = edits.chunks(per_change);
            let last = i32::try_from(batches.len()).map_or(i32::MAX, |count| count + 1);
            for ((version, batch), analyse) in (2..).zip(batches).zip(analysed.iter().cycle()) {
                let mut changes = Vec::new();
                for (start, length, text) in batch {
                    let (start, end) = crate::test_corpus::edit_range(&expected, start, *length);
                    let rope = Rope::from_str(&expected);
                    let index = LineIndex::new(&rope, encoding);
                    let range = index.range(crate::syntax::Span::new(start, end));
                    let span = index.span(range);
                    expected.replace_range(span.start..span.end, text);
                    changes.push(TextDocumentContentChangeEvent {
                        range: Some(range),
                        range_length: None,
                        text: text.clone(),
                    });
                }
                prop_assert!(store.change(&uri(), version, &changes, encoding).is_some());
                if !analyse && version != last {
                    continue;
                }
                let document = store.get(&uri());
                let document = document.as_deref();
                prop_assert_eq!(document.map(|d| d.rope.to_string()), Some(expected.clone()));
                let fresh = syntax::parse(&expected);
                prop_assert_eq!(document.map(Document::parse), Some(&fresh));
                let fresh_model = Model::build(&fresh.tree);
                prop_assert_eq!(document.map(Document::model), Some(&fresh_model));
                let config = crate::config::Config::default();
                let context = LintContext { config: &config, dockerignore: None };
                let lint = document.map(|d| {
                    d.diagnostics(&Settings::default(), |parse, model, previous| {
                        diagnostics_incremental(parse, model, &context, previous)
                    })
                });
                let fresh_lint = diagnostics(&fresh, &fresh_model, &context);
                prop_assert_eq!(lint.as_deref(), Some(fresh_lint.as_slice()));
            }
        }
    }

    #[test]
    fn changes_to_unopened_documents_are_ignored() {
        let store = DocumentStore::default();
        let change = edit((0, 0), (0, 0), "x");
        assert!(
            store
                .change(&uri(), 2, &[change], PositionEncoding::Utf8)
                .is_none()
        );
        assert!(store.get(&uri()).is_none());
    }

    #[test]
    fn diagnostics_are_computed_once_per_version_and_settings_generation() {
        let document = Document::new(uri(), 1, Rope::from_str("FROM a\n"));
        let computed = std::cell::Cell::new(0);
        let count = |_: &Parse, _: &Model, _: Option<Reuse<'_>>| {
            computed.set(computed.get() + 1);
            (Vec::new(), LintCache::default())
        };
        let settings = Settings::default();
        document.diagnostics(&settings, count);
        document.diagnostics(&settings, count);
        assert_eq!(computed.get(), 1);
        let changed = Settings {
            generation: 1,
            ..Settings::default()
        };
        document.diagnostics(&changed, count);
        assert_eq!(computed.get(), 2);
    }
}
