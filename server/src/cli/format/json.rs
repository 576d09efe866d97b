//! `--format json`: a JSON array with one object per diagnostic. The schema is stable; fields are
//! only ever added:
//!
//! `{ "file", "line", "column", "end": { "line", "column" }, "code", "severity", "message", "fixes": [title…] }`
//!
//! Lines and columns are 1-based, columns count Unicode characters, and `end` is exclusive.

use serde::Serialize;

use super::{FileReport, Region};
use crate::line_column::LineIndex;

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end: JsonPosition,
    code: &'a str,
    severity: &'static str,
    message: &'a str,
    fixes: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
}

pub fn render(reports: &[FileReport]) -> String {
    let diagnostics: Vec<JsonDiagnostic<'_>> = reports
        .iter()
        .flat_map(|report| {
            let index = LineIndex::new(&report.text);
            report.diagnostics.iter().map(move |diagnostic| {
                let region = Region::of(&index, &report.text, diagnostic.span);
                JsonDiagnostic {
                    file: &report.path,
                    line: region.start.line,
                    column: region.start.column,
                    end: JsonPosition {
                        line: region.end.line,
                        column: region.end.column,
                    },
                    code: diagnostic.code,
                    severity: diagnostic.severity.name(),
                    message: &diagnostic.message,
                    fixes: diagnostic
                        .fixes
                        .iter()
                        .map(|fix| fix.title.as_str())
                        .collect(),
                }
            })
        })
        .collect();
    // Serialising plain strings and numbers cannot fail; an empty array is still valid output.
    let mut out = serde_json::to_string_pretty(&diagnostics).unwrap_or_else(|_| "[]".to_owned());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::super::test_support::sample_reports;
    use super::render;

    #[test]
    fn json_report() {
        let out = render(&sample_reports());
        let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            parsed[3]["message"],
            "50% done,\r\nnext: ::error::pwned \"quoted\" \\ \u{1b}[31mred"
        );
        expect![[r#"
            [
              {
                "file": "app/Dockerfile",
                "line": 1,
                "column": 17,
                "end": {
                  "line": 1,
                  "column": 24
                },
                "code": "StageNameCasing",
                "severity": "warning",
                "message": "Stage name 'Builder' should be lowercase",
                "fixes": [
                  "Rename to `builder`"
                ]
              },
              {
                "file": "app/Dockerfile",
                "line": 2,
                "column": 5,
                "end": {
                  "line": 2,
                  "column": 16
                },
                "code": "NpmInstallInsteadOfCi",
                "severity": "info",
                "message": "Use `npm ci` for reproducible installs",
                "fixes": []
              },
              {
                "file": "app/Dockerfile",
                "line": 4,
                "column": 11,
                "end": {
                  "line": 4,
                  "column": 14
                },
                "code": "UnusedStage",
                "severity": "hint",
                "message": "label after non-ASCII",
                "fixes": []
              },
              {
                "file": "odd dir/a,b:c%.Dockerfile",
                "line": 2,
                "column": 10,
                "end": {
                  "line": 2,
                  "column": 14
                },
                "code": "SyntaxError",
                "severity": "error",
                "message": "50% done,\r\nnext: ::error::pwned \"quoted\" \\ \u001b[31mred",
                "fixes": []
              }
            ]
        "#]]
        .assert_eq(&out);
    }
}
