//! `stagesmith check` against the real binary: discovery, formats, exit statuses, configuration
//! and the read boundary.

mod cli_support;

use std::os::unix::fs::symlink;

use cli_support::{CLEAN, Outcome, UNTERMINATED_HEREDOC, Workspace};
use expect_test::expect;
use serde_json::Value;

fn json_of(outcome: &Outcome) -> Value {
    serde_json::from_str(&outcome.stdout)
        .unwrap_or_else(|error| panic!("stdout is not JSON ({error}):\n{}", outcome.transcript()))
}

/// The files that have diagnostics, in report order.
fn reported_files(outcome: &Outcome) -> Vec<String> {
    let mut files: Vec<String> = json_of(outcome)
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| diagnostic["file"].as_str().unwrap().to_owned())
        .collect();
    files.dedup();
    files
}

/// The rule code the engine gives an unterminated heredoc, whatever it is named.
fn heredoc_error_code() -> String {
    let workspace = Workspace::new(&[("Dockerfile", UNTERMINATED_HEREDOC)]);
    let outcome = workspace.run(&["check", "--format", "json"]);
    json_of(&outcome)[0]["code"].as_str().unwrap().to_owned()
}

#[test]
fn exit_status_follows_the_fail_level() {
    let workspace = Workspace::new(&[
        ("clean/Dockerfile", CLEAN),
        ("broken/Dockerfile", UNTERMINATED_HEREDOC),
    ]);
    let clean = workspace.run(&["check", "clean"]);
    assert_eq!(clean.code, Some(0), "{}", clean.transcript());
    assert_eq!(clean.stdout, "no problems in 1 file\n");
    assert_eq!(workspace.run(&["check", "broken"]).code, Some(1));
    assert_eq!(workspace.run(&["check"]).code, Some(1));
    for usage in [
        &["check", "--format", "xml"][..],
        &["check", "--fail-level", "fatal"],
        &["check", "--color", "sometimes"],
        &["check", "does-not-exist"],
    ] {
        assert_eq!(workspace.run(usage).code, Some(2), "{usage:?}");
    }
}

