//! `stagesmith parse` against the real binary: outputs and exit statuses.

mod cli_support;

use cli_support::{UNTERMINATED_HEREDOC, Workspace};
use expect_test::expect;

#[test]
fn tree_and_buildkit_dumps_exit_0_without_errors() {
    let workspace = Workspace::new(&[("Dockerfile", "FROM alpine:3.20 AS base\nRUN echo hi\n")]);
    expect![[r#"
        exit: Some(0)
        --- stdout
        FROM 0..24 keyword=0..4
          WORD "alpine:3.20" 5..16
          WORD "AS" 17..19
          WORD "base" 20..24
        RUN 25..36 keyword=25..28
          TEXT "echo hi" 29..36
        --- stderr
    "#]]
    .assert_eq(&workspace.run(&["parse", "Dockerfile"]).transcript());
    expect![[r#"
        exit: Some(0)
        --- stdout
        (from "alpine:3.20" "AS" "base")
        (run "echo hi")
        --- stderr
    "#]]
    .assert_eq(
        &workspace
            .run(&["parse", "--format", "buildkit", "Dockerfile"])
            .transcript(),
    );
}

#[test]
fn syntax_errors_exit_1_with_file_line_column_on_stderr() {
    let workspace = Workspace::new(&[(
        "sub/api.Dockerfile",
        &format!("# escape=`\n# escape=\\\n{UNTERMINATED_HEREDOC}"),
    )]);
    let outcome = workspace.run(&["parse", "sub/api.Dockerfile"]);
    assert_eq!(outcome.code, Some(1));
    expect![[r#"
        sub/api.Dockerfile:2:1: error: only one escape parser directive can be used
        sub/api.Dockerfile:5:5: error: unterminated heredoc
    "#]]
    .assert_eq(&outcome.stderr);
}

#[test]
fn non_utf8_files_are_parsed_with_a_warning_at_the_first_bad_byte() {
    let workspace = Workspace::new(&[]);
    workspace.write("Dockerfile", b"FROM alpine\nLABEL owner=\"J\xf6rg\"\n");
    expect![[r#"
        exit: Some(0)
        --- stdout
        FROM 0..11 keyword=0..4
          WORD "alpine" 5..11
        LABEL 12..32 keyword=12..17
          KEY "owner" 18..23
            VALUE "\"J�rg\"" 24..32
        --- stderr
        warning: Dockerfile:2:15: not valid UTF-8 at byte offset 26 (0xF6); invalid bytes are read as U+FFFD
    "#]].assert_eq(&workspace.run(&["parse", "Dockerfile"]).transcript());
    expect![[r#"
        exit: Some(0)
        --- stdout
        (from "alpine")
        (label "owner" "\"J�rg\"" "=")
        --- stderr
        warning: Dockerfile:2:15: not valid UTF-8 at byte offset 26 (0xF6); invalid bytes are read as U+FFFD
    "#]].assert_eq(
        &workspace
            .run(&["parse", "--format", "buildkit", "Dockerfile"])
            .transcript(),
    );
}

#[test]
fn lines_over_64_kib_are_reported_where_the_limit_is_passed() {
    let long_label = format!("LABEL a={}\n", "x".repeat(65535 - "LABEL a=".len()));
    let too_long = format!("LABEL b={}\r\n", "y".repeat(65535 - "LABEL b=".len()));
    let workspace = Workspace::new(&[(
        "Dockerfile",
        &format!("FROM alpine\n{long_label}{too_long}USER nobody\n"),
    )]);
    let outcome = workspace.run(&["parse", "--format", "buildkit", "Dockerfile"]);
    assert_eq!(outcome.code, Some(1));
    assert!(
        outcome.stdout.ends_with("(user \"nobody\")\n"),
        "{}",
        outcome.stdout
    );
    expect![[r#"
        Dockerfile:3:65536: error: dockerfile line greater than max allowed size of 65535
    "#]]
    .assert_eq(&outcome.stderr);
}

#[test]
fn unreadable_input_and_usage_errors_exit_2() {
    let workspace = Workspace::new(&[("Dockerfile", "FROM alpine\n")]);
    expect![[r#"
        exit: Some(2)
        --- stdout
        --- stderr
        error: cannot read missing: No such file or directory (os error 2)
    "#]]
    .assert_eq(&workspace.run(&["parse", "missing"]).transcript());
    let no_file = workspace.run(&["parse"]);
    assert_eq!(no_file.code, Some(2));
    assert!(no_file.stderr.contains("FILE"), "{}", no_file.stderr);
    let bad_format = workspace.run(&["parse", "--format", "json", "Dockerfile"]);
    assert_eq!(bad_format.code, Some(2));
    assert_eq!(workspace.run(&["--help"]).code, Some(0));
    assert_eq!(workspace.run(&["--version"]).code, Some(0));
    assert_eq!(workspace.run(&["frobnicate"]).code, Some(2));
}
