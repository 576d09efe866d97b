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
    pub fn new(
        code: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
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

/// Static facts about a rule: feeds `stagesmith rules`, `--explain`, hover and `codeDescription`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    pub name: &'static str,
    pub default_severity: Severity,
    /// Off-by-default rules (like BuildKit's InvalidDefinitionDescription) run only when configured.
    pub enabled_by_default: bool,
    /// One line for `stagesmith rules`.
    pub summary: &'static str,
    /// Markdown: What it does / Why is this bad? / Example / Use instead / References.
    pub doc: &'static str,
}

/// What the rules may read besides the document.
#[derive(Debug, Clone, Copy)]
pub struct LintContext<'a> {
    pub config: &'a crate::config::Config,
    /// The `.dockerignore` next to the Dockerfile, if any.
    pub dockerignore: Option<&'a str>,
}

/// The inputs a rule reads.
pub struct RuleContext<'a> {
    pub tree: &'a crate::syntax::SyntaxTree,
    pub model: &'a crate::model::Model,
    pub lint: &'a LintContext<'a>,
}

/// A rule: its static facts and its check. Each rule file exports one `pub const RULE`.
#[derive(Clone, Copy)]
pub struct RuleDef {
    pub meta: RuleMeta,
    pub check: fn(&RuleContext<'_>, &mut Vec<Diagnostic>),
}

mod rules;

/// Every diagnostic for a parsed document.
pub fn diagnostics(parse: &crate::syntax::Parse, context: &LintContext<'_>) -> Vec<Diagnostic> {
    let model = crate::model::Model::build(&parse.tree);
    let rule_context = RuleContext {
        tree: &parse.tree,
        model: &model,
        lint: context,
    };
    let mut out: Vec<Diagnostic> = parse
        .errors
        .iter()
        .map(|error| {
            Diagnostic::new(
                "SyntaxError",
                Severity::Error,
                error.span,
                error.message.clone(),
            )
        })
        .collect();
    for rule in rules::ALL
        .iter()
        .filter(|rule| rule.meta.enabled_by_default)
    {
        (rule.check)(&rule_context, &mut out);
    }
    out
}

/// All rules, in a stable order.
pub fn rules() -> &'static [RuleMeta] {
    static METAS: std::sync::LazyLock<Vec<RuleMeta>> =
        std::sync::LazyLock::new(|| rules::ALL.iter().map(|rule| rule.meta).collect());
    &METAS
}
