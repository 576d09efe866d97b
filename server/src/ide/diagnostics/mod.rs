//! Diagnostics: the rule engine and one file per rule.

use crate::ide::SourceChange;
use crate::syntax::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagnosticTag {
    Unnecessary,
    Deprecated,
}

/// Another place that matters for a diagnostic (e.g. the first definition of a duplicate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// A quick fix offered with a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub change: SourceChange,
    /// The fix a client may apply without asking (e.g. on save).
    pub preferred: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The offending token, never more than it needs.
    pub span: Span,
    /// The rule's PascalCase name, e.g. `StageNameCasing`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub related: Vec<Related>,
    pub tags: Vec<DiagnosticTag>,
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    pub fn new(code: &'static str, severity: Severity, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            span,
            code,
            severity,
            message: message.into(),
            related: Vec::new(),
            tags: Vec::new(),
            fixes: Vec::new(),
        }
    }
}
