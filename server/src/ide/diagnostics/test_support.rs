//! Test helpers shared by every rule's tests: run the engine on a fixture, render what one rule
//! reports as a snapshot, and prove each fix resolves what it fixes.

use crate::config::Config;
use crate::syntax::{Span, parse};

use super::{Diagnostic, Fix, LintContext, diagnostics};

/// Every diagnostic for `text`, with the default configuration.
pub(crate) fn lint(text: &str, dockerignore: Option<&str>) -> Vec<Diagnostic> {
    lint_with(text, dockerignore, &Config::default())
}

pub(crate) fn lint_with(
    text: &str,
    dockerignore: Option<&str>,
    config: &Config,
) -> Vec<Diagnostic> {
    let context = LintContext {
        config,
        dockerignore,
    };
    let parse = parse(text);
    diagnostics(&parse, &crate::model::Model::build(&parse.tree), &context)
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

fn position(text: &str, span: Span) -> String {
    let (line, col) = line_col(text, span.start);
    format!(
        "{line}:{col} {:?}",
        text.get(span.start..span.end).unwrap_or("")
    )
}

/// One line per diagnostic: position, covered text, code, severity, message; then its related
/// places, tags and fix titles (ignore fixes left out: every rule has them).
pub(crate) fn render(text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&format!(
            "{} {} {}: {}\n",
            position(text, diagnostic.span),
            diagnostic.code,
            diagnostic.severity.name(),
            diagnostic.message
        ));
        for related in &diagnostic.related {
            out.push_str(&format!(
                "  related {}: {}\n",
                position(text, related.span),
                related.message
            ));
        }
        for tag in &diagnostic.tags {
            out.push_str(&format!("  tag {tag:?}\n"));
        }
        for fix in diagnostic
            .fixes
            .iter()
            .filter(|fix| !is_ignore_fix(&fix.title))
        {
            out.push_str(&format!("  fix {}\n", fix.title));
        }
    }
    out
}

fn is_ignore_fix(title: &str) -> bool {
    title.starts_with("Ignore ")
}

/// What `rule` reports on `text`, rendered; every fix it offers is applied and checked.
pub(crate) fn check_rule(rule: &str, text: &str, dockerignore: Option<&str>) -> String {
    let found: Vec<Diagnostic> = lint(text, dockerignore)
        .into_iter()
        .filter(|d| d.code == rule)
        .collect();
    assert_fixes_resolve(text, dockerignore, &found);
    render(text, &found)
}

/// Each fix yields text that parses no worse than before and no longer raises the diagnostic it
/// was offered with.
pub(crate) fn assert_fixes_resolve(text: &str, dockerignore: Option<&str>, found: &[Diagnostic]) {
    let errors_before = parse(text).errors.len();
    for diagnostic in found {
        let same = |d: &Diagnostic| d.code == diagnostic.code && d.message == diagnostic.message;
        let before = found.iter().filter(|d| same(d)).count();
        for fix in &diagnostic.fixes {
            let fixed = fix.change.apply(text);
            let errors_after = parse(&fixed).errors.len();
            assert!(
                errors_after <= errors_before,
                "fix {:?} broke the syntax:\n{fixed}",
                fix.title
            );
            let after = lint(&fixed, dockerignore_after(fix, dockerignore).as_deref())
                .iter()
                .filter(|d| same(d))
                .count();
            assert!(
                after < before,
                "fix {:?} did not resolve {}: {}\n{fixed}",
                fix.title,
                diagnostic.code,
                diagnostic.message
            );
        }
    }
}

/// The `.dockerignore` next to the Dockerfile after `fix`, given the one before (`None`: absent).
pub(crate) fn dockerignore_after(fix: &Fix, before: Option<&str>) -> Option<String> {
    let change = &fix.change;
    let mut content = before.map(str::to_string);
    for file in change
        .new_files
        .iter()
        .filter(|f| f.relative_path == ".dockerignore")
    {
        content = Some(file.content.clone());
    }
    for append in change
        .appends
        .iter()
        .filter(|a| a.relative_path == ".dockerignore")
    {
        content
            .get_or_insert_with(String::new)
            .push_str(&append.text);
    }
    content
}

/// The text after applying the fix titled `title` of the first diagnostic offering it.
pub(crate) fn apply_fix(text: &str, dockerignore: Option<&str>, title: &str) -> String {
    let diagnostics = lint(text, dockerignore);
    let fix = diagnostics
        .iter()
        .flat_map(|d| &d.fixes)
        .find(|fix| fix.title == title);
    match fix {
        Some(fix) => fix.change.apply(text),
        None => panic!("no fix titled {title:?} in {diagnostics:#?}"),
    }
}