#[test]
fn discovers_dockerfile_names_and_skips_heavy_folders() {
    let names = [
        "Dockerfile",
        "Containerfile",
        "api.Dockerfile",
        "windows.dockerfile",
        "Dockerfile.dev",
        "Containerfile.fedora",
        "deep/er/Dockerfile",
        // Not Dockerfiles, or in folders never searched:
        "Dockerfile.dockerignore",
        "dockerfile",
        "README.md",
        "node_modules/pkg/Dockerfile",
        "target/Dockerfile",
        ".git/Dockerfile",
    ];
    let files: Vec<(&str, &str)> = names
        .iter()
        .map(|name| (*name, UNTERMINATED_HEREDOC))
        .collect();
    let workspace = Workspace::new(&files);
    let outcome = workspace.run(&["check", "--format", "json"]);
    assert_eq!(outcome.code, Some(1), "{}", outcome.transcript());
    expect![[r#"
        [
            "Containerfile",
            "Containerfile.fedora",
            "Dockerfile",
            "Dockerfile.dev",
            "api.Dockerfile",
            "deep/er/Dockerfile",
            "windows.dockerfile",
        ]"#]]
    .assert_eq(&format!("{:#?}", reported_files(&outcome)));
    assert_eq!(outcome.stderr, "7 errors in 7 files\n");

    // Under a named folder, paths keep that folder; a file named explicitly is linted whatever its name.
    let outcome = workspace.run(&["check", "--format", "json", "deep", "README.md"]);
    expect![[r#"
        [
            "deep/er/Dockerfile",
            "README.md",
        ]"#]]
    .assert_eq(&format!("{:#?}", reported_files(&outcome)));
}

#[test]
fn symlinks_never_lead_out_of_the_walked_folder() {
    let outside = Workspace::new(&[
        ("Dockerfile", UNTERMINATED_HEREDOC),
        ("dir/Dockerfile", UNTERMINATED_HEREDOC),
    ]);
    let workspace = Workspace::new(&[("real/Dockerfile", UNTERMINATED_HEREDOC)]);
    symlink(
        outside.path("Dockerfile"),
        workspace.path("escape.Dockerfile"),
    )
    .unwrap();
    symlink(outside.path("dir"), workspace.path("escape-dir")).unwrap();
    symlink(
        workspace.path("real/Dockerfile"),
        workspace.path("alias.Dockerfile"),
    )
    .unwrap();
    symlink(workspace.path("real"), workspace.path("real/loop")).unwrap();
    symlink(
        workspace.path("nowhere"),
        workspace.path("dangling.Dockerfile"),
    )
    .unwrap();
    // Skipped by name before anything is resolved, so not even a warning.
    symlink(outside.path("dir"), workspace.path("node_modules")).unwrap();
    let outcome = workspace.run(&["check", "--format", "json"]);
    assert_eq!(outcome.code, Some(1));
    // The link inside the folder is followed, but its target is linted once, under its own name.
    assert_eq!(reported_files(&outcome), ["real/Dockerfile"]);
    let alone = Workspace::new(&[("real/Dockerfile", UNTERMINATED_HEREDOC)]);
    symlink(
        alone.path("real/Dockerfile"),
        alone.path("alias.Dockerfile"),
    )
    .unwrap();
    let linked_only = alone.run(&[
        "check",
        "--format",
        "json",
        "alias.Dockerfile",
        "real/Dockerfile",
    ]);
    assert_eq!(reported_files(&linked_only), ["alias.Dockerfile"]);
    let outside_root = outside.root.display().to_string();
    let inside_root = workspace.root.display().to_string();
    expect![[r#"
        warning: skipping escape-dir: it links to OUTSIDE/dir, outside WORKSPACE
        warning: skipping escape.Dockerfile: it links to OUTSIDE/Dockerfile, outside WORKSPACE
        1 error in 1 file
    "#]]
    .assert_eq(
        &outcome
            .stderr
            .replace(&outside_root, "OUTSIDE")
            .replace(&inside_root, "WORKSPACE"),
    );
}

#[test]
fn special_files_are_never_read() {
    let workspace = Workspace::new(&[("ok/Dockerfile", CLEAN), ("fifo-ignore/Dockerfile", CLEAN)]);
    for fifo in ["Dockerfile.fifo", "fifo-ignore/.dockerignore"] {
        let status = std::process::Command::new("mkfifo")
            .arg(workspace.path(fifo))
            .status()
            .unwrap();
        assert!(status.success());
    }
    // A FIFO named like a Dockerfile is not a file to lint; a FIFO `.dockerignore` is refused
    // instead of blocking the run.
    let outcome = workspace.run(&["check"]);
    expect![[r#"
        exit: Some(2)
        --- stdout
        no problems in 1 file
        --- stderr
        error: fifo-ignore/Dockerfile: not checked because fifo-ignore/.dockerignore cannot be read: not a regular file
    "#]]
    .assert_eq(&outcome.transcript());
}

#[test]
fn non_utf8_files_are_read_with_a_warning_at_the_first_bad_byte_and_linted() {
    let workspace = Workspace::new(&[("b/Dockerfile", UNTERMINATED_HEREDOC)]);
    workspace.write(
        "a/Dockerfile",
        b"FROM alpine:3.20\n# caf\xe9\nRUN <<EOF\necho \xff\n",
    );
    let outcome = workspace.run(&["check", "--format", "github"]);
    expect![[r#"
        exit: Some(1)
        --- stdout
        ::warning file=a/Dockerfile,line=2,col=6,endLine=2,endColumn=7,title=InvalidUtf8::not valid UTF-8 at byte offset 22 (0xE9); invalid bytes are read as U+FFFD
        ::error file=a/Dockerfile,line=3,col=5,endLine=3,endColumn=10,title=UnterminatedHeredoc::unterminated heredoc
        ::error file=b/Dockerfile,line=3,col=5,endLine=3,endColumn=10,title=UnterminatedHeredoc::unterminated heredoc
        --- stderr
        2 errors, 1 warning in 2 files
    "#]].assert_eq(&outcome.transcript());
}

#[test]
fn lines_over_64_kib_are_a_syntax_error_and_the_rest_is_linted() {
    let long_run = format!("RUN echo {}\n", "x".repeat(65536 - "RUN echo ".len()));
    let workspace = Workspace::new(&[(
        "Dockerfile",
        &format!("FROM alpine:3.20\n{long_run}FROM alpine:3.20 as next\n"),
    )]);
    let outcome = workspace.run(&["check", "--format", "github"]);
    expect![[r#"
        exit: Some(1)
        --- stdout
        ::notice file=Dockerfile,line=1,col=1,endLine=1,endColumn=17,title=UnusedStage::stage `stage-0` is never used: the final stage does not need it and it is no build target
        ::error file=Dockerfile,line=2,col=65536,endLine=2,endColumn=65537,title=SyntaxError::dockerfile line greater than max allowed size of 65535
        ::warning file=Dockerfile,line=3,col=18,endLine=3,endColumn=20,title=FromAsCasing::'as' and 'FROM' keywords' casing do not match
        --- stderr
        1 error, 1 warning, 1 hint in 1 file
    "#]].assert_eq(&outcome.transcript());
}

#[test]
fn human_format() {
    let workspace = Workspace::new(&[
        ("Dockerfile", CLEAN),
        (
            "svc/Containerfile",
            &format!("# escape=`\n# escape=\\\n{UNTERMINATED_HEREDOC}"),
        ),
    ]);
    expect![[r#"
        exit: Some(1)
        --- stdout
        error[DuplicateDirective]: only one escape parser directive can be used
         --> svc/Containerfile:2:1
          |
        2 | # escape=\
          | ^^^^^^^^^^

        error[UnterminatedHeredoc]: unterminated heredoc
         --> svc/Containerfile:5:5
          |
        5 | RUN <<EOF
          |     ^^^^^

        2 errors in 2 files
        --- stderr
    "#]]
    .assert_eq(&workspace.run(&["check"]).transcript());
    // Colour only when asked for (or on a terminal), and NO_COLOR does not stop an explicit request.
    let coloured = workspace.run(&["check", "--color", "always"]);
    assert!(coloured.stdout.contains("\u{1b}["), "{}", coloured.stdout);
    assert!(
        !workspace
            .run(&["check", "--color", "never"])
            .stdout
            .contains('\u{1b}')
    );
}

#[test]
fn hostile_source_text_cannot_drive_the_terminal() {
    let workspace = Workspace::new(&[(
        "Dockerfile",
        "FROM alpine:3.20\nUSER 1001\nRUN <<EOF \u{1b}[2J\u{1b}]0;pwned\u{7}\necho\n",
    )]);
    let outcome = workspace.run(&["check", "--color", "never"]);
    assert_eq!(outcome.code, Some(1));
    assert!(!outcome.stdout.contains('\u{1b}'), "{}", outcome.stdout);
    assert!(!outcome.stdout.contains('\u{7}'), "{}", outcome.stdout);
}

#[test]
fn json_format() {
    let workspace = Workspace::new(&[
        ("Dockerfile", CLEAN),
        (
            "svc/Containerfile",
            &format!("# escape=`\n# escape=\\\n{UNTERMINATED_HEREDOC}"),
        ),
    ]);
    let outcome = workspace.run(&["check", "--format", "json"]);
    expect![[r#"
        exit: Some(1)
        --- stdout
        [
          {
            "file": "svc/Containerfile",
            "line": 2,
            "column": 1,
            "end": {
              "line": 2,
              "column": 11
            },
            "code": "DuplicateDirective",
            "severity": "error",
            "message": "only one escape parser directive can be used",
            "fixes": []
          },
          {
            "file": "svc/Containerfile",
            "line": 5,
            "column": 5,
            "end": {
              "line": 5,
              "column": 10
            },
            "code": "UnterminatedHeredoc",
            "severity": "error",
            "message": "unterminated heredoc",
            "fixes": []
          }
        ]
        --- stderr
        2 errors in 2 files
    "#]]
    .assert_eq(&outcome.transcript());
    let clean = workspace.run(&["check", "--format", "json", "Dockerfile"]);
    assert_eq!((clean.code, clean.stdout.as_str()), (Some(0), "[]\n"));
}

#[test]
fn json_and_sarif_escape_hostile_paths() {
    let hostile = "we\"ird\\ %,:name\u{1}.Dockerfile";
    let workspace = Workspace::new(&[(hostile, UNTERMINATED_HEREDOC)]);
    let json = json_of(&workspace.run(&["check", "--format", "json"]));
    assert_eq!(json[0]["file"], hostile);
    let sarif = json_of(&workspace.run(&["check", "--format", "sarif"]));
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "we%22ird%5C%20%25%2C%3Aname%01.Dockerfile"
    );
}

#[test]
fn sarif_format_is_what_code_scanning_reads() {
    let workspace = Workspace::new(&[
        ("Dockerfile", CLEAN),
        (
            "svc/Containerfile",
            &format!("# escape=`\n# escape=\\\n{UNTERMINATED_HEREDOC}"),
        ),
    ]);
    let outcome = workspace.run(&["check", "--format", "sarif"]);
    assert_eq!(outcome.code, Some(1));
    let log = json_of(&outcome);
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "stagesmith");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for rule in stagesmith::ide::diagnostics::rules() {
        assert!(
            rules.iter().any(|descriptor| descriptor["id"] == rule.name),
            "{}",
            rule.name
        );
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(result["message"]["text"].is_string());
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "svc/Containerfile");
        let region = &location["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().unwrap() >= 1, "{key}");
        }
    }
    expect![[r#"
        [
          {
            "level": "error",
            "locations": [
              {
                "physicalLocation": {
                  "artifactLocation": {
                    "uri": "svc/Containerfile"
                  },
                  "region": {
                    "endColumn": 11,
                    "endLine": 2,
                    "startColumn": 1,
                    "startLine": 2
                  }
                }
              }
            ],
            "message": {
              "text": "only one escape parser directive can be used"
            },
            "ruleId": "DuplicateDirective",
            "ruleIndex": 1
          },
          {
            "level": "error",
            "locations": [
              {
                "physicalLocation": {
                  "artifactLocation": {
                    "uri": "svc/Containerfile"
                  },
                  "region": {
                    "endColumn": 10,
                    "endLine": 5,
                    "startColumn": 5,
                    "startLine": 5
                  }
                }
              }
            ],
            "message": {
              "text": "unterminated heredoc"
            },
            "ruleId": "UnterminatedHeredoc",
            "ruleIndex": 3
          }
        ]"#]]
    .assert_eq(&format!("{:#}", run["results"]));
}

#[test]
fn github_format() {
    let workspace = Workspace::new(&[
        ("Dockerfile", CLEAN),
        (
            "a,b:c%d/Containerfile",
            &format!("# escape=`\n# escape=\\\n{UNTERMINATED_HEREDOC}"),
        ),
    ]);
    expect![[r#"
        exit: Some(1)
        --- stdout
        ::error file=a%2Cb%3Ac%25d/Containerfile,line=2,col=1,endLine=2,endColumn=11,title=DuplicateDirective::only one escape parser directive can be used
        ::error file=a%2Cb%3Ac%25d/Containerfile,line=5,col=5,endLine=5,endColumn=10,title=UnterminatedHeredoc::unterminated heredoc
        --- stderr
        2 errors in 2 files
    "#]].assert_eq(&workspace.run(&["check", "--format", "github"]).transcript());
}

#[test]
fn config_levels_apply_and_the_nearest_config_wins() {
    let code = heredoc_error_code();
    let workspace = Workspace::new(&[
        ("Dockerfile", UNTERMINATED_HEREDOC),
        (
            ".stagesmith.toml",
            &format!("[rules]\n{code} = \"warning\"\n"),
        ),
        ("quiet/Dockerfile", UNTERMINATED_HEREDOC),
        (
            "quiet/.stagesmith.toml",
            &format!("[rules]\n{code} = \"off\"\n"),
        ),
        ("inherits/deeper/Dockerfile", UNTERMINATED_HEREDOC),
        // A nested repository: the search stops at its root and never sees the outer config.
        ("nested/.git/HEAD", ""),
        ("nested/Dockerfile", UNTERMINATED_HEREDOC),
    ]);
    let outcome = workspace.run(&["check", "--format", "json"]);
    let levels: Vec<(String, String)> = json_of(&outcome)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        levels,
        [
            ("Dockerfile".to_owned(), "warning".to_owned()),
            (
                "inherits/deeper/Dockerfile".to_owned(),
                "warning".to_owned()
            ),
            ("nested/Dockerfile".to_owned(), "error".to_owned()),
        ]
    );
    assert_eq!(outcome.code, Some(1), "the nested file still has an error");
    let without_nested = ["check", "Dockerfile", "quiet", "inherits"];
    assert_eq!(workspace.run(&without_nested).code, Some(0));
    let strict = [&without_nested[..], &["--fail-level", "warning"]].concat();
    assert_eq!(workspace.run(&strict).code, Some(1));
    // The config is found from the file, not from where the command runs.
    assert_eq!(
        workspace
            .run_in("quiet", &["check", "--fail-level", "hint"])
            .code,
        Some(0)
    );
}

#[test]
fn invalid_config_exits_2_and_its_files_are_not_checked() {
    let workspace = Workspace::new(&[
        ("good/Dockerfile", UNTERMINATED_HEREDOC),
        ("bad/Dockerfile", CLEAN),
        ("bad/also/Dockerfile", CLEAN),
        (
            "bad/.stagesmith.toml",
            "targets = \"test\"\n[user]\nuid = 0\n[rulez]\n",
        ),
        ("broken/Dockerfile", CLEAN),
        ("broken/.stagesmith.toml", "[rules\n"),
    ]);
    expect![[r#"
        exit: Some(2)
        --- stdout
        [
          {
            "file": "good/Dockerfile",
            "line": 3,
            "column": 5,
            "end": {
              "line": 3,
              "column": 10
            },
            "code": "UnterminatedHeredoc",
            "severity": "error",
            "message": "unterminated heredoc",
            "fixes": []
          }
        ]
        --- stderr
        error: bad/.stagesmith.toml:1:11: expected an array of strings, found a string
        error: bad/.stagesmith.toml:3:7: `uid` must be between 1 and 4294967295, found 0
        error: bad/.stagesmith.toml:4:2: unknown key `rulez` (did you mean `rules`?)
        error: bad/Dockerfile: not checked because bad/.stagesmith.toml could not be used
        error: bad/also/Dockerfile: not checked because bad/.stagesmith.toml could not be used
        error: broken/.stagesmith.toml:1:7: invalid TOML: unclosed table, expected `]`
        error: broken/Dockerfile: not checked because broken/.stagesmith.toml could not be used
        1 error in 1 file
    "#]]
    .assert_eq(&workspace.run(&["check", "--format", "json"]).transcript());
}

#[test]
fn config_and_dockerignore_symlinks_must_stay_in_the_workspace() {
    let outside = Workspace::new(&[
        ("secret.toml", "targets = [\"x\"]\n"),
        ("ignore", "node_modules\n"),
    ]);
    let workspace = Workspace::new(&[
        ("linked-config/Dockerfile", CLEAN),
        ("linked-ignore/Dockerfile", CLEAN),
        ("inside/Dockerfile", CLEAN),
        ("shared.toml", "targets = [\"test\"]\n"),
    ]);
    symlink(
        outside.path("secret.toml"),
        workspace.path("linked-config/.stagesmith.toml"),
    )
    .unwrap();
    symlink(
        outside.path("ignore"),
        workspace.path("linked-ignore/.dockerignore"),
    )
    .unwrap();
    symlink(
        workspace.path("shared.toml"),
        workspace.path("inside/.stagesmith.toml"),
    )
    .unwrap();
    let outcome = workspace.run(&["check"]);
    let outside_root = outside.root.display().to_string();
    let inside_root = workspace.root.display().to_string();
    expect![[r#"
        exit: Some(2)
        --- stdout
        no problems in 1 file
        --- stderr
        error: cannot read linked-config/.stagesmith.toml: refusing to follow a symlink to OUTSIDE/secret.toml outside the workspace WORKSPACE
        error: linked-config/Dockerfile: not checked because linked-config/.stagesmith.toml could not be used
        error: linked-ignore/Dockerfile: not checked because linked-ignore/.dockerignore cannot be read: refusing to follow a symlink to OUTSIDE/ignore outside the workspace WORKSPACE
    "#]].assert_eq(
        &outcome
            .transcript()
            .replace(&outside_root, "OUTSIDE")
            .replace(&inside_root, "WORKSPACE"),
    );
}

#[test]
fn examples_are_discovered() {
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
    let outcome = Workspace::new(&[]).run(&["check", "--format", "json", examples]);
    assert_ne!(outcome.code, Some(2), "{}", outcome.transcript());
    assert!(
        outcome.stderr.ends_with(" in 5 files\n"),
        "{}",
        outcome.stderr
    );
}
