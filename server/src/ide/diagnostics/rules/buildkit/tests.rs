//! The BuildKit check cases (`buildkit-check-cases.md`, numbered as there), each rule's
//! fixtures (firing and not firing, fixes applied) and the corpus report.

use expect_test::{Expect, expect, expect_file};

use crate::ide::diagnostics::Diagnostic;
use crate::ide::diagnostics::test_support::{
    apply_fix, assert_fixes_resolve, check_rule, lint, render,
};

/// What `rule` reports, fixes checked.
fn check(rule: &str, text: &str, expect: Expect) {
    expect.assert_eq(&check_rule(rule, text, None));
}

fn check_ignored(rule: &str, text: &str, dockerignore: &str, expect: Expect) {
    expect.assert_eq(&check_rule(rule, text, Some(dockerignore)));
}

/// What the BuildKit rules report, every fix checked (the other groups have their own tests).
fn check_all(text: &str, expect: Expect) {
    let found = buildkit_only(lint(text, None));
    assert_fixes_resolve(text, None, &found);
    expect.assert_eq(&render(text, &found));
}

fn buildkit_only(found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    found
        .into_iter()
        .filter(|d| super::RULES.iter().any(|rule| rule.meta.name == d.code))
        .collect()
}

fn check_none(rule: &str, text: &str) {
    assert_eq!(check_rule(rule, text, None), "", "{rule} fired on:\n{text}");
}

