//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it. Every rule stagesmith has is
//! described under `tool.driver.rules` (with its documentation as help), every result points at
//! its rule by `ruleId` and `ruleIndex`, and regions are 1-based with columns in Unicode code points,
//! which the run declares through `columnKind`.

use serde_json::{Value, json};

use super::{FileReport, Region};
use crate::ide::diagnostics::{RuleMeta, Severity};
use crate::line_column::LineIndex;
use crate::syntax::Span;

pub fn render(reports: &[FileReport], rules: &[RuleMeta]) -> String {
    let mut descriptors: Vec<Value> = rules.iter().map(rule_descriptor).collect();
    let mut rule_ids: Vec<&str> = rules.iter().map(|rule| rule.name).collect();
    let mut results = Vec::new();
    for report in reports {
        let index = LineIndex::new(&report.text);
        for diagnostic in &report.diagnostics {
            // A code outside the rule list still needs a descriptor for `ruleIndex` to point at.
            let rule_index = match rule_ids.iter().position(|id| *id == diagnostic.code) {
                Some(index) => index,
                None => {
                    rule_ids.push(diagnostic.code);
                    descriptors.push(json!({
                        "id": diagnostic.code,
                        "name": diagnostic.code,
                        "shortDescription": { "text": diagnostic.code },
                    }));
                    rule_ids.len() - 1
                }
            };
            let related: Vec<Value> = diagnostic
                .related
                .iter()
                .enumerate()
                .map(|(id, related)| {
                    let mut location = physical_location(report, &index, related.span);
                    location["id"] = json!(id);
                    location["message"] = json!({ "text": related.message });
                    location
                })
                .collect();
            let mut result = json!({
                "ruleId": diagnostic.code,
                "ruleIndex": rule_index,
                "level": level(diagnostic.severity),
                "message": { "text": diagnostic.message },
                "locations": [physical_location(report, &index, diagnostic.span)],
            });
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            results.push(result);
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "stagesmith",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": descriptors,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    format!("{log:#}\n")
}

fn rule_descriptor(rule: &RuleMeta) -> Value {
    let summary = if rule.summary.is_empty() {
        rule.name
    } else {
        rule.summary
    };
    let mut descriptor = json!({
        "id": rule.name,
        "name": rule.name,
        "shortDescription": { "text": summary },
        "defaultConfiguration": {
            "enabled": rule.enabled_by_default,
            "level": level(rule.default_severity),
        },
    });
    if !rule.doc.is_empty() {
        descriptor["help"] = json!({ "text": rule.doc, "markdown": rule.doc });
    }
    descriptor
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn physical_location(report: &FileReport, index: &LineIndex<'_>, span: Span) -> Value {
    let region = Region::of(index, &report.text, span);
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": file_uri(&report.path) },
            "region": {
                "startLine": region.start.line,
                "startColumn": region.start.column,
                "endLine": region.end.line,
                "endColumn": region.end.column,
            },
        }
    })
}

/// A relative path stays a relative URI reference (code scanning resolves it against the
/// repository root); an absolute one becomes a `file://` URI. Everything but unreserved
/// characters and `/` is percent-encoded, so spaces, `#`, `?` and `%` in names survive.
fn file_uri(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::super::test_support::sample_reports;
    use super::{file_uri, render};
    use crate::ide::diagnostics::{RuleMeta, Severity};

    const RULES: &[RuleMeta] = &[
        RuleMeta {
            name: "StageNameCasing",
            default_severity: Severity::Warning,
            enabled_by_default: true,
            summary: "Stage names should be lowercase",
            doc: "## What it does\nChecks stage names.",
            hadolint: &[],
        },
        RuleMeta {
            name: "UnusedStage",
            default_severity: Severity::Hint,
            enabled_by_default: false,
            summary: "",
            doc: "",
            hadolint: &[],
        },
    ];

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(file_uri("app/Dockerfile"), "app/Dockerfile");
        assert_eq!(
            file_uri("odd dir/a,b:c%#?é.Dockerfile"),
            "odd%20dir/a%2Cb%3Ac%25%23%3F%C3%A9.Dockerfile"
        );
        assert_eq!(file_uri("/abs/Dockerfile"), "file:///abs/Dockerfile");
    }

    #[test]
    fn sarif_log() {
        let out = render(&sample_reports(), RULES);
        let mut log: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            log["runs"][0]["tool"]["driver"]["version"],
            env!("CARGO_PKG_VERSION")
        );
        log["runs"][0]["tool"]["driver"]["version"] = "VERSION".into();
        expect![[r###"
            {
              "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
              "runs": [
                {
                  "columnKind": "unicodeCodePoints",
                  "results": [
                    {
                      "level": "warning",
                      "locations": [
                        {
                          "physicalLocation": {
                            "artifactLocation": {
                              "uri": "app/Dockerfile"
                            },
                            "region": {
                              "endColumn": 24,
                              "endLine": 1,
                              "startColumn": 17,
                              "startLine": 1
                            }
                          }
                        }
                      ],
                      "message": {
                        "text": "Stage name 'Builder' should be lowercase"
                      },
                      "ruleId": "StageNameCasing",
                      "ruleIndex": 0
                    },
                    {
                      "level": "note",
                      "locations": [
                        {
                          "physicalLocation": {
                            "artifactLocation": {
                              "uri": "app/Dockerfile"
                            },
                            "region": {
                              "endColumn": 16,
                              "endLine": 2,
                              "startColumn": 5,
                              "startLine": 2
                            }
                          }
                        }
                      ],
                      "message": {
                        "text": "Use `npm ci` for reproducible installs"
                      },
                      "ruleId": "NpmInstallInsteadOfCi",
                      "ruleIndex": 2
                    },
                    {
                      "level": "note",
                      "locations": [
                        {
                          "physicalLocation": {
                            "artifactLocation": {
                              "uri": "app/Dockerfile"
                            },
                            "region": {
                              "endColumn": 14,
                              "endLine": 4,
                              "startColumn": 11,
                              "startLine": 4
                            }
                          }
                        }
                      ],
                      "message": {
                        "text": "label after non-ASCII"
                      },
                      "relatedLocations": [
                        {
                          "id": 0,
                          "message": {
                            "text": "the final stage"
                          },
                          "physicalLocation": {
                            "artifactLocation": {
                              "uri": "app/Dockerfile"
                            },
                            "region": {
                              "endColumn": 13,
                              "endLine": 3,
                              "startColumn": 1,
                              "startLine": 3
                            }
                          }
                        }
                      ],
                      "ruleId": "UnusedStage",
                      "ruleIndex": 1
                    },
                    {
                      "level": "error",
                      "locations": [
                        {
                          "physicalLocation": {
                            "artifactLocation": {
                              "uri": "odd%20dir/a%2Cb%3Ac%25.Dockerfile"
                            },
                            "region": {
                              "endColumn": 14,
                              "endLine": 2,
                              "startColumn": 10,
                              "startLine": 2
                            }
                          }
                        }
                      ],
                      "message": {
                        "text": "50% done,\r\nnext: ::error::pwned \"quoted\" \\ \u001b[31mred"
                      },
                      "ruleId": "SyntaxError",
                      "ruleIndex": 3
                    }
                  ],
                  "tool": {
                    "driver": {
                      "name": "stagesmith",
                      "rules": [
                        {
                          "defaultConfiguration": {
                            "enabled": true,
                            "level": "warning"
                          },
                          "help": {
                            "markdown": "## What it does\nChecks stage names.",
                            "text": "## What it does\nChecks stage names."
                          },
                          "id": "StageNameCasing",
                          "name": "StageNameCasing",
                          "shortDescription": {
                            "text": "Stage names should be lowercase"
                          }
                        },
                        {
                          "defaultConfiguration": {
                            "enabled": false,
                            "level": "note"
                          },
                          "id": "UnusedStage",
                          "name": "UnusedStage",
                          "shortDescription": {
                            "text": "UnusedStage"
                          }
                        },
                        {
                          "id": "NpmInstallInsteadOfCi",
                          "name": "NpmInstallInsteadOfCi",
                          "shortDescription": {
                            "text": "NpmInstallInsteadOfCi"
                          }
                        },
                        {
                          "id": "SyntaxError",
                          "name": "SyntaxError",
                          "shortDescription": {
                            "text": "SyntaxError"
                          }
                        }
                      ],
                      "version": "VERSION"
                    }
                  }
                }
              ],
              "version": "2.1.0"
            }"###]]
        .assert_eq(&serde_json::to_string_pretty(&log).unwrap());
    }
}
