//! Features as pure functions over the syntax tree and the model: plain byte offsets, labels and
//! edits in, plain data out. Nothing here knows LSP.

pub mod assists;
pub mod code_lens;
pub mod diagnostics;
pub mod format;
pub mod graph;
pub mod inlay_hints;
pub mod path_completion;
pub use crate::knowledge;
pub mod shell;

// Navigation, completion, hover and outline features.
pub mod completion;
#[cfg(test)]
pub(crate) mod fixture;
pub mod folding;
pub mod goto_definition;
pub mod hover;
pub mod references;
pub mod rename;
pub mod selection_range;
pub mod semantic_tokens;
pub mod symbols;

use crate::syntax::Span;

/// Replace `span` of the document with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

impl TextEdit {
    pub fn replace(span: Span, new_text: impl Into<String>) -> TextEdit {
        TextEdit {
            span,
            new_text: new_text.into(),
        }
    }

    pub fn insert(at: usize, new_text: impl Into<String>) -> TextEdit {
        TextEdit {
            span: Span::empty(at),
            new_text: new_text.into(),
        }
    }

    pub fn delete(span: Span) -> TextEdit {
        TextEdit {
            span,
            new_text: String::new(),
        }
    }
}

/// A file the change creates next to the Dockerfile (e.g. `.dockerignore`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    /// Relative to the Dockerfile's folder.
    pub relative_path: String,
    pub content: String,
}

/// Text the change adds at the end of an existing file next to the Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileAppend {
    /// Relative to the Dockerfile's folder.
    pub relative_path: String,
    /// The file's content as the analysis read it: where its end is.
    pub existing: String,
    pub text: String,
}

/// What applying a fix or an assist does: edits to the document, maybe new files or additions
/// to files next to it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceChange {
    pub edits: Vec<TextEdit>,
    pub new_files: Vec<NewFile>,
    pub appends: Vec<FileAppend>,
}

impl SourceChange {
    pub fn from_edits(edits: Vec<TextEdit>) -> SourceChange {
        SourceChange {
            edits,
            ..SourceChange::default()
        }
    }

    /// Apply the document edits to `text` (edits must not overlap).
    pub fn apply(&self, text: &str) -> String {
        apply_edits(text, &self.edits)
    }
}

/// Apply non-overlapping edits to `text`; edits outside the text are clamped.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|edit| (edit.span.start, edit.span.end));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for edit in sorted {
        let start = clamp_to_char_boundary(text, edit.span.start.max(cursor));
        let end = clamp_to_char_boundary(text, edit.span.end.max(start));
        out.push_str(&text[cursor..start]);
        out.push_str(&edit.new_text);
        cursor = end;
    }
    out.push_str(&text[cursor..]);
    out
}

fn clamp_to_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
