//! Assists: code actions that rewrite the Dockerfile on request (refactorings and quick fixes not
//! tied to a diagnostic). One file per assist; each handler looks at an [`AssistContext`] and
//! pushes zero or more [`Assist`]s, bailing out early with `None` when it does not apply.

mod add_chown;
mod add_non_root_user;
mod convert_command_form;
mod create_dockerignore;
mod extract_runner_stage;
mod facts;
mod name_stage;
mod use_stage_name;

use crate::config::Config;
use crate::ide::SourceChange;
use crate::model::Model;
use crate::syntax::{Span, SyntaxTree};

pub use add_non_root_user::add_non_root_user_fix;
pub use create_dockerignore::dockerignore_fix;
pub use extract_runner_stage::extract_runner_stage_fix;

/// What a client files an assist under (LSP `CodeActionKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssistKind {
    QuickFix,
    Refactor,
    RefactorExtract,
    RefactorRewrite,
}

impl AssistKind {
    /// The LSP code action kind string.
    pub fn lsp_kind(self) -> &'static str {
        match self {
            AssistKind::QuickFix => "quickfix",
            AssistKind::Refactor => "refactor",
            AssistKind::RefactorExtract => "refactor.extract",
            AssistKind::RefactorRewrite => "refactor.rewrite",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assist {
    /// Stable identifier, e.g. `extract_runner_stage`.
    pub id: &'static str,
    pub label: String,
    pub kind: AssistKind,
    pub change: SourceChange,
}

/// What an assist may look at: the document, the cursor or selection, the settings.
#[derive(Debug, Clone, Copy)]
pub struct AssistContext<'a> {
    pub tree: &'a SyntaxTree,
    pub model: &'a Model,
    /// The selection; empty at the cursor when nothing is selected.
    pub range: Span,
    pub config: &'a Config,
    /// The `.dockerignore` next to the Dockerfile; `None` when there is none.
    pub dockerignore: Option<&'a str>,
}

impl AssistContext<'_> {
    pub fn offset(&self) -> usize {
        self.range.start
    }

    pub fn text(&self) -> &str {
        self.tree.text()
    }
}

type Handler = fn(&AssistContext<'_>, &mut Vec<Assist>) -> Option<()>;

/// Every assist, in the order a client should list them.
const HANDLERS: [Handler; 7] = [
    extract_runner_stage::extract_runner_stage,
    add_non_root_user::add_non_root_user,
    add_chown::add_chown,
    name_stage::name_stage,
    use_stage_name::use_stage_name,
    convert_command_form::convert_command_form,
    create_dockerignore::create_dockerignore,
];

/// The assists that apply at the context's cursor or selection.
pub fn assists(ctx: &AssistContext<'_>) -> Vec<Assist> {
    let mut out = Vec::new();
    for handler in HANDLERS {
        handler(ctx, &mut out);
    }
    out
}

#[cfg(test)]
mod corpus_tests;

#[cfg(test)]
pub(crate) mod test_support {
    use expect_test::Expect;

    use super::{Assist, AssistContext, Handler};
    use crate::config::Config;
    use crate::ide::diagnostics::{LintContext, Severity, diagnostics};
    use crate::model::Model;
    use crate::syntax::{Span, parse};

    /// `$0` marks the cursor; two `$0` mark a selection.
    fn fixture_range(fixture: &str) -> (String, Span) {
        let first = fixture.find("$0").unwrap_or(0);
        let text = fixture.replacen("$0", "", 1);
        match text.find("$0") {
            Some(second) => (text.replacen("$0", "", 1), Span::new(first, second)),
            None => (text, Span::empty(first)),
        }
    }

    pub(crate) fn run(handler: Handler, fixture: &str, config: &Config) -> (String, Vec<Assist>) {
        let (text, range) = fixture_range(fixture);
        let tree = parse(&text).tree;
        let model = Model::build(&tree);
        let ctx = AssistContext {
            tree: &tree,
            model: &model,
            range,
            config,
            dockerignore: None,
        };
        let mut out = Vec::new();
        handler(&ctx, &mut out);
        (text, out)
    }

    /// Warnings and errors of `text` (syntax errors included), as `code: message` lines.
    pub(crate) fn problems(text: &str) -> Vec<String> {
        let config = Config::default();
        let context = LintContext {
            config: &config,
            dockerignore: Some(""),
        };
        let parse = parse(text);
        diagnostics(&parse, &crate::model::Model::build(&parse.tree), &context)
            .into_iter()
            .filter(|d| d.severity >= Severity::Warning)
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect()
    }

    /// Applies the first assist `handler` offers and compares the result (label, kind, text,
    /// new files) with `expect`. The result, re-parsed and re-linted, must raise no warning or
    /// error whose rule the input did not already raise.
    pub(crate) fn check(handler: Handler, fixture: &str, expect: Expect) {
        check_inner(handler, fixture, &Config::default(), &[], expect);
    }

    pub(crate) fn check_with(handler: Handler, fixture: &str, config: &Config, expect: Expect) {
        check_inner(handler, fixture, config, &[], expect);
    }

    /// Like [`check`], for assists that knowingly trade one rule for another (e.g. shell form
    /// draws JSONArgsRecommended).
    pub(crate) fn check_allowing(
        handler: Handler,
        fixture: &str,
        allowed: &[&str],
        expect: Expect,
    ) {
        check_inner(handler, fixture, &Config::default(), allowed, expect);
    }

    fn check_inner(
        handler: Handler,
        fixture: &str,
        config: &Config,
        allowed: &[&str],
        expect: Expect,
    ) {
        let (text, assists) = run(handler, fixture, config);
        let Some(assist) = assists.first() else {
            panic!("assist not applicable to:\n{text}");
        };
        let result = assist.change.apply(&text);
        let code = |problem: &String| problem.split(':').next().unwrap_or_default().to_string();
        let before: Vec<String> = problems(&text).iter().map(code).collect();
        let new_problems: Vec<String> = problems(&result)
            .into_iter()
            .filter(|p| !before.contains(&code(p)) && !allowed.contains(&code(p).as_str()))
            .collect();
        assert!(
            new_problems.is_empty(),
            "the result has new problems {new_problems:?}:\n{result}"
        );
        let mut out = format!("{} ({})\n{result}", assist.label, assist.kind.lsp_kind());
        for file in &assist.change.new_files {
            out.push_str(&format!(
                "\n--- new file {}\n{}",
                file.relative_path, file.content
            ));
        }
        expect.assert_eq(&out);
    }

    pub(crate) fn check_not_applicable(handler: Handler, fixture: &str) {
        let (text, assists) = run(handler, fixture, &Config::default());
        assert!(
            assists.is_empty(),
            "expected no assist for:\n{text}\ngot {:?}",
            assists.iter().map(|a| &a.label).collect::<Vec<_>>()
        );
    }
}