#[test]
fn case_01_stage_name_and_from_as_casing() {
    check_all(
        "# warning: stage name should be lowercase\n#\nFROM scratch AS BadStageName\n\n# warning: 'as' should match 'FROM' cmd casing.\n#\nFROM scratch as base2\n\nFROM scratch AS base3\n",
        expect![[r#"
            3:17 "BadStageName" StageNameCasing warning: Stage name 'BadStageName' should be lowercase
              fix Rename stage to 'badstagename'
            7:14 "as" FromAsCasing warning: 'as' and 'FROM' keywords' casing do not match
              fix Write 'AS'
        "#]],
    );
}

#[test]
fn case_02_from_as_casing_lowercase_from() {
    check_all(
        "# warning: 'AS' should match 'from' cmd casing.\n#\nfrom scratch AS base\n\nfrom scratch as base2\n",
        expect![[r#"
            3:14 "AS" FromAsCasing warning: 'AS' and 'from' keywords' casing do not match
              fix Write 'as'
        "#]],
    );
}

#[test]
fn case_03_no_empty_continuation() {
    check_all(
        "FROM scratch\n# warning: empty continuation line\nCOPY Dockerfile \\\n\n.\nCOPY Dockerfile \\\n.\n",
        expect![[r#"
            3:17 "\\" NoEmptyContinuation warning: Empty continuation line
              fix Remove the empty continuation lines
        "#]],
    );
}

#[test]
fn case_04_mixed_case_keyword() {
    check_all(
        "# warning: 'FROM' should be either lowercased or uppercased\n#\nFrom scratch as base\nFROM scratch AS base2\n",
        expect![[r#"
            3:1 "From" ConsistentInstructionCasing warning: Command 'From' should match the case of the command majority (uppercase)
              fix Write 'FROM'
        "#]],
    );
}

#[test]
fn case_05_minority_lowercase() {
    check_all(
        "FROM scratch\n# warning: 'copy' should match command majority's casing (uppercase)\ncopy Dockerfile /foo\nCOPY Dockerfile /bar\n",
        expect![[r#"
            3:1 "copy" ConsistentInstructionCasing warning: Command 'copy' should match the case of the command majority (uppercase)
              fix Write 'COPY'
        "#]],
    );
}

#[test]
fn case_06_majority_lowercase() {
    check_all(
        "# warning: 'frOM' should be either lowercased or uppercased\n#\nfrOM scratch as base\nfrom scratch as base2\n",
        expect![[r#"
            3:1 "frOM" ConsistentInstructionCasing warning: Command 'frOM' should match the case of the command majority (lowercase)
              fix Write 'from'
        "#]],
    );
}

#[test]
fn case_07_minority_uppercase() {
    check_all(
        "from scratch\n# warning: 'COPY' should match command majority's casing (lowercase)\nCOPY Dockerfile /foo\ncopy Dockerfile /bar\n",
        expect![[r#"
            3:1 "COPY" ConsistentInstructionCasing warning: Command 'COPY' should match the case of the command majority (lowercase)
              fix Write 'copy'
        "#]],
    );
}

#[test]
fn case_08_only_from_differs() {
    check_all(
        "# warning: 'from' should match command majority's casing (uppercase)\n#\nfrom scratch\nCOPY Dockerfile /foo\nCOPY Dockerfile /bar\nCOPY Dockerfile /baz\n",
        expect![[r#"
            3:1 "from" ConsistentInstructionCasing warning: Command 'from' should match the case of the command majority (uppercase)
              fix Write 'FROM'
        "#]],
    );
    check_all(
        "FROM scratch\ncopy Dockerfile /foo\ncopy Dockerfile /bar\ncopy Dockerfile /baz\n",
        expect![[r#"
            1:1 "FROM" ConsistentInstructionCasing warning: Command 'FROM' should match the case of the command majority (lowercase)
              fix Write 'from'
        "#]],
    );
}

#[test]
fn case_09_consistent_casing_no_warning() {
    check_none(
        "ConsistentInstructionCasing",
        "from scratch\ncopy Dockerfile /foo\ncopy Dockerfile /bar\n",
    );
    check_none(
        "ConsistentInstructionCasing",
        "FROM scratch\nCOPY Dockerfile /foo\nCOPY Dockerfile /bar\n",
    );
    check_none(
        "ConsistentInstructionCasing",
        "FROM alpine\nRUN <<'EOT'\nenv\nEOT\n",
    );
}

#[test]
fn case_10_duplicate_stage_name() {
    check_all(
        "FROM scratch AS b\nFROM scratch AS b\n",
        expect![[r#"
        2:17 "b" DuplicateStageName warning: Duplicate stage name "b", stage names should be unique
          related 1:17 "b": stage "b" first defined here
    "#]],
    );
    check_none(
        "DuplicateStageName",
        "FROM scratch AS b1\nFROM scratch AS b2\n",
    );
}

#[test]
fn case_11_reserved_stage_name() {
    check_all(
        "FROM scratch AS scratch\nFROM scratch AS context\n",
        expect![[r#"
            1:17 "scratch" ReservedStageName warning: Stage name should not use the same name as reserved stage "scratch"
            2:17 "context" ReservedStageName warning: Stage name should not use the same name as reserved stage "context"
        "#]],
    );
    check_none("ReservedStageName", "FROM scratch\nFROM scratch AS a\n");
}

#[test]
fn case_12_json_args_recommended() {
    check_all(
        "FROM scratch\nCMD mycommand\n",
        expect![[r#"
        2:5 "mycommand" JSONArgsRecommended warning: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals
          fix Use exec form (JSON array)
    "#]],
    );
    check_all(
        "FROM scratch\nENTRYPOINT mycommand\n",
        expect![[r#"
        2:12 "mycommand" JSONArgsRecommended warning: JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals
          fix Use exec form (JSON array)
    "#]],
    );
}

#[test]
fn case_13_json_args_suppressed_by_shell() {
    check_none(
        "JSONArgsRecommended",
        "FROM scratch AS base\nSHELL [\"/usr/bin/customshell\"]\n\nFROM base\nCMD mycommand\n",
    );
    check_none(
        "JSONArgsRecommended",
        "FROM scratch\nSHELL [\"/usr/bin/customshell\"]\nCMD mycommand\n",
    );
    check_none(
        "JSONArgsRecommended",
        "FROM scratch\n# check=skip=JSONArgsRecommended\nCMD mycommand\n",
    );
}

#[test]
fn case_14_maintainer_deprecated() {
    check_all(
        "FROM scratch\nMAINTAINER me@example.org\n",
        expect![[r#"
            2:1 "MAINTAINER" MaintainerDeprecated warning: Maintainer instruction is deprecated in favor of using label
              tag Deprecated
              fix Replace with LABEL org.opencontainers.image.authors
        "#]],
    );
    check_none(
        "MaintainerDeprecated",
        "FROM scratch\nLABEL org.opencontainers.image.authors=\"me@example.org\"\n",
    );
    check_none(
        "MaintainerDeprecated",
        "FROM scratch\n# check=skip=MaintainerDeprecated\nMAINTAINER me@example.org\n",
    );
}

#[test]
fn case_15_warnings_and_errors_together() {
    check_all(
        "FROM scratch AS BadStageName\nMAINTAINER me@example.org\nBADCMD\n",
        expect![[r#"
            1:17 "BadStageName" StageNameCasing warning: Stage name 'BadStageName' should be lowercase
              fix Rename stage to 'badstagename'
            2:1 "MAINTAINER" MaintainerDeprecated warning: Maintainer instruction is deprecated in favor of using label
              tag Deprecated
              fix Replace with LABEL org.opencontainers.image.authors
            3:1 "BADCMD" UnknownInstruction error: unknown instruction: BADCMD
        "#]],
    );
}

#[test]
fn case_16_undefined_arg_in_from_no_false_positives() {
    for text in [
        "ARG base=scratch\nFROM $base\nCOPY Dockerfile .\n",
        "ARG BUILDPLATFORM=linux/amd64\nFROM --platform=$BUILDPLATFORM scratch\nCOPY Dockerfile .\n",
        "FROM --platform=$BUILDPLATFORM scratch\nCOPY Dockerfile .\n",
        "ARG DEBUG\nFROM scratch${DEBUG}\nCOPY Dockerfile .\n",
        "ARG DEBUG\nFROM scra${DEBUG:-tch}\nCOPY Dockerfile .\n",
        "ARG DEBUG=\"\"\nFROM scratch${DEBUG-@bogus}\nCOPY Dockerfile .\n",
    ] {
        check_none("UndefinedArgInFrom", text);
        check_none("InvalidDefaultArgInFrom", text);
    }
}

#[test]
fn case_17_undefined_arg_in_from_predefined_typo() {
    check(
        "UndefinedArgInFrom",
        "FROM --platform=$BULIDPLATFORM scratch\nCOPY Dockerfile .\n",
        expect![[r#"
            1:18 "BULIDPLATFORM" UndefinedArgInFrom warning: FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)
        "#]],
    );
}

#[test]
fn case_18_undefined_arg_in_from_declared_suggestion() {
    check(
        "UndefinedArgInFrom",
        "ARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\nCOPY Dockerfile .\n",
        expect![[r#"
            3:25 "MYARCH" UndefinedArgInFrom warning: FROM argument 'MYARCH' is not declared (did you mean MY_ARCH?)
        "#]],
    );
}

#[test]
fn case_19_undefined_arg_in_from_no_suggestion() {
    check(
        "UndefinedArgInFrom",
        "ARG tag=latest\nFROM busybox:${tag}${version} AS b\nCOPY Dockerfile .\n",
        expect![[r#"
            2:22 "version" UndefinedArgInFrom warning: FROM argument 'version' is not declared
        "#]],
    );
}

#[test]
fn case_20_workdir_relative_path() {
    check(
        "WorkdirRelativePath",
        "FROM scratch\nWORKDIR app/\n",
        expect![[r#"
            2:9 "app/" WorkdirRelativePath warning: Relative workdir "app/" can have unexpected results if the base image changes
        "#]],
    );
    check_none(
        "WorkdirRelativePath",
        "FROM scratch AS a\nWORKDIR /app\n\nFROM a AS b\nWORKDIR subdir/\n",
    );
    check_none(
        "WorkdirRelativePath",
        "FROM scratch\n# check=skip=WorkdirRelativePath\nWORKDIR app/\n",
    );
}

#[test]
fn case_21_undefined_var_no_false_positives() {
    for text in [
        "FROM scratch\nARG foo\nCOPY Dockerfile${foo} .\n",
        "FROM alpine AS base\nARG foo=Dockerfile\n\nFROM base\nCOPY $foo .\n",
        "FROM alpine\nRUN echo $PATH\n",
    ] {
        check_none("UndefinedVar", text);
    }
}

#[test]
fn case_22_undefined_var_before_its_arg() {
    check(
        "UndefinedVar",
        "FROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n",
        expect![[r#"
            2:7 "foo" UndefinedVar warning: Usage of undefined variable '$foo'
        "#]],
    );
}

#[test]
fn case_23_undefined_var_with_suggestion() {
    check(
        "UndefinedVar",
        "FROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\nARG DIR_CONFIG=config/\nCOPY $DIR_ASSET .\n",
        expect![[r#"
            5:7 "DIR_ASSET" UndefinedVar warning: Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)
              fix Change to $DIR_ASSETS
        "#]],
    );
}

#[test]
fn case_24_undefined_var_image_environment_suggestion() {
    check(
        "UndefinedVar",
        "FROM alpine\nENV PATH=$PAHT:/tmp/bin\n",
        expect![[r#"
            2:11 "PAHT" UndefinedVar warning: Usage of undefined variable '$PAHT' (did you mean $PATH?)
              fix Change to $PATH
        "#]],
    );
}

#[test]
fn case_25_undefined_var_in_every_stage() {
    check(
        "UndefinedVar",
        "FROM scratch AS first\nCOPY $foo .\n\nFROM scratch AS second\nCOPY $bar .\n",
        expect![[r#"
            2:7 "foo" UndefinedVar warning: Usage of undefined variable '$foo'
            5:7 "bar" UndefinedVar warning: Usage of undefined variable '$bar'
        "#]],
    );
}

#[test]
fn case_26_multiple_instructions_disallowed() {
    check(
        "MultipleInstructionsDisallowed",
        "FROM scratch\nENTRYPOINT [\"/myapp\"]\nENTRYPOINT [\"/myotherapp\"]\nCMD [\"/myapp\"]\nCMD [\"/myotherapp\"]\nHEALTHCHECK CMD [\"/myapp\"]\nHEALTHCHECK CMD [\"/myotherapp\"]\n",
        expect![[r#"
            2:1 "ENTRYPOINT" MultipleInstructionsDisallowed warning: Multiple ENTRYPOINT instructions should not be used in the same stage because only the last one will be used
              related 3:1 "ENTRYPOINT": the ENTRYPOINT that takes effect
              tag Unnecessary
              fix Remove the overridden ENTRYPOINT
            4:1 "CMD" MultipleInstructionsDisallowed warning: Multiple CMD instructions should not be used in the same stage because only the last one will be used
              related 5:1 "CMD": the CMD that takes effect
              tag Unnecessary
              fix Remove the overridden CMD
            6:1 "HEALTHCHECK" MultipleInstructionsDisallowed warning: Multiple HEALTHCHECK instructions should not be used in the same stage because only the last one will be used
              related 7:1 "HEALTHCHECK": the HEALTHCHECK that takes effect
              tag Unnecessary
              fix Remove the overridden HEALTHCHECK
        "#]],
    );
}

#[test]
fn case_27_multiple_instructions_across_heredocs_and_stages() {
    check(
        "MultipleInstructionsDisallowed",
        "FROM scratch\nENTRYPOINT [\"/myapp\"]\nCMD [\"/myapp\"]\nHEALTHCHECK CMD [\"/myapp\"]\nCOPY <<EOF /a.txt\nHello, World!\nEOF\nENTRYPOINT [\"/myotherapp\"]\nCMD [\"/myotherapp\"]\nHEALTHCHECK CMD [\"/myotherapp\"]\n",
        expect![[r#"
            2:1 "ENTRYPOINT" MultipleInstructionsDisallowed warning: Multiple ENTRYPOINT instructions should not be used in the same stage because only the last one will be used
              related 8:1 "ENTRYPOINT": the ENTRYPOINT that takes effect
              tag Unnecessary
              fix Remove the overridden ENTRYPOINT
            3:1 "CMD" MultipleInstructionsDisallowed warning: Multiple CMD instructions should not be used in the same stage because only the last one will be used
              related 9:1 "CMD": the CMD that takes effect
              tag Unnecessary
              fix Remove the overridden CMD
            4:1 "HEALTHCHECK" MultipleInstructionsDisallowed warning: Multiple HEALTHCHECK instructions should not be used in the same stage because only the last one will be used
              related 10:1 "HEALTHCHECK": the HEALTHCHECK that takes effect
              tag Unnecessary
              fix Remove the overridden HEALTHCHECK
        "#]],
    );
    check_none(
        "MultipleInstructionsDisallowed",
        "FROM scratch AS a\nENTRYPOINT [\"/myapp\"]\nCMD [\"/myapp\"]\nFROM a AS b\nENTRYPOINT [\"/myotherapp\"]\nCMD [\"/myotherapp\"]\n",
    );
}

#[test]
fn case_28_legacy_key_value_format() {
    check(
        "LegacyKeyValueFormat",
        "FROM scratch\nENV testkey value\nLABEL key value\n",
        expect![[r#"
            2:5 "testkey value" LegacyKeyValueFormat warning: "ENV key=value" should be used instead of legacy "ENV key value" format
              fix Use ENV testkey=value
            3:7 "key value" LegacyKeyValueFormat warning: "LABEL key=value" should be used instead of legacy "LABEL key value" format
              fix Use LABEL key=value
        "#]],
    );
    check_none(
        "LegacyKeyValueFormat",
        "FROM scratch\nENV testkey=value\nLABEL key=value\n",
    );
    check_none(
        "LegacyKeyValueFormat",
        "FROM scratch\n# check=skip=LegacyKeyValueFormat\nENV testkey value\n# check=skip=LegacyKeyValueFormat\nLABEL key value\n",
    );
    check(
        "LegacyKeyValueFormat",
        "FROM scratch AS a\nFROM a AS b\nENV testkey value\nLABEL key value\nFROM a AS c\n",
        expect![[r#"
            3:5 "testkey value" LegacyKeyValueFormat warning: "ENV key=value" should be used instead of legacy "ENV key value" format
              fix Use ENV testkey=value
            4:7 "key value" LegacyKeyValueFormat warning: "LABEL key=value" should be used instead of legacy "LABEL key value" format
              fix Use LABEL key=value
        "#]],
    );
}

#[test]
fn case_29_redundant_target_platform() {
    check(
        "RedundantTargetPlatform",
        "FROM --platform=$TARGETPLATFORM scratch\n",
        expect![[r#"
            1:6 "--platform=$TARGETPLATFORM" RedundantTargetPlatform warning: Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior
              fix Remove --platform
        "#]],
    );
    check(
        "RedundantTargetPlatform",
        "FROM --platform=${TARGETPLATFORM} scratch\n",
        expect![[r#"
            1:6 "--platform=${TARGETPLATFORM}" RedundantTargetPlatform warning: Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the default behavior
              fix Remove --platform
        "#]],
    );
    check_none(
        "RedundantTargetPlatform",
        "# check=skip=RedundantTargetPlatform\nFROM --platform=$TARGETPLATFORM scratch\n",
    );
}

#[test]
fn case_30_invalid_default_arg_in_from() {
    check(
        "InvalidDefaultArgInFrom",
        "ARG VERSION\nFROM busybox:$VERSION\n",
        expect![[r#"
            2:6 "busybox:$VERSION" InvalidDefaultArgInFrom warning: Default value for ARG busybox:$VERSION results in empty or invalid base image name
        "#]],
    );
    check(
        "InvalidDefaultArgInFrom",
        "ARG IMAGE\nFROM $IMAGE\n",
        expect![[r#"
            2:6 "$IMAGE" InvalidDefaultArgInFrom warning: Default value for ARG $IMAGE results in empty or invalid base image name
        "#]],
    );
    check(
        "InvalidDefaultArgInFrom",
        "ARG SFX=\"box:\"\nFROM busy${SFX}\n",
        expect![[r#"
            2:6 "busy${SFX}" InvalidDefaultArgInFrom warning: Default value for ARG busy${SFX} results in empty or invalid base image name
        "#]],
    );
    for text in [
        "ARG VERSION=\"latest\"\nFROM busybox:${VERSION}\n",
        "ARG BUSYBOX_VARIANT=\"\"\nFROM busybox:stable${BUSYBOX_VARIANT}\n",
        "ARG BUSYBOX_VARIANT\nFROM busybox:stable${BUSYBOX_VARIANT}\n",
        "FROM --platform=$BUILDPLATFORM golang:1.23-${TARGETARCH}\n",
    ] {
        check_none("InvalidDefaultArgInFrom", text);
    }
}

#[test]
fn case_31_from_platform_flag_const_disallowed() {
    check(
        "FromPlatformFlagConstDisallowed",
        "FROM --platform=linux/amd64 scratch\n",
        expect![[r#"
            1:17 "linux/amd64" FromPlatformFlagConstDisallowed warning: FROM --platform flag should not use constant value "linux/amd64"
        "#]],
    );
    check_none(
        "FromPlatformFlagConstDisallowed",
        "FROM --platform=linux/amd64 scratch AS my_amd64_stage\n",
    );
    check_none(
        "FromPlatformFlagConstDisallowed",
        "FROM --platform=linux/amd64 scratch AS linux\n",
    );
}

#[test]
fn case_32_expose_proto_casing() {
    check(
        "ExposeProtoCasing",
        "FROM scratch\nEXPOSE 80/TcP 8080/TCP 8080/udp\n",
        expect![[r#"
            2:8 "80/TcP" ExposeProtoCasing warning: Defined protocol '80/TcP' in EXPOSE instruction should be lowercase
              fix Write '80/tcp'
            2:15 "8080/TCP" ExposeProtoCasing warning: Defined protocol '8080/TCP' in EXPOSE instruction should be lowercase
              fix Write '8080/tcp'
        "#]],
    );
}

#[test]
fn case_33_expose_invalid_format() {
    check(
        "ExposeInvalidFormat",
        "FROM scratch\nEXPOSE 127.0.0.1:80:80 [::1]:8080:8080 5000:5000 8000\n",
        expect![[r#"
            2:8 "127.0.0.1:80:80" ExposeInvalidFormat warning: EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'
              fix Expose only the container port '80'
            2:24 "[::1]:8080:8080" ExposeInvalidFormat warning: EXPOSE instruction should not define an IP address or host-port mapping, found '[::1]:8080:8080'
              fix Expose only the container port '8080'
            2:40 "5000:5000" ExposeInvalidFormat warning: EXPOSE instruction should not define an IP address or host-port mapping, found '5000:5000'
              fix Expose only the container port '5000'
        "#]],
    );
}

#[test]
fn case_34_secrets_used_in_arg_or_env() {
    check(
        "SecretsUsedInArgOrEnv",
        r#"# check=skip=InvalidDefinitionDescription

FROM scratch
ARG SECRET_PASSPHRASE
ENV SUPER_Secret=foo
ENV password=bar secret=baz
ARG super_duper_secret_token=foo auth=bar
ENV apikey=bar sunflower=foo
ENV git_key=
ENV PUBLIC_KEY=
ARG public_token
ARG SECRET_PASSPHRASE_FILE
ENV password_file=bar secret_File=baz
ARG AUTH_MODULE_VERSION
# check=skip=SecretsUsedInArgOrEnv // allow secret in environment
ENV password=bar
# check=skip=SecretsUsedInArgOrEnv // allow secret in arg
ARG password
# check=skip=all // is local to only this instruction
ENV alternate_password=bar
# check=skip=all // is local to only this instruction
ARG alternate_password
"#,
        expect![[r#"
            4:5 "SECRET_PASSPHRASE" SecretsUsedInArgOrEnv warning: Do not use ARG or ENV instructions for sensitive data (ARG "SECRET_PASSPHRASE")
            5:5 "SUPER_Secret" SecretsUsedInArgOrEnv warning: Do not use ARG or ENV instructions for sensitive data (ENV "SUPER_Secret")
            6:5 "password" SecretsUsedInArgOrEnv warning: Do not use ARG or ENV instructions for sensitive data (ENV "password")
            6:18 "secret" SecretsUsedInArgOrEnv warning: Do not use ARG or ENV instructions for sensitive data (ENV "secret")
            7:5 "super_duper_secret_token" SecretsUsedInArgOrEnv warning: Do not use ARG or ENV instructions for sensitive data (ARG "super_duper_secret_token")
            7:34 "auth" SecretsUsedInArgOrEnv warning: Do not use ARG or ENV instructions for sensitive data (ARG "auth")
            8:5 "apikey" SecretsUsedInArgOrEnv warning: Do not use ARG or ENV instructions for sensitive data (ENV "apikey")
            9:5 "git_key" SecretsUsedInArgOrEnv warning: Do not use ARG or ENV instructions for sensitive data (ENV "git_key")
        "#]],
    );
}

#[test]
fn case_35_copy_ignored_file() {
    let text = "FROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n";
    check_ignored(
        "CopyIgnoredFile",
        text,
        "Dockerfile",
        expect![[r#"
        2:6 "Dockerfile" CopyIgnoredFile warning: Attempting to Copy file "Dockerfile" that is excluded by .dockerignore
        3:5 "Dockerfile" CopyIgnoredFile warning: Attempting to Add file "Dockerfile" that is excluded by .dockerignore
    "#]],
    );
    assert_eq!(
        check_rule(
            "CopyIgnoredFile",
            &format!("# check=skip=CopyIgnoredFile\n{text}"),
            Some("Dockerfile")
        ),
        ""
    );
    let quiet = [
        (
            "FROM scratch AS base\nFROM scratch\nCOPY --from=base /foobar /Dockerfile\n",
            "foobar",
        ),
        ("FROM scratch\nCOPY ./Dockerfile .\n", "**\n!Dockerfile"),
        ("FROM scratch\nCOPY . .\n", "**\n!Dockerfile"),
        ("FROM scratch\nCOPY . .\n", ".*"),
    ];
    for (text, ignore) in quiet {
        assert_eq!(
            check_rule("CopyIgnoredFile", text, Some(ignore)),
            "",
            "{text} with {ignore}"
        );
    }
    check_ignored(
        "CopyIgnoredFile",
        "FROM scratch\nCOPY . .\n",
        "*",
        expect![[r#"
            2:6 "." CopyIgnoredFile warning: Attempting to Copy file "." that is excluded by .dockerignore
        "#]],
    );
}

#[test]
fn case_36_invalid_definition_description() {
    check_all(
        "# check=experimental=InvalidDefinitionDescription\n# bar this is the bar\nARG foo=bar\n# BasE this is the BasE image\nFROM scratch AS base\n# definitely a bad comment\nARG version=latest\n# definitely a bad comment\nARG foo=baz bar=qux baz=quux\n",
        expect![[r##"
            2:1 "# bar this is the bar" InvalidDefinitionDescription warning: Comment for ARG should follow the format: `# foo <description>`
            4:1 "# BasE this is the BasE image" InvalidDefinitionDescription warning: Comment for FROM should follow the format: `# base <description>`
            6:1 "# definitely a bad comment" InvalidDefinitionDescription warning: Comment for ARG should follow the format: `# version <description>`
            8:1 "# definitely a bad comment" InvalidDefinitionDescription warning: Comment for ARG should follow the format: `# <arg_key> <description>`
        "##]],
    );
    let good = "# check=experimental=InvalidDefinitionDescription\n# foo this is the foo\nARG foo=bar\n# base this is the base image\nFROM scratch AS base\n# a comment\n#\nARG version=latest\n# a comment\nCOPY . .\n";
    check_none("InvalidDefinitionDescription", good);
    check_none(
        "InvalidDefinitionDescription",
        "# bar this is the bar\nARG foo=bar\nFROM scratch\n",
    );
}

#[test]
fn case_37_check_directive() {
    let body = "FROM scratch as base\ncopy Dockerfile .\n";
    let with = |directive: &str| render_all(&format!("{directive}\n{body}"));
    assert_eq!(with("#check=skip=all"), "");
    assert_eq!(with("#check=skip=all;error=true"), "");
    assert_eq!(
        with("#check=skip=ConsistentInstructionCasing,FromAsCasing"),
        ""
    );
    assert_eq!(
        with("#check=skip=ConsistentInstructionCasing,FromAsCasing;error=true"),
        ""
    );
    expect![[r#"
        2:14 "as" FromAsCasing warning: 'as' and 'FROM' keywords' casing do not match
          fix Write 'AS'
    "#]]
    .assert_eq(&with("#check=skip=ConsistentInstructionCasing"));
    expect![[r#"
        2:14 "as" FromAsCasing error: 'as' and 'FROM' keywords' casing do not match
          fix Write 'AS'
    "#]]
    .assert_eq(&with("#check=skip=ConsistentInstructionCasing;error=true"));
}

fn render_all(text: &str) -> String {
    render(text, &buildkit_only(lint(text, None)))
}

// Rule group 1: BuildKit's hard errors.

#[test]
fn syntax_errors_have_their_own_codes_once() {
    check_all(
        "# syntax=docker/dockerfile:1\n# syntax=docker/dockerfile:1.7\n# escape=^\nFROM alpine\nENV DEBUG\nLABEL a=1 stable\nCMD [\"sleep\", 10]\nRUN <<EOF\necho\n",
        expect![[r##"
            2:1 "# syntax=docker/dockerfile:1.7" DuplicateDirective error: only one syntax parser directive can be used
            3:10 "^" InvalidEscapeToken error: invalid escape token '^' does not match ` or \
            5:5 "DEBUG" InvalidKeyValue error: ENV must have two arguments
            6:11 "stable" InvalidKeyValue error: Syntax error - can't find = in "stable". Must be of the form: name=value
            7:5 "[\"sleep\", 10]" InvalidJsonArray error: when using JSON array syntax, arrays must be comprised of strings only
            7:5 "[\"sleep\", 10]" JSONArgsRecommended warning: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals
            8:5 "<<EOF" UnterminatedHeredoc error: unterminated heredoc
        "##]],
    );
    check_all(
        "# only a comment\n",
        expect![[r#"
        2:1 "" EmptyFile error: file with no instructions
    "#]],
    );
}

#[test]
fn unknown_instruction_suggests() {
    check(
        "UnknownInstruction",
        "FROM alpine\nRUNN apk add curl\ncopyy . .\nFOOBAR\n",
        expect![[r#"
            2:1 "RUNN" UnknownInstruction error: unknown instruction: RUNN (did you mean run?)
              fix Change to RUN
            3:1 "copyy" UnknownInstruction error: unknown instruction: copyy (did you mean copy?)
              fix Change to copy
            4:1 "FOOBAR" UnknownInstruction error: unknown instruction: FOOBAR
        "#]],
    );
    assert_eq!(
        apply_fix("FROM alpine\nRUNN apk add curl\n", None, "Change to RUN"),
        "FROM alpine\nRUN apk add curl\n"
    );
}

#[test]
fn from_arguments_and_stage_names() {
    check_all(
        "FROM golang:1.23 builder\nFROM\nFROM node:22 AS 2-build\nFROM node:22 AS web$app\nFROM node:22 AS Good.Name_1\n",
        expect![[r#"
            1:6 "golang:1.23 builder" FromArgumentCount error: FROM requires either one or three arguments
            2:1 "FROM" FromArgumentCount error: FROM requires either one or three arguments
            3:17 "2-build" InvalidStageName error: invalid name for build stage: "2-build", name can't start with a number or contain symbols
            4:17 "web$app" InvalidStageName error: invalid name for build stage: "web$app", name can't start with a number or contain symbols
            5:17 "Good.Name_1" StageNameCasing warning: Stage name 'Good.Name_1' should be lowercase
              fix Rename stage to 'good.name_1'
        "#]],
    );
}

#[test]
fn instructions_before_from() {
    check(
        "InstructionBeforeFrom",
        "ARG V=1\nENV A=b\nRUN true\nFROM alpine\n",
        expect![[r#"
            2:1 "ENV" InstructionBeforeFrom error: no build stage in current context
            3:1 "RUN" InstructionBeforeFrom error: no build stage in current context
        "#]],
    );
}

#[test]
fn stage_references() {
    check(
        "InvalidStageReference",
        r#"FROM alpine AS app
COPY --from=build /out /app
COPY --from=app /a /b
COPY --from=7 /a /b
COPY --from=$STAGE /a /b
RUN --mount=type=cache,from=build,target=/cache true
RUN --mount=from=${X},target=/x true
FROM golang:1.23 AS build
COPY --from=0 /a /b
COPY --from=app /a /b
FROM Build AS final
"#,
        expect![[r#"
            2:13 "build" InvalidStageReference error: circular dependency detected on stage: build
              related 8:21 "build": stage "build" is defined here
            3:13 "app" InvalidStageReference error: circular dependency detected on stage: app
            4:13 "7" InvalidStageReference error: invalid stage index 7
            5:13 "$STAGE" InvalidStageReference error: variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround
            6:29 "build" InvalidStageReference error: circular dependency detected on stage: build
              related 8:21 "build": stage "build" is defined here
            11:6 "Build" InvalidStageReference error: invalid reference format: repository name must be lowercase (did you mean stage "build"?)
              related 8:21 "build": stage "build" is defined here
              fix Change to build
        "#]],
    );
}

#[test]
fn onbuild_shell_and_healthcheck() {
    check_all(
        "FROM alpine\nONBUILD ONBUILD RUN true\nONBUILD FROM alpine\nONBUILD MAINTAINER me\nONBUILD RUN true\nSHELL /bin/bash -c\nSHELL [\"/bin/bash\", \"-c\"]\nHEALTHCHECK curl -f http://localhost/\nHEALTHCHECK CMD\nHEALTHCHECK NONE --x\nHEALTHCHECK CMD curl -f http://localhost/\n",
        expect![[r#"
            2:9 "ONBUILD" InvalidOnbuildTrigger error: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed
            3:9 "FROM" InvalidOnbuildTrigger error: FROM isn't allowed as an ONBUILD trigger
            4:9 "MAINTAINER" InvalidOnbuildTrigger error: MAINTAINER isn't allowed as an ONBUILD trigger
            6:7 "/bin/bash -c" ShellNotJson error: SHELL requires the arguments to be in JSON form
            8:1 "HEALTHCHECK" MultipleInstructionsDisallowed warning: Multiple HEALTHCHECK instructions should not be used in the same stage because only the last one will be used
              related 11:1 "HEALTHCHECK": the HEALTHCHECK that takes effect
              tag Unnecessary
              fix Remove the overridden HEALTHCHECK
            8:13 "curl" InvalidHealthcheck error: Unknown type "CURL" in HEALTHCHECK (try CMD)
            9:1 "HEALTHCHECK" MultipleInstructionsDisallowed warning: Multiple HEALTHCHECK instructions should not be used in the same stage because only the last one will be used
              related 11:1 "HEALTHCHECK": the HEALTHCHECK that takes effect
              tag Unnecessary
              fix Remove the overridden HEALTHCHECK
            9:13 "CMD" InvalidHealthcheck error: Missing command after HEALTHCHECK CMD
            10:1 "HEALTHCHECK" MultipleInstructionsDisallowed warning: Multiple HEALTHCHECK instructions should not be used in the same stage because only the last one will be used
              related 11:1 "HEALTHCHECK": the HEALTHCHECK that takes effect
              tag Unnecessary
              fix Remove the overridden HEALTHCHECK
            10:13 "NONE" InvalidHealthcheck error: HEALTHCHECK NONE takes no arguments
        "#]],
    );
}

// Rule group 2: fixes and ranges beyond the upstream cases.

#[test]
fn stage_name_casing_renames_everywhere() {
    let text = "FROM alpine AS BuildBase\nFROM BuildBase AS app\nCOPY --from=BUILDBASE /a /b\nRUN --mount=from=buildbase,target=/x true\n";
    check(
        "StageNameCasing",
        text,
        expect![[r#"
        1:16 "BuildBase" StageNameCasing warning: Stage name 'BuildBase' should be lowercase
          fix Rename stage to 'buildbase'
    "#]],
    );
    expect![[r#"
        FROM alpine AS buildbase
        FROM buildbase AS app
        COPY --from=buildbase /a /b
        RUN --mount=from=buildbase,target=/x true
    "#]]
    .assert_eq(&apply_fix(text, None, "Rename stage to 'buildbase'"));
}

#[test]
fn json_args_fix_only_for_plain_commands() {
    check(
        "JSONArgsRecommended",
        "FROM alpine\nCMD node \"server file.js\" --port 80\nENTRYPOINT ./run.sh && echo done\n",
        expect![[r#"
            2:5 "node \"server file.js\" --port 80" JSONArgsRecommended warning: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals
              fix Use exec form (JSON array)
            3:12 "./run.sh && echo done" JSONArgsRecommended warning: JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals
        "#]],
    );
    expect![[r#"
        FROM alpine
        CMD ["node", "server file.js", "--port", "80"]
    "#]]
    .assert_eq(&apply_fix(
        "FROM alpine\nCMD node \"server file.js\" --port 80\n",
        None,
        "Use exec form (JSON array)",
    ));
}

#[test]
fn maintainer_becomes_a_label() {
    expect![[r#"
        FROM alpine
        LABEL org.opencontainers.image.authors="Jane \"JD\" Doe <jane@example.org>"
    "#]]
    .assert_eq(&apply_fix(
        "FROM alpine\nMAINTAINER Jane \"JD\" Doe <jane@example.org>\n",
        None,
        "Replace with LABEL org.opencontainers.image.authors",
    ));
}

#[test]
fn legacy_key_value_fixes() {
    check(
        "LegacyKeyValueFormat",
        "FROM alpine\nENV DEPS curl git\nENV ONE two\nLABEL quoted \"a b\"\nONBUILD ENV X y\n",
        expect![[r#"
            2:5 "DEPS curl git" LegacyKeyValueFormat warning: "ENV key=value" should be used instead of legacy "ENV key value" format
              fix Use ENV DEPS="curl git"
            3:5 "ONE two" LegacyKeyValueFormat warning: "ENV key=value" should be used instead of legacy "ENV key value" format
              fix Use ENV ONE=two
            4:7 "quoted \"a b\"" LegacyKeyValueFormat warning: "LABEL key=value" should be used instead of legacy "LABEL key value" format
            5:13 "X y" LegacyKeyValueFormat warning: "ENV key=value" should be used instead of legacy "ENV key value" format
              fix Use ENV X=y
        "#]],
    );
}

#[test]
fn redundant_platform_is_removed() {
    expect![[r#"
        FROM alpine AS x
    "#]]
    .assert_eq(&apply_fix(
        "FROM --platform=$TARGETPLATFORM alpine AS x\n",
        None,
        "Remove --platform",
    ));
}

#[test]
fn undefined_var_declares_global_args() {
    let text = "ARG APP_DIR=/app\nFROM alpine\nWORKDIR $APP_DIR\n";
    check(
        "UndefinedVar",
        text,
        expect![[r#"
        3:10 "APP_DIR" UndefinedVar warning: Usage of undefined variable '$APP_DIR'
          fix Declare the global ARG APP_DIR in this stage
    "#]],
    );
    expect![[r#"
        ARG APP_DIR=/app
        FROM alpine
        ARG APP_DIR
        WORKDIR $APP_DIR
    "#]]
    .assert_eq(&apply_fix(
        text,
        None,
        "Declare the global ARG APP_DIR in this stage",
    ));
}

#[test]
fn undefined_var_stays_quiet_where_an_image_could_define_it() {
    for text in [
        "FROM node:22\nENV V=$NODE_VERSION\n",
        "FROM python:3.13\nARG PYTHON_VERSIONS=1\nENV V=$PYTHON_VERSION\n",
        "FROM golang:1.23\nWORKDIR $GOPATH/src\n",
        "FROM alpine\nCMD echo $UNDEFINED\n",
        "FROM alpine\nRUN echo $UNDEFINED\n",
        "FROM alpine\nCOPY ${UNDEFINED:-x} .\n",
        "ARG TARGETARCH\nFROM alpine\nCOPY $TARGETARCH .\n",
    ] {
        check_none("UndefinedVar", text);
    }
    check(
        "UndefinedVar",
        "FROM node:22\nARG BUILD_DIR=dist\nCOPY $BUILD_DIRR /app\n",
        expect![[r#"
            3:7 "BUILD_DIRR" UndefinedVar warning: Usage of undefined variable '$BUILD_DIRR' (did you mean $BUILD_DIR?)
              fix Change to $BUILD_DIR
        "#]],
    );
}

#[test]
fn workdir_variants() {
    for text in [
        "FROM alpine\nWORKDIR /app\nWORKDIR sub\n",
        "FROM alpine\nWORKDIR $HOME/app\n",
        "FROM mcr.microsoft.com/windows/nanoserver\nWORKDIR C:\\\\app\n",
    ] {
        check_none("WorkdirRelativePath", text);
    }
}

#[test]
fn expose_fixes() {
    expect![[r#"
        FROM alpine
        EXPOSE 80/TCP
    "#]]
    .assert_eq(&apply_fix(
        "FROM alpine\nEXPOSE 8080:80/TCP\n",
        None,
        "Expose only the container port '80/TCP'",
    ));
}

#[test]
fn empty_continuation_fix_removes_the_lines() {
    expect![[r#"
        FROM alpine
        RUN apk add \
            curl \
            git
    "#]]
    .assert_eq(&apply_fix(
        "FROM alpine\nRUN apk add \\\n\n    curl \\\n   \n    git\n",
        None,
        "Remove the empty continuation lines",
    ));
}

#[test]
fn multiple_instructions_fix_removes_the_earlier_one() {
    expect![[r#"
        FROM alpine
        CMD ["b"]
    "#]]
    .assert_eq(&apply_fix(
        "FROM alpine\nCMD [\"a\"]\nCMD [\"b\"]\n",
        None,
        "Remove the overridden CMD",
    ));
}

#[test]
fn secrets_in_global_args() {
    check(
        "SecretsUsedInArgOrEnv",
        "ARG GITHUB_TOKEN\nFROM alpine\nARG NPM_AUTH_TOKEN\nENV KEYBOARD=us\n",
        expect![[r#"
            1:5 "GITHUB_TOKEN" SecretsUsedInArgOrEnv warning: Do not use ARG or ENV instructions for sensitive data (ARG "GITHUB_TOKEN")
            3:5 "NPM_AUTH_TOKEN" SecretsUsedInArgOrEnv warning: Do not use ARG or ENV instructions for sensitive data (ARG "NPM_AUTH_TOKEN")
        "#]],
    );
}

#[test]
fn copy_ignored_file_variants() {
    check_ignored(
        "CopyIgnoredFile",
        "FROM alpine\nCOPY [\"node_modules/x\", \"src\", \"/app/\"]\nCOPY $SRC /x\nADD https://example.org/a.tgz /x\nCOPY <<EOF /x\nhi\nEOF\nCOPY ./src/../secret.env /x\n",
        "node_modules\n*.env\n",
        expect![[r#"
            2:7 "\"node_modules/x\"" CopyIgnoredFile warning: Attempting to Copy file "node_modules/x" that is excluded by .dockerignore
            8:6 "./src/../secret.env" CopyIgnoredFile warning: Attempting to Copy file "secret.env" that is excluded by .dockerignore
        "#]],
    );
}

/// The BuildKit rules over the real-world corpus: per-rule counts, and every fix offered there
/// applied and checked.
#[test]
fn corpus_counts() {
    let paths = crate::test_corpus::real_files();
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for path in &paths {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let found = buildkit_only(lint(&text, None));
        assert_fixes_resolve(&text, None, &found);
        for diagnostic in found {
            *counts.entry(diagnostic.code).or_default() += 1;
        }
    }
    let report: String = counts
        .iter()
        .map(|(code, count)| format!("{code}: {count}\n"))
        .collect();
    expect_file!["corpus_counts.txt"].assert_eq(&format!("files: {}\n{report}", paths.len()));
}

#[test]
fn flags_and_mounts() {
    check_all(
        "FROM --platfrom=linux/amd64 alpine\nCOPY --chwon=app:app --link=maybe . /app\nENV --x=1 A=b\nHEALTHCHECK --interval=30 --retries=x CMD true\nRUN --mount=type=cahce,target=/x true\nRUN --mount=type=cache,traget=/root/.cache true\nRUN --mount=type=bind,from=$X,target=/x true\nRUN --network=hosts true\n",
        expect![[r#"
            1:6 "--platfrom" InvalidFlag error: unknown flag: --platfrom (did you mean platform?)
              fix Change to --platform
            2:6 "--chwon" InvalidFlag error: unknown flag: --chwon (did you mean chown?)
              fix Change to --chown
            2:29 "maybe" InvalidFlag error: Expecting boolean value for flag link, not: maybe
            3:5 "--x" InvalidFlag error: unknown flag: --x
            4:24 "30" InvalidFlag error: time: missing unit in duration "30"
            4:37 "x" InvalidFlag error: strconv.ParseInt: parsing "x": invalid syntax
            5:18 "cahce" InvalidMount error: unsupported mount type "cahce" (did you mean cache?)
            6:24 "traget" InvalidMount error: unexpected key 'traget' in 'traget=/root/.cache' (did you mean target?)
            7:28 "$X" InvalidMount error: 'from' doesn't support variable expansion, define alias stage instead
            8:15 "hosts" InvalidFlag error: invalid network mode "hosts" (did you mean host?)
        "#]],
    );
}

#[test]
fn invalid_expose() {
    check(
        "InvalidExpose",
        "FROM alpine\nEXPOSE 80/http 8080-80 http 70000 80 8000-8010/udp $PORT 127.0.0.1:80:80/tcp\n",
        expect![[r#"
            2:8 "80/http" InvalidExpose error: invalid proto: http
            2:16 "8080-80" InvalidExpose error: invalid range specified for container port: 8080-80
            2:24 "http" InvalidExpose error: invalid containerPort: http
            2:29 "70000" InvalidExpose error: invalid containerPort: 70000
        "#]],
    );
}
