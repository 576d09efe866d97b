//! `stagesmith rules [--explain NAME]`: the rule catalogue, and one rule's documentation (the same
//! text hover links to).

use clap::Args;

use super::{Status, print_stdout, report_error};
use crate::config::{RuleLevel, closest_match};
use crate::ide::diagnostics::{self, RuleMeta};

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print the documentation of one rule (name matched case-insensitively).
    #[arg(long, value_name = "NAME")]
    explain: Option<String>,
}

pub fn run(args: &RulesArgs) -> Status {
    let rules = diagnostics::rules();
    let text = match &args.explain {
        None => Ok(catalogue(rules)),
        Some(name) => explain(rules, name),
    };
    match text {
        Ok(text) => print_stdout(&text),
        Err(message) => {
            report_error(&message);
            Status::Trouble
        }
    }
}

/// One line per rule: name, default level (`off` for rules that only run when configured), summary.
fn catalogue(rules: &[RuleMeta]) -> String {
    let name_width = rules
        .iter()
        .map(|rule| rule.name.len())
        .chain(["RULE".len()])
        .max()
        .unwrap_or_default();
    let mut out = format!("{:name_width$}  {:7}  SUMMARY\n", "RULE", "DEFAULT");
    for rule in rules {
        out.push_str(&format!(
            "{:name_width$}  {:7}  {}\n",
            rule.name,
            default_level_name(rule),
            rule.summary
        ));
    }
    out
}

fn default_level_name(rule: &RuleMeta) -> &'static str {
    match RuleLevel::default_for(rule) {
        RuleLevel::Off => "off",
        RuleLevel::On(severity) => severity.name(),
    }
}

fn explain(rules: &[RuleMeta], name: &str) -> Result<String, String> {
    let Some(rule) = rules
        .iter()
        .find(|rule| rule.name.eq_ignore_ascii_case(name))
    else {
        let hint = closest_match(name, rules.iter().map(|rule| rule.name))
            .map(|suggestion| format!(" (did you mean `{suggestion}`?)"))
            .unwrap_or_default();
        return Err(format!(
            "unknown rule `{name}`{hint}; `stagesmith rules` lists them all"
        ));
    };
    let availability = if rule.enabled_by_default {
        "on by default"
    } else {
        "off by default; enable it in .stagesmith.toml"
    };
    Ok(format!(
        "# {}\n\nDefault severity: {} ({availability})\n\n{}\n",
        rule.name,
        rule.default_severity.name(),
        rule.doc.trim_end()
    ))
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::{catalogue, explain};
    use crate::ide::diagnostics::{RuleMeta, Severity};

    const RULES: &[RuleMeta] = &[
        RuleMeta {
            name: "StageNameCasing",
            default_severity: Severity::Warning,
            enabled_by_default: true,
            summary: "Stage names should be lowercase",
            doc: "## What it does\n\nChecks that stage names are lowercase.\n",
            hadolint: &[],
        },
        RuleMeta {
            name: "InvalidDefinitionDescription",
            default_severity: Severity::Warning,
            enabled_by_default: false,
            summary: "Comment for build stage or argument should follow the format",
            doc: "## What it does\n\nChecks description comments.",
            hadolint: &[],
        },
    ];

    #[test]
    fn catalogue_lists_every_rule() {
        expect![[r#"
            RULE                          DEFAULT  SUMMARY
            StageNameCasing               warning  Stage names should be lowercase
            InvalidDefinitionDescription  off      Comment for build stage or argument should follow the format
        "#]].assert_eq(&catalogue(RULES));
    }

    #[test]
    fn explain_matches_names_case_insensitively() {
        expect![[r#"
            # StageNameCasing

            Default severity: warning (on by default)

            ## What it does

            Checks that stage names are lowercase.
        "#]]
        .assert_eq(&explain(RULES, "stagenamecasing").unwrap());
        expect![[r#"
            # InvalidDefinitionDescription

            Default severity: warning (off by default; enable it in .stagesmith.toml)

            ## What it does

            Checks description comments.
        "#]]
        .assert_eq(&explain(RULES, "InvalidDefinitionDescription").unwrap());
    }

    #[test]
    fn explain_suggests_a_close_name() {
        assert_eq!(
            explain(RULES, "StageNameCasng"),
            Err("unknown rule `StageNameCasng` (did you mean `StageNameCasing`?); `stagesmith rules` lists them all".to_owned())
        );
        assert_eq!(
            explain(RULES, "Nope"),
            Err("unknown rule `Nope`; `stagesmith rules` lists them all".to_owned())
        );
    }
}
