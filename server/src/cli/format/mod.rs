//! The report formats of `stagesmith check`. Each is a pure function from the checked files to
//! text, so every format is tested on hand-built diagnostics as well as end to end.

mod github;
mod human;
mod json;
mod sarif;

use clap::ValueEnum;

use crate::ide::diagnostics::{self, Diagnostic, Severity};
use crate::line_column::{LineColumn, LineIndex};
use crate::syntax::Span;

pub use human::render as render_human;

/// One linted file: its text is kept to turn byte spans into lines, columns and snippets.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// rustc-style snippets, coloured on a terminal.
    Human,
    /// A JSON array, one object per diagnostic.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands, shown as annotations on the pull request.
    Github,
}

/// The machine formats; human output needs a renderer and goes through [`render_human`].
pub fn render_machine(format: OutputFormat, reports: &[FileReport]) -> Option<String> {
    match format {
        OutputFormat::Human => None,
        OutputFormat::Json => Some(json::render(reports)),
        OutputFormat::Sarif => Some(sarif::render(reports, diagnostics::rules())),
        OutputFormat::Github => Some(github::render(reports)),
    }
}

/// Start and (exclusive) end of a span, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Region {
    start: LineColumn,
    end: LineColumn,
}

impl Region {
    fn of(index: &LineIndex<'_>, text: &str, span: Span) -> Region {
        let position = |offset: usize| index.position(visible_offset(text, offset));
        Region {
            start: position(span.start),
            end: position(span.end.max(span.start)),
        }
    }
}

/// The end of a file that ends with a newline is shown as the end of its last line: the line after
/// it does not exist for viewers (code scanning, annotations, snippets) that check line numbers.
fn visible_offset(text: &str, offset: usize) -> usize {
    if offset >= text.len() && text.ends_with('\n') {
        text.len() - 1
    } else {
        offset
    }
}

/// "2 errors, 1 warning in 3 files" or "no problems in 3 files".
pub fn summary(reports: &[FileReport]) -> String {
    let count_of = |severity: Severity| {
        reports
            .iter()
            .flat_map(|report| &report.diagnostics)
            .filter(|diagnostic| diagnostic.severity == severity)
            .count()
    };
    let counts: Vec<String> = [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "info", "infos"),
        (Severity::Hint, "hint", "hints"),
    ]
    .into_iter()
    .filter_map(|(severity, one, many)| match count_of(severity) {
        0 => None,
        count => Some(plural(count, one, many)),
    })
    .collect();
    let files = plural(reports.len(), "file", "files");
    if counts.is_empty() {
        format!("no problems in {files}")
    } else {
        format!("{} in {files}", counts.join(", "))
    }
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod test_support {
    use super::FileReport;
    use crate::ide::diagnostics::{Diagnostic, Fix, Related, Severity};
    use crate::ide::{SourceChange, TextEdit};
    use crate::syntax::Span;

    fn span_of(text: &str, needle: &str) -> Span {
        let start = text.find(needle).unwrap();
        Span::new(start, start + needle.len())
    }

    /// Two files with one diagnostic of each severity, a related location, a fix, non-ASCII text
    /// before a span, and a message and path that try to break out of every format.
    pub fn sample_reports() -> Vec<FileReport> {
        let text = "FROM node:22 AS Builder\nRUN npm install\nFROM builder\nLABEL é=1 x=2\n";
        let mut casing = Diagnostic::new(
            "StageNameCasing",
            Severity::Warning,
            span_of(text, "Builder"),
            "Stage name 'Builder' should be lowercase",
        );
        casing.fixes.push(Fix {
            title: "Rename to `builder`".to_owned(),
            change: SourceChange::from_edits(vec![TextEdit::replace(
                span_of(text, "Builder"),
                "builder",
            )]),
            preferred: true,
        });
        let mut unused = Diagnostic::new(
            "UnusedStage",
            Severity::Hint,
            span_of(text, "x=2"),
            "label after non-ASCII",
        );
        unused.related.push(Related {
            span: span_of(text, "FROM builder"),
            message: "the final stage".to_owned(),
        });
        let install = Diagnostic::new(
            "NpmInstallInsteadOfCi",
            Severity::Info,
            span_of(text, "npm install"),
            "Use `npm ci` for reproducible installs",
        );
        let hostile_text = "FROM alpine\nRUN echo 100%\n";
        let hostile = Diagnostic::new(
            "SyntaxError",
            Severity::Error,
            span_of(hostile_text, "100%"),
            "50% done,\r\nnext: ::error::pwned \"quoted\" \\ \u{1b}[31mred",
        );
        vec![
            FileReport {
                path: "app/Dockerfile".to_owned(),
                text: text.to_owned(),
                diagnostics: vec![casing, install, unused],
            },
            FileReport {
                path: "odd dir/a,b:c%.Dockerfile".to_owned(),
                text: hostile_text.to_owned(),
                diagnostics: vec![hostile],
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::sample_reports;
    use super::{FileReport, Region, summary};
    use crate::line_column::LineIndex;
    use crate::syntax::Span;

    #[test]
    fn regions_at_the_end_of_the_file_stay_on_its_last_line() {
        let region = |text: &str, start: usize, end: usize| {
            let region = Region::of(&LineIndex::new(text), text, Span::new(start, end));
            format!("{}-{}", region.start, region.end)
        };
        assert_eq!(region("FROM a\n", 7, 7), "1:7-1:7");
        assert_eq!(region("FROM a\n", 0, 7), "1:1-1:7");
        assert_eq!(region("FROM a\n\n", 8, 8), "2:1-2:1");
        assert_eq!(region("FROM a", 6, 6), "1:7-1:7");
        assert_eq!(region("", 0, 0), "1:1-1:1");
        assert_eq!(region("FROM a\nRUN b\n", 7, 99), "2:1-2:6");
    }

    #[test]
    fn summary_counts_each_severity() {
        assert_eq!(
            summary(&sample_reports()),
            "1 error, 1 warning, 1 info, 1 hint in 2 files"
        );
        let clean = FileReport {
            path: "Dockerfile".to_owned(),
            text: String::new(),
            diagnostics: Vec::new(),
        };
        assert_eq!(summary(&[clean]), "no problems in 1 file");
        assert_eq!(summary(&[]), "no problems in 0 files");
    }
}
