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
    /// Each instruction's shell commands (empty unless it is a RUN), split on first use and
    /// once per lint: a dozen rules read them, splitting is the costliest step of a lint, and an
    /// incremental lint needs only the instructions an edit rebuilt.
    run_commands: Vec<std::sync::OnceLock<Vec<crate::ide::shell::Command>>>,
    /// `lint.dockerignore`, parsed on first use.
    dockerignore: std::sync::OnceLock<Option<dockerignore::Dockerignore>>,
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
            run_commands: std::iter::repeat_with(std::sync::OnceLock::new)
                .take(tree.instructions.len())
                .collect(),
            dockerignore: std::sync::OnceLock::new(),
        }
    }

    /// The commands instruction `index` runs (see `shell::run_commands`).
    pub fn run_commands(&self, index: usize) -> &[crate::ide::shell::Command] {
        let (Some(cell), Some(instruction)) = (
            self.run_commands.get(index),
            self.tree.instructions.get(index),
        ) else {
            return &[];
        };
        cell.get_or_init(|| crate::ide::shell::run_commands(self.tree, instruction))
    }

    /// The `.dockerignore` next to the Dockerfile, parsed.
    pub(crate) fn dockerignore(&self) -> Option<&dockerignore::Dockerignore> {
        self.dockerignore
            .get_or_init(|| {
                self.lint
                    .dockerignore
                    .map(dockerignore::Dockerignore::parse)
            })
            .as_ref()
    }
}

/// A check that reads the whole document.
pub type DocumentCheck = fn(&RuleContext<'_>, &mut Vec<Diagnostic>);

/// A check of instruction `index` of the tree (the instruction is passed along).
pub type InstructionCheck =
    fn(&RuleContext<'_>, usize, &crate::syntax::Instruction, &mut Vec<Diagnostic>);

/// What a rule reads, which decides what an incremental lint may reuse.
#[derive(Clone, Copy)]
pub enum Check {
    /// Reads the model, other instructions, comments or the file as a whole: runs on every lint.
    Document(DocumentCheck),
    /// Reads the model, `lint`, the escape character and, of the instructions, only: their kinds;
    /// FROM, ARG and ONBUILD instructions and the names ENVs set (a change to any of those
    /// rebuilds the model); the instructions `reads` selects. The model takes a changed ENV value
    /// over, so a rule that reads ENV values (in the tree, `VarDef::value`, expansions) selects
    /// ENVs. Its findings are kept across a change that carried the model over and rebuilt no
    /// instruction `reads` selects, before or after the change.
    Model {
        check: DocumentCheck,
        reads: fn(&crate::syntax::Instruction) -> bool,
    },
    /// Findings for an instruction that depend on nothing but that instruction (its node, the
    /// source inside its span, `run_commands` of it, the escape character, `lint`), every span
    /// inside the instruction's: kept across edits that leave the instruction alone. Called only
    /// on the instructions `on` selects.
    Instruction { check: InstructionCheck, on: Kinds },
    /// An instruction check whose findings count only where `applies` holds: a condition on the
    /// rest of the document ("the RUN is in a stage of the final image") that is decided on
    /// every lint, cheaply, while the findings themselves are kept like `Instruction`'s.
    InstructionWhere {
        check: InstructionCheck,
        applies: fn(&RuleContext<'_>, usize) -> bool,
    },
}

/// The instructions an instruction check is called on, and as what.
#[derive(Clone, Copy)]
pub enum Kinds {
    /// Every instruction, as written.
    Every,
    /// Instructions of these kinds as written; an ONBUILD trigger of such a kind is not one.
    Written(&'static [crate::syntax::InstructionKind]),
    /// Instructions of these kinds and ONBUILD triggers of these kinds, passed as the trigger.
    Effective(&'static [crate::syntax::InstructionKind]),
}

impl Kinds {
    /// What a check is called with for `instruction`; `None` when it is not called.
    pub fn select(
        self,
        instruction: &crate::syntax::Instruction,
    ) -> Option<&crate::syntax::Instruction> {
        match self {
            Kinds::Every => Some(instruction),
            Kinds::Written(kinds) => kinds.contains(&instruction.kind).then_some(instruction),
            Kinds::Effective(kinds) => {
                let effective = instruction.effective();
                kinds.contains(&effective.kind).then_some(effective)
            }
        }
    }
}

/// `reads` of a `Check::Model` rule that reads no instruction beyond the model's own.
pub(crate) fn no_other_instructions(_: &crate::syntax::Instruction) -> bool {
    false
}

/// A rule: its static facts and its check. Each rule file exports one `pub const RULE`.
#[derive(Clone, Copy)]
pub struct RuleDef {
    pub meta: RuleMeta,
    pub check: Check,
}

impl RuleDef {
    /// The rule's findings on the whole document, in document order for instruction checks.
    pub fn run(&self, context: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let (check, on, applies) = match self.check {
            Check::Document(check) | Check::Model { check, .. } => return check(context, out),
            Check::Instruction { check, on } => (check, on, None),
            Check::InstructionWhere { check, applies } => (check, Kinds::Every, Some(applies)),
        };
        for (index, instruction) in context.tree.instructions.iter().enumerate() {
            let Some(selected) = on.select(instruction) else {
                continue;
            };
            if applies.is_none_or(|applies| applies(context, index)) {
                check(context, index, selected, out);
            }
        }
    }
}

/// Declares a rule file's `RULE`. The `///` block above it is the rule's documentation in the
/// fixed template (What it does / Why is this bad? / Example / Use instead / References); it is
/// both the rustdoc of `RULE` and `RuleMeta::doc`, so there is one source of truth.
/// `check: document f`, `check: model f, reads: r`, or `check: instruction f` with optionally
/// `on: [kinds…]` (`Kinds::Effective`) or `as_written: [kinds…]` (`Kinds::Written`); see `Check`.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        name: $name:literal,
        severity: $severity:ident,
        enabled_by_default: $enabled:literal,
        summary: $summary:literal,
        hadolint: [$($code:literal),* $(,)?],
        check: $scope:ident $check:path $(, $key:ident: $value:expr)? $(,)?
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
            check: declare_rule!(@check $scope $check $(, $key $value)?),
        };
    };
    (@check document $check:path) => {
        $crate::ide::diagnostics::Check::Document($check)
    };
    (@check model $check:path, reads $reads:expr) => {
        $crate::ide::diagnostics::Check::Model {
            check: $check,
            reads: $reads,
        }
    };
    (@check instruction $check:path) => {
        $crate::ide::diagnostics::Check::Instruction {
            check: $check,
            on: $crate::ide::diagnostics::Kinds::Every,
        }
    };
    (@check instruction $check:path, on $kinds:expr) => {
        $crate::ide::diagnostics::Check::Instruction {
            check: $check,
            on: $crate::ide::diagnostics::Kinds::Effective(&$kinds),
        }
    };
    (@check instruction $check:path, as_written $kinds:expr) => {
        $crate::ide::diagnostics::Check::Instruction {
            check: $check,
            on: $crate::ide::diagnostics::Kinds::Written(&$kinds),
        }
    };
}

pub(crate) mod dockerignore;
mod engine;
mod fixes;
mod rules;
mod suppress;
#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;

pub use engine::{LintCache, Reuse, diagnostics, diagnostics_incremental};

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
