//! `stagesmith rules` against the real binary.

mod cli_support;

use cli_support::Workspace;
use stagesmith::ide::diagnostics::rules;

#[test]
fn lists_every_rule_with_its_default() {
    let outcome = Workspace::new(&[]).run(&["rules"]);
    assert_eq!(outcome.code, Some(0));
    let mut lines = outcome.stdout.lines();
    assert_eq!(
        lines
            .next()
            .map(|header| header.split_whitespace().collect::<Vec<_>>()),
        Some(vec!["RULE", "DEFAULT", "SUMMARY"])
    );
    let listed: Vec<&str> = lines
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    let known: Vec<&str> = rules().iter().map(|rule| rule.name).collect();
    assert_eq!(listed, known);
}

#[test]
fn explains_each_rule_by_case_insensitive_name() {
    let workspace = Workspace::new(&[]);
    for rule in rules() {
        let outcome = workspace.run(&["rules", "--explain", &rule.name.to_lowercase()]);
        assert_eq!(outcome.code, Some(0), "{}", rule.name);
        assert!(outcome.stdout.starts_with(&format!("# {}\n", rule.name)));
        assert!(outcome.stdout.contains(rule.doc.trim_end()));
    }
}

#[test]
fn unknown_rule_exits_2_with_a_suggestion_when_one_is_close() {
    let workspace = Workspace::new(&[]);
    let outcome = workspace.run(&["rules", "--explain", "NoSuchRuleAnywhere"]);
    assert_eq!(outcome.code, Some(2));
    assert_eq!(outcome.stdout, "");
    assert_eq!(
        outcome.stderr,
        "error: unknown rule `NoSuchRuleAnywhere`; `stagesmith rules` lists them all\n"
    );
    if let Some(rule) = rules().first() {
        let typo = &rule.name[1..];
        let outcome = workspace.run(&["rules", "--explain", typo]);
        assert_eq!(outcome.code, Some(2));
        assert!(
            outcome
                .stderr
                .contains(&format!("did you mean `{}`?", rule.name)),
            "{}",
            outcome.stderr
        );
    }
}
