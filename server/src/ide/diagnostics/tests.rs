//! Engine behaviour: configuration, suppression, ignore fixes, ordering.

use expect_test::{Expect, expect};

use super::test_support::{apply_fix, lint, lint_with, render};
use crate::config::{Config, RuleLevel};
use crate::ide::diagnostics::{Diagnostic, Severity};

/// The engine's output restricted to the BuildKit rules, whose behaviour these fixtures pin.
fn buildkit_only(found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    found
        .into_iter()
        .filter(|d| super::rules::is_buildkit(d.code))
        .collect()
}

fn check(text: &str, expect: Expect) {
    expect.assert_eq(&render(text, &buildkit_only(lint(text, None))));
}

fn codes_with(text: &str, config: &Config) -> String {
    buildkit_only(lint_with(text, None, config))
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
    expect![[r#"
        StageNameCasing error
        InvalidDefinitionDescription info
    "#]]
    .assert_eq(&codes_with(text, &config));
    config
        .rules
        .insert("StageNameCasing".to_string(), RuleLevel::Off);
    expect![[r#"
        InvalidDefinitionDescription info
    "#]]
    .assert_eq(&codes_with(text, &config));
}

#[test]
fn check_error_true_turns_check_warnings_into_errors() {
    check(
        "# check=error=true\nFROM alpine AS Bad\nMAINTAINER me\n",
        expect![[r#"
            2:16 "Bad" StageNameCasing error: Stage name 'Bad' should be lowercase
              fix Rename stage to 'bad'
            3:1 "MAINTAINER" MaintainerDeprecated error: Maintainer instruction is deprecated in favor of using label
              tag Deprecated
              fix Replace with LABEL org.opencontainers.image.authors
        "#]],
    );
}

#[test]
fn hard_errors_cannot_be_skipped() {
    check(
        "# check=skip=all\nFROM alpine AS 1bad\nRUNN x\n",
        expect![[r#"
            2:16 "1bad" InvalidStageName error: invalid name for build stage: "1bad", name can't start with a number or contain symbols
            3:1 "RUNN" UnknownInstruction error: unknown instruction: RUNN (did you mean run?)
              fix Change to RUN
        "#]],
    );
}

#[test]
fn per_instruction_skip_keeps_the_block_rules() {
    check(
        "FROM alpine\n# check=skip=MaintainerDeprecated\n\n# a blank line does not end the block\nMAINTAINER a\n# check=skip=MaintainerDeprecated\n#\nMAINTAINER b\nMAINTAINER c\n",
        expect![[r#"
            8:1 "MAINTAINER" MaintainerDeprecated warning: Maintainer instruction is deprecated in favor of using label
              tag Deprecated
              fix Replace with LABEL org.opencontainers.image.authors
            9:1 "MAINTAINER" MaintainerDeprecated warning: Maintainer instruction is deprecated in favor of using label
              tag Deprecated
              fix Replace with LABEL org.opencontainers.image.authors
        "#]],
    );
}

#[test]
fn hadolint_pragmas_map_to_rules() {
    check(
        "# hadolint global ignore=DL4000\nFROM alpine\n# hadolint ignore=DL3025\nCMD run me\nCMD run me too\nMAINTAINER x\n",
        expect![[r#"
            4:1 "CMD" MultipleInstructionsDisallowed warning: Multiple CMD instructions should not be used in the same stage because only the last one will be used
              related 5:1 "CMD": the CMD that takes effect
              tag Unnecessary
              fix Remove the overridden CMD
            5:5 "run me too" JSONArgsRecommended warning: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals
              fix Use exec form (JSON array)
        "#]],
    );
    check(
        "FROM alpine AS a\n# hadolint stage ignore=DL3000\nFROM alpine AS b\nWORKDIR rel\nFROM alpine AS c\nWORKDIR rel\n",
        expect![[r#"
            6:9 "rel" WorkdirRelativePath warning: Relative workdir "rel" can have unexpected results if the base image changes
        "#]],
    );
}

#[test]
fn experimental_wins_over_skip_all() {
    check(
        "# check=skip=all;experimental=InvalidDefinitionDescription\n# nope\nARG x=1\nFROM alpine AS Bad\n",
        expect![[r##"
            2:1 "# nope" InvalidDefinitionDescription warning: Comment for ARG should follow the format: `# x <description>`
        "##]],
    );
}

#[test]
fn ignore_for_this_instruction_adds_or_merges() {
    let text = "FROM alpine\nRUN true\n    MAINTAINER me\n";
    expect![[r#"
        FROM alpine
        RUN true
            # check=skip=MaintainerDeprecated
            MAINTAINER me
    "#]]
    .assert_eq(&apply_fix(
        text,
        None,
        "Ignore MaintainerDeprecated for this instruction",
    ));
    let merged = "FROM alpine\n# check=skip=JSONArgsRecommended // why\nMAINTAINER me\n";
    expect![[r#"
        FROM alpine
        # check=skip=JSONArgsRecommended,MaintainerDeprecated // why
        MAINTAINER me
    "#]]
    .assert_eq(&apply_fix(
        merged,
        None,
        "Ignore MaintainerDeprecated for this instruction",
    ));
    let option = "FROM alpine\n# check=error=false\nMAINTAINER me\n";
    expect![[r#"
        FROM alpine
        # check=error=false;skip=MaintainerDeprecated
        MAINTAINER me
    "#]]
    .assert_eq(&apply_fix(
        option,
        None,
        "Ignore MaintainerDeprecated for this instruction",
    ));
}

#[test]
fn ignore_in_this_file_stays_in_the_directive_block() {
    let fresh = "# syntax=docker/dockerfile:1\n# a comment\nFROM alpine\nMAINTAINER me\n";
    expect![[r#"
        # syntax=docker/dockerfile:1
        # check=skip=MaintainerDeprecated
        # a comment
        FROM alpine
        MAINTAINER me
    "#]]
    .assert_eq(&apply_fix(
        fresh,
        None,
        "Ignore MaintainerDeprecated in this file",
    ));
    let merge = "# check=skip=StageNameCasing;error=true\nFROM alpine\nMAINTAINER me\n";
    expect![[r#"
        # check=skip=StageNameCasing,MaintainerDeprecated;error=true
        FROM alpine
        MAINTAINER me
    "#]]
    .assert_eq(&apply_fix(
        merge,
        None,
        "Ignore MaintainerDeprecated in this file",
    ));
    let no_skip = "#check=error=true\nFROM alpine\nMAINTAINER me\n";
    expect![[r#"
        #check=error=true;skip=MaintainerDeprecated
        FROM alpine
        MAINTAINER me
    "#]]
    .assert_eq(&apply_fix(
        no_skip,
        None,
        "Ignore MaintainerDeprecated in this file",
    ));
    let bom_no_newline = "\u{feff}FROM alpine\nMAINTAINER me";
    expect![[r#"
        ﻿# check=skip=MaintainerDeprecated
        FROM alpine
        MAINTAINER me"#]]
    .assert_eq(&apply_fix(
        bom_no_newline,
        None,
        "Ignore MaintainerDeprecated in this file",
    ));
}

#[test]
fn instruction_fix_is_not_offered_where_it_would_be_a_directive() {
    let titles: Vec<String> = buildkit_only(lint(
        "# syntax=docker/dockerfile:1\nMAINTAINER me\nFROM alpine\n",
        None,
    ))
    .iter()
    .flat_map(|d| d.fixes.iter().map(|f| format!("{} {}", d.code, f.title)))
    .collect();
    expect![[r#"
        [
            "MaintainerDeprecated Replace with LABEL org.opencontainers.image.authors",
            "MaintainerDeprecated Ignore MaintainerDeprecated in this file",
        ]
    "#]]
    .assert_debug_eq(&titles);
}

#[test]
fn sorted_by_position() {
    check(
        "FROM alpine AS B\nMAINTAINER x\nFROM alpine AS B\n",
        expect![[r#"
            1:16 "B" StageNameCasing warning: Stage name 'B' should be lowercase
              fix Rename stage to 'b'
            2:1 "MAINTAINER" MaintainerDeprecated warning: Maintainer instruction is deprecated in favor of using label
              tag Deprecated
              fix Replace with LABEL org.opencontainers.image.authors
            3:16 "B" DuplicateStageName warning: Duplicate stage name "b", stage names should be unique
              related 1:16 "B": stage "b" first defined here
            3:16 "B" StageNameCasing warning: Stage name 'B' should be lowercase
              fix Rename stage to 'b'
        "#]],
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
                rule.doc.lines().any(|line| line == section),
                "{} lacks {section:?}",
                rule.name
            );
        }
    }
}
