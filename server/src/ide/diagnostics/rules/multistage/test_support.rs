//! Test helpers for single rules: run one rule over a fixture, render its diagnostics as a
//! snapshot, apply a fix and check that the result reparses and the diagnostic is gone.

use expect_test::Expect;

use crate::config::Config;
use crate::ide::diagnostics::test_support::dockerignore_after;
use crate::ide::diagnostics::{Diagnostic, LintContext, RuleContext, RuleDef};
use crate::syntax::{self, Span};

/// The `.dockerignore` most fixtures run with: present, ignoring the usual heavy folders.
pub(in crate::ide::diagnostics::rules) const TYPICAL_DOCKERIGNORE: &str =
    ".git\nnode_modules\ntarget\n__pycache__\n.venv\n";

pub(in crate::ide::diagnostics::rules) fn run_rule(
    rule: &RuleDef,
    text: &str,
    config: &Config,
    dockerignore: Option<&str>,
) -> Vec<Diagnostic> {
    let parse = syntax::parse(text);
    let model = crate::model::Model::build(&parse.tree);
    let lint = LintContext {
        config,
        dockerignore,
    };
    let context = RuleContext::new(&parse.tree, &model, &lint, &parse.errors);
    let mut out = Vec::new();
    rule.run(&context, &mut out);
    out
}

fn position(text: &str, offset: usize) -> String {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |newline| newline + 1) + 1;
    format!("{line}:{column}")
}

fn range(text: &str, span: Span) -> String {
    format!(
        "{}-{} `{}`",
        position(text, span.start),
        position(text, span.end),
        text.get(span.start..span.end).unwrap_or("?")
    )
}

pub(in crate::ide::diagnostics::rules) fn render(text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&format!(
            "{} {} {}: {}\n",
            diagnostic.severity.name(),
            diagnostic.code,
            range(text, diagnostic.span),
            diagnostic.message
        ));
        for related in &diagnostic.related {
            out.push_str(&format!(
                "  related {}: {}\n",
                range(text, related.span),
                related.message
            ));
        }
        if !diagnostic.tags.is_empty() {
            out.push_str(&format!("  tags {:?}\n", diagnostic.tags));
        }
        for fix in &diagnostic.fixes {
            let preferred = if fix.preferred { " (preferred)" } else { "" };
            out.push_str(&format!("  fix: {}{preferred}\n", fix.title));
        }
    }
    out
}

/// Snapshot of the rule's diagnostics on `text`, with the typical `.dockerignore`.
pub(in crate::ide::diagnostics::rules) fn check(rule: &RuleDef, text: &str, expect: Expect) {
    check_with(
        rule,
        text,
        &Config::default(),
        Some(TYPICAL_DOCKERIGNORE),
        expect,
    );
}

pub(in crate::ide::diagnostics::rules) fn check_with(
    rule: &RuleDef,
    text: &str,
    config: &Config,
    dockerignore: Option<&str>,
    expect: Expect,
) {
    let diagnostics = run_rule(rule, text, config, dockerignore);
    expect.assert_eq(&render(text, &diagnostics));
}

/// The rule stays silent on `text`.
pub(in crate::ide::diagnostics::rules) fn check_no(rule: &RuleDef, text: &str) {
    let diagnostics = run_rule(rule, text, &Config::default(), Some(TYPICAL_DOCKERIGNORE));
    assert!(
        diagnostics.is_empty(),
        "{} fired on\n{text}\n{}",
        rule.meta.name,
        render(text, &diagnostics)
    );
}

/// Applies the first fix of the first diagnostic, snapshots the result, and checks that it still
/// parses without errors and that the rule reports fewer problems.
pub(in crate::ide::diagnostics::rules) fn check_fix(rule: &RuleDef, text: &str, expect: Expect) {
    check_fix_with(
        rule,
        text,
        &Config::default(),
        Some(TYPICAL_DOCKERIGNORE),
        expect,
    );
}

pub(in crate::ide::diagnostics::rules) fn check_fix_with(
    rule: &RuleDef,
    text: &str,
    config: &Config,
    dockerignore: Option<&str>,
    expect: Expect,
) {
    let before = run_rule(rule, text, config, dockerignore);
    let fix = before
        .first()
        .and_then(|diagnostic| diagnostic.fixes.first())
        .unwrap_or_else(|| panic!("no fix offered on\n{text}"));
    let fixed = fix.change.apply(text);
    let parse = syntax::parse(&fixed);
    assert!(
        parse.errors.is_empty(),
        "the fix broke the file:\n{fixed}\n{:?}",
        parse.errors
    );
    let dockerignore_after = dockerignore_after(fix, dockerignore);
    let after = run_rule(rule, &fixed, config, dockerignore_after.as_deref());
    assert!(
        after.len() < before.len(),
        "the diagnostic survived the fix:\n{fixed}\n{}",
        render(&fixed, &after)
    );
    let mut shown = fixed;
    if dockerignore_after.as_deref() != dockerignore {
        shown.push_str("--- .dockerignore\n");
        shown.push_str(dockerignore_after.as_deref().unwrap_or_default());
    }
    expect.assert_eq(&shown);
}
