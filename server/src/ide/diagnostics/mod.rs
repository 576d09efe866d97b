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
    /// hadolint codes this rule stands for (e.g. `["DL3006"]`): `# hadolint ignore=DL3006` and
    /// `# hadolint global ignore=DL3006` suppress it. Empty when hadolint has no equivalent.
    pub hadolint: &'static [&'static str],
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
    /// The parser's errors; the syntax-error rules give each its code.
    pub syntax_errors: &'a [crate::syntax::SyntaxError],
    /// Each instruction's shell commands (empty unless it is a RUN), split once per lint: a dozen
    /// rules read them and splitting is the costliest step of a lint.
    run_commands: std::sync::OnceLock<Vec<Vec<crate::ide::shell::Command>>>,
}

impl<'a> RuleContext<'a> {
    pub fn new(
        tree: &'a crate::syntax::SyntaxTree,
        model: &'a crate::model::Model,
        lint: &'a LintContext<'a>,
        syntax_errors: &'a [crate::syntax::SyntaxError],
    ) -> RuleContext<'a> {
        RuleContext {
            tree,
            model,
            lint,
            syntax_errors,
            run_commands: std::sync::OnceLock::new(),
        }
    }

    /// The commands instruction `index` runs (see `shell::run_commands`).
    pub fn run_commands(&self, index: usize) -> &[crate::ide::shell::Command] {
        let all = self.run_commands.get_or_init(|| {
            self.tree
                .instructions
                .iter()
                .map(|instruction| crate::ide::shell::run_commands(self.tree, instruction))
                .collect()
        });
        all.get(index).map_or(&[], Vec::as_slice)
    }
}

/// A rule: its static facts and its check. Each rule file exports one `pub const RULE`.
#[derive(Clone, Copy)]
pub struct RuleDef {
    pub meta: RuleMeta,
    pub check: fn(&RuleContext<'_>, &mut Vec<Diagnostic>),
}

/// Declares a rule file's `RULE`. The `///` block above it is the rule's documentation in the
/// fixed template (What it does / Why is this bad? / Example / Use instead / References); it is
/// both the rustdoc of `RULE` and `RuleMeta::doc`, so there is one source of truth.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        name: $name:literal,
        severity: $severity:ident,
        enabled_by_default: $enabled:literal,
        summary: $summary:literal,
        hadolint: [$($code:literal),* $(,)?],
        check: $check:path $(,)?
    ) => {
        /// The rule's name, its diagnostics' code.
        pub(crate) const NAME: &str = $name;

        $(#[doc = $doc])+
        pub(crate) const RULE: $crate::ide::diagnostics::RuleDef = $crate::ide::diagnostics::RuleDef {
            meta: $crate::ide::diagnostics::RuleMeta {
                name: $name,
                default_severity: $crate::ide::diagnostics::Severity::$severity,
                enabled_by_default: $enabled,
                summary: $summary,
                doc: concat!($($doc, "\n"),+),
                hadolint: &[$($code),*],
            },
            check: $check,
        };
    };
}

pub(crate) mod dockerignore;
mod fixes;
mod rules;
mod suppress;
#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;

use crate::config::RuleLevel;

/// Every diagnostic for a parsed document: each enabled rule's findings at its configured
/// severity, minus what `# check=skip=…` and hadolint pragmas suppress, sorted by position.
pub fn diagnostics(
    parse: &crate::syntax::Parse,
    model: &crate::model::Model,
    context: &LintContext<'_>,
) -> Vec<Diagnostic> {
    let rule_context = RuleContext::new(&parse.tree, model, context, &parse.errors);
    let suppressions = suppress::Suppressions::collect(&parse.tree);
    let mut out = Vec::new();
    let mut found = Vec::new();
    for rule in rules::ALL.iter() {
        let Some(severity) = effective_severity(&rule.meta, context.config, &suppressions) else {
            continue;
        };
        let buildkit = rules::is_buildkit(rule.meta.name);
        let hard_error = buildkit && rule.meta.default_severity == Severity::Error;
        found.clear();
        (rule.check)(&rule_context, &mut found);
        for mut diagnostic in found.drain(..) {
            if !hard_error && suppressions.suppresses(&rule.meta, diagnostic.span) {
                continue;
            }
            diagnostic.severity = severity;
            if buildkit && suppressions.checks_are_errors() && severity == Severity::Warning {
                diagnostic.severity = Severity::Error;
            }
            if !hard_error {
                diagnostic.fixes.extend(fixes::ignore_fixes(
                    &parse.tree,
                    &suppressions,
                    &diagnostic,
                ));
            }
            out.push(diagnostic);
        }
    }
    out.extend(
        parse
            .errors
            .iter()
            .filter(|error| !rules::syntax_error_has_rule(&error.message))
            .map(|error| {
                Diagnostic::new(
                    "SyntaxError",
                    Severity::Error,
                    error.span,
                    error.message.clone(),
                )
            }),
    );
    out.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            b.code,
            &b.message,
        ))
    });
    out.dedup_by(|later, earlier| {
        later.span == earlier.span && later.code == earlier.code && later.message == earlier.message
    });
    out
}

/// The severity a rule runs at, or `None` when it is off: the configuration wins, then
/// `# check=experimental=…` (which turns on off-by-default rules even under `skip=all`), then
/// the rule's default.
fn effective_severity(
    meta: &RuleMeta,
    config: &crate::config::Config,
    suppressions: &suppress::Suppressions,
) -> Option<Severity> {
    let default = if rules::is_buildkit(meta.name) && suppressions.enables_experimental(meta.name) {
        RuleLevel::On(meta.default_severity)
    } else {
        RuleLevel::default_for(meta)
    };
    match config.effective_level(meta.name, default) {
        RuleLevel::Off => None,
        RuleLevel::On(severity) => Some(severity),
    }
}

/// All rules, in a stable order.
pub fn rules() -> &'static [RuleMeta] {
    static METAS: std::sync::LazyLock<Vec<RuleMeta>> = std::sync::LazyLock::new(|| {
        rules::ALL
            .iter()
            .map(|rule| RuleMeta {
                doc: unindent_doc(rule.meta.doc),
                ..rule.meta
            })
            .collect()
    });
    &METAS
}

/// `///` comments give each line of a rule's doc a leading blank; the Markdown shown to users
/// goes without it. Computed once per rule for the static table above.
fn unindent_doc(doc: &'static str) -> &'static str {
    if !doc
        .lines()
        .all(|line| line.is_empty() || line.starts_with(' '))
    {
        return doc;
    }
    let text: String = doc
        .lines()
        .map(|line| format!("{}\n", line.strip_prefix(' ').unwrap_or(line)))
        .collect();
    Box::leak(text.into_boxed_str())
}

/// The rule named `name` (exact PascalCase), for `--explain` and hover.
pub fn rule(name: &str) -> Option<&'static RuleMeta> {
    rules().iter().find(|meta| meta.name == name)
}
