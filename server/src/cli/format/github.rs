//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations
//! on the changed lines of a pull request:
//!
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=Code::message`
//!
//! Escaping follows `@actions/core`: `%`, `\r` and `\n` everywhere, and also `:` and `,` inside
//! properties, so a hostile message or file name cannot end the command early or start another.
//! Other control characters become U+FFFD so a message cannot recolour or rewrite the job log.

use std::fmt::Write;

use super::{FileReport, Region};
use crate::ide::diagnostics::Severity;
use crate::line_column::LineIndex;

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let index = LineIndex::new(&report.text);
        for diagnostic in &report.diagnostics {
            let region = Region::of(&index, &report.text, diagnostic.span);
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            let _ = writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&report.path),
                region.start.line,
                region.start.column,
                region.end.line,
                region.end.column,
                escape_property(diagnostic.code),
                escape_data(&diagnostic.message),
            );
        }
    }
    out
}

fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            '\t' => out.push('\t'),
            control if control.is_control() => out.push(char::REPLACEMENT_CHARACTER),
            other => out.push(other),
        }
    }
    out
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::super::test_support::sample_reports;
    use super::render;

    #[test]
    fn github_annotations_escape_hostile_text() {
        expect![[r#"
            ::warning file=app/Dockerfile,line=1,col=17,endLine=1,endColumn=24,title=StageNameCasing::Stage name 'Builder' should be lowercase
            ::notice file=app/Dockerfile,line=2,col=5,endLine=2,endColumn=16,title=NpmInstallInsteadOfCi::Use `npm ci` for reproducible installs
            ::notice file=app/Dockerfile,line=4,col=11,endLine=4,endColumn=14,title=UnusedStage::label after non-ASCII
            ::error file=odd dir/a%2Cb%3Ac%25.Dockerfile,line=2,col=10,endLine=2,endColumn=14,title=SyntaxError::50%25 done,%0D%0Anext: ::error::pwned "quoted" \ �[31mred
        "#]]
        .assert_eq(&render(&sample_reports()));
    }

    #[test]
    fn every_annotation_is_exactly_one_line() {
        let out = render(&sample_reports());
        assert_eq!(out.lines().count(), 4);
        assert!(out.lines().all(|line| line.starts_with("::")));
    }
}
