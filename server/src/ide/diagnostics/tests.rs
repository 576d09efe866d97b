//! Engine behaviour: configuration, suppression, ignore fixes, ordering.

use expect_test::{Expect, expect};

use super::test_support::{apply_fix, lint, lint_with, render};
use crate::config::{Config, RuleLevel};
use crate::ide::diagnostics::Severity;

fn check(text: &str, expect: Expect) {
    expect.assert_eq(&render(text, &lint(text, None)));
}

fn codes_with(text: &str, config: &Config) -> String {
    lint_with(text, None, config)
        .iter()
        .map(|d| format!("{} {}\n", d.code, d.severity.name()))
        .collect()
}

#[test]
fn config_overrides_severity_and_turns_rules_off_and_on() {
    let text = "FROM alpine AS Bad\n# bad description\nARG x=1\n";
    let mut config = Config::default();
    config.rules.insert(
        "StageNameCasing".to_string(),
        RuleLevel::On(Severity::Error),
    );
    config.rules.insert(
        "InvalidDefinitionDescription".to_string(),
        RuleLevel::On(Severity::Info),
    );
    expect![[r#""#]].assert_eq(&codes_with(text, &config));
    config
        .rules
        .insert("StageNameCasing".to_string(), RuleLevel::Off);
    expect![[r#""#]].assert_eq(&codes_with(text, &config));
}

#[test]
fn check_error_true_makes_checks_errors_but_not_our_rules() {
    check(
        "# check=error=true\nFROM alpine AS Bad\nMAINTAINER me\n",
        expect![[r#""#]],
    );
}

#[test]
fn hard_errors_cannot_be_skipped() {
    check(
        "# check=skip=all\nFROM alpine AS 1bad\nRUNN x\n",
        expect![[r#""#]],
    );
}

#[test]
fn per_instruction_skip_keeps_the_block_rules() {
    check(
        "FROM alpine\n# check=skip=MaintainerDeprecated\n\n# a blank line does not end the block\nMAINTAINER a\n# check=skip=MaintainerDeprecated\n#\nMAINTAINER b\nMAINTAINER c\n",
        expect![[r#""#]],
    );
}

#[test]
fn hadolint_pragmas_map_to_rules() {
    check(
        "# hadolint global ignore=DL4000\nFROM alpine\n# hadolint ignore=DL3025\nCMD run me\nCMD run me too\nMAINTAINER x\n",
        expect![[r#""#]],
    );
    check(
        "FROM alpine AS a\n# hadolint stage ignore=DL3000\nFROM alpine AS b\nWORKDIR rel\nFROM alpine AS c\nWORKDIR rel\n",
        expect![[r#""#]],
    );
}

#[test]
fn experimental_wins_over_skip_all() {
    check(
        "# check=skip=all;experimental=InvalidDefinitionDescription\n# nope\nARG x=1\nFROM alpine AS Bad\n",
        expect![[r#""#]],
    );
}

#[test]
fn ignore_for_this_instruction_adds_or_merges() {
    let text = "FROM alpine\nRUN true\n    MAINTAINER me\n";
    expect![[r#""#]].assert_eq(&apply_fix(
        text,
        None,
        "Ignore MaintainerDeprecated for this instruction",
    ));
    let merged = "FROM alpine\n# check=skip=JSONArgsRecommended // why\nMAINTAINER me\n";
    expect![[r#""#]].assert_eq(&apply_fix(
        merged,
        None,
        "Ignore MaintainerDeprecated for this instruction",
    ));
    let option = "FROM alpine\n# check=error=false\nMAINTAINER me\n";
    expect![[r#""#]].assert_eq(&apply_fix(
        option,
        None,
        "Ignore MaintainerDeprecated for this instruction",
    ));
}

#[test]
fn ignore_in_this_file_stays_in_the_directive_block() {
    let fresh = "# syntax=docker/dockerfile:1\n# a comment\nFROM alpine\nMAINTAINER me\n";
    expect![[r#""#]].assert_eq(&apply_fix(
        fresh,
        None,
        "Ignore MaintainerDeprecated in this file",
    ));
    let merge = "# check=skip=StageNameCasing;error=true\nFROM alpine\nMAINTAINER me\n";
    expect![[r#""#]].assert_eq(&apply_fix(
        merge,
        None,
        "Ignore MaintainerDeprecated in this file",
    ));
    let no_skip = "#check=error=true\nFROM alpine\nMAINTAINER me\n";
    expect![[r#""#]].assert_eq(&apply_fix(
        no_skip,
        None,
        "Ignore MaintainerDeprecated in this file",
    ));
    let bom_no_newline = "\u{feff}FROM alpine\nMAINTAINER me";
    expect![[r#""#]].assert_eq(&apply_fix(
        bom_no_newline,
        None,
        "Ignore MaintainerDeprecated in this file",
    ));
}

#[test]
fn instruction_fix_is_not_offered_where_it_would_be_a_directive() {
    let titles: Vec<String> = lint(
        "# syntax=docker/dockerfile:1\nMAINTAINER me\nFROM alpine\n",
        None,
    )
    .iter()
    .flat_map(|d| d.fixes.iter().map(|f| format!("{} {}", d.code, f.title)))
    .collect();
    expect![[r#""#]].assert_debug_eq(&titles);
}

#[test]
fn sorted_by_position() {
    check(
        "FROM alpine AS B\nMAINTAINER x\nFROM alpine AS B\n",
        expect![[r#""#]],
    );
}

#[test]
fn every_rule_has_a_documented_template() {
    for rule in super::rules() {
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
            "## References",
        ] {
            assert!(
                rule.doc.contains(section),
                "{} lacks {section:?}",
                rule.name
            );
        }
    }
}
