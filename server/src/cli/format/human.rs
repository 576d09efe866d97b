//! Human output: rustc-style snippets rendered by `annotate-snippets`, which also neutralises
//! control characters in messages and source lines so a hostile file cannot drive the terminal.

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{FileReport, visible_offset};
use crate::ide::diagnostics::{Diagnostic, Severity};
use crate::line_column::{LineIndex, floor_char_boundary};
use crate::syntax::Span;

pub fn render(reports: &[FileReport], renderer: &Renderer) -> String {
    let mut out = String::new();
    for report in reports {
        let index = LineIndex::new(&report.text);
        for diagnostic in &report.diagnostics {
            out.push_str(&renderer.render(&[group(report, &index, diagnostic)]));
            out.push_str("\n\n");
        }
    }
    out
}

/// One diagnostic as a snippet of just the lines it touches: handing the renderer the whole file
/// for every diagnostic would make a long file with many findings quadratic.
fn group<'a>(
    report: &'a FileReport,
    index: &LineIndex<'_>,
    diagnostic: &'a Diagnostic,
) -> Group<'a> {
    let text = report.text.as_str();
    let primary = byte_range(text, diagnostic.span);
    let related: Vec<_> = diagnostic
        .related
        .iter()
        .map(|related| (byte_range(text, related.span), related.message.as_str()))
        .collect();
    let ranges = || std::iter::once(&primary).chain(related.iter().map(|(range, _)| range));
    let first_line = index.line_of(ranges().map(|range| range.start).min().unwrap_or(0));
    let last_line = index.line_of(ranges().map(|range| range.end).max().unwrap_or(0));
    let excerpt_start = index.line_start(first_line);
    let excerpt = text
        .get(excerpt_start..index.line_start(last_line + 1))
        .unwrap_or_default();
    // Every range starts at or after the first line's start, so nothing saturates in practice.
    let shift = |range: &Range<usize>| {
        range.start.saturating_sub(excerpt_start)..range.end.saturating_sub(excerpt_start)
    };
    let snippet = related.iter().fold(
        Snippet::source(excerpt)
            .path(report.path.as_str())
            .line_start(first_line)
            .fold(true)
            .annotation(AnnotationKind::Primary.span(shift(&primary))),
        |snippet, (range, message)| {
            snippet.annotation(AnnotationKind::Context.span(shift(range)).label(*message))
        },
    );
    let title = level(diagnostic.severity)
        .primary_title(diagnostic.message.as_str())
        .id(diagnostic.code);
    diagnostic
        .fixes
        .iter()
        .fold(Group::with_title(title).element(snippet), |group, fix| {
            group.element(Level::HELP.message(format!("fix available: {}", fix.title)))
        })
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint => Level::NOTE.with_name("hint"),
    }
}

/// The renderer wants a range on character boundaries inside the text; a damaged span is clamped,
/// and the end of the file is the end of its last line, as in the other formats.
fn byte_range(text: &str, span: Span) -> Range<usize> {
    let clamp = |offset: usize| floor_char_boundary(text, visible_offset(text, offset));
    let start = clamp(span.start);
    start..clamp(span.end).max(start)
}

#[cfg(test)]
mod tests {
    use annotate_snippets::Renderer;
    use expect_test::expect;

    use super::super::FileReport;
    use super::super::test_support::sample_reports;
    use super::render;
    use crate::ide::diagnostics::{Diagnostic, Severity};
    use crate::syntax::Span;

    #[test]
    fn human_report() {
        expect![[r#"
            warning[StageNameCasing]: Stage name 'Builder' should be lowercase
             --> app/Dockerfile:1:17
              |
            1 | FROM node:22 AS Builder
              |                 ^^^^^^^
              |
              = help: fix available: Rename to `builder`

            info[NpmInstallInsteadOfCi]: Use `npm ci` for reproducible installs
             --> app/Dockerfile:2:5
              |
            2 | RUN npm install
              |     ^^^^^^^^^^^

            hint[UnusedStage]: label after non-ASCII
             --> app/Dockerfile:4:11
              |
            3 | FROM builder
              | ------------ the final stage
            4 | LABEL é=1 x=2
              |           ^^^

            error[SyntaxError]: 50% done,␍
                                next: ::error::pwned "quoted" \ ␛[31mred
             --> odd dir/a,b:c%.Dockerfile:2:10
              |
            2 | RUN echo 100%
              |          ^^^^

        "#]]
        .assert_eq(&render(&sample_reports(), &Renderer::plain()));
    }

    #[test]
    fn spans_past_the_end_or_inside_a_character_do_not_panic() {
        let report = FileReport {
            path: "Dockerfile".to_owned(),
            text: "FROM é\n".to_owned(),
            diagnostics: vec![
                Diagnostic::new("A", Severity::Error, Span::new(6, 99), "inside é"),
                Diagnostic::new("B", Severity::Error, Span::new(8, 8), "at the end"),
                Diagnostic::new("C", Severity::Error, Span::new(5, 2), "reversed"),
            ],
        };
        expect![[r#"
            error[A]: inside é
             --> Dockerfile:1:6
              |
            1 | FROM é
              |      ^

            error[B]: at the end
             --> Dockerfile:1:7
              |
            1 | FROM é
              |       ^

            error[C]: reversed
             --> Dockerfile:1:6
              |
            1 | FROM é
              |      ^

        "#]]
        .assert_eq(&render(&[report], &Renderer::plain()));
    }
}
