//! Every BuildKit flag per instruction, with the value it takes and the checks BuildKit applies
//! to it before the build starts.
//!
//! Flag names are case-sensitive, as in BuildKit's `BFlags`: `--Link` is an unknown flag there, so
//! [`flag`] does not find it and [`suggest_flag`] offers `link`.

use crate::syntax::InstructionKind;

use super::{SyntaxVersion, suggest, with_suggestion};

/// How a flag takes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagValueKind {
    /// `--link`, `--link=true` or `--link=false`; `--link=` is an error.
    OptionalBool,
    /// `--name=value`; a bare `--name` is an error.
    Required,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueCheck {
    Text,
    Choice(&'static str),
    Duration,
    Retries,
}

/// One flag of one instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagInfo {
    pub instruction: InstructionKind,
    /// Without the leading `--`.
    pub name: &'static str,
    pub value: FlagValueKind,
    /// The only values BuildKit accepts, when it checks against a fixed list.
    pub allowed_values: &'static [&'static str],
    /// An example value for snippets and hover (`linux/amd64`, `30s`); empty for bool flags.
    pub placeholder: &'static str,
    /// What BuildKit assumes when the flag is absent, if that is worth showing.
    pub default: Option<&'static str>,
    /// May be given several times (`--mount`, `--exclude`, `--device`).
    pub repeatable: bool,
    /// `None` when every Dockerfile frontend knows the flag.
    pub min_syntax: Option<SyntaxVersion>,
    /// One or two sentences in our own words (Markdown).
    pub doc: &'static str,
    check: ValueCheck,
}

impl FlagInfo {
    /// An LSP snippet for completion: `--network=${1|default,none,host|}`, `--link`,
    /// `--platform=${1:linux/amd64}`.
    pub fn snippet(&self) -> String {
        match self.value {
            FlagValueKind::OptionalBool => format!("--{}", self.name),
            FlagValueKind::Required if !self.allowed_values.is_empty() => {
                format!("--{}=${{1|{}|}}", self.name, self.allowed_values.join(","))
            }
            FlagValueKind::Required => format!("--{}=${{1:{}}}", self.name, self.placeholder),
        }
    }

    /// BuildKit's error for this flag written with `value` (`None`: no `=` at all), if the build
    /// would fail on it. Values are checked as written: these flags are not variable-expanded,
    /// except `--platform`, `--chown`, `--chmod` and `--checksum`, whose values are only checked
    /// for presence.
    pub fn check_value(&self, value: Option<&str>) -> Option<String> {
        let name = self.name;
        match (self.value, value) {
            (FlagValueKind::Required, None) => Some(format!("Missing a value on flag: {name}")),
            (FlagValueKind::OptionalBool, None) => None,
            (FlagValueKind::OptionalBool, Some("")) => {
                Some(format!("Missing a value on flag: {name}"))
            }
            (FlagValueKind::OptionalBool, Some(value)) => {
                let lower = value.to_ascii_lowercase();
                (lower != "true" && lower != "false")
                    .then(|| format!("Expecting boolean value for flag {name}, not: {value}"))
            }
            (FlagValueKind::Required, Some(value)) => self.check_required_value(value),
        }
    }

    fn check_required_value(&self, value: &str) -> Option<String> {
        match self.check {
            ValueCheck::Text => None,
            ValueCheck::Choice(message) => (!self.allowed_values.contains(&value)).then(|| {
                with_suggestion(
                    message.replace("{}", &format!("{value:?}")),
                    suggest(value, self.allowed_values.iter().copied()),
                )
            }),
            // An empty value means "not set" to BuildKit.
            ValueCheck::Duration if value.is_empty() => None,
            ValueCheck::Duration => check_interval(self.name, value),
            ValueCheck::Retries if value.is_empty() => None,
            ValueCheck::Retries => check_retries(value),
        }
    }
}

/// The flags `kind` accepts; empty for instructions without flags.
pub fn flags_for(kind: InstructionKind) -> &'static [FlagInfo] {
    match kind {
        InstructionKind::From => &FROM_FLAGS,
        InstructionKind::Run => &RUN_FLAGS,
        InstructionKind::Copy => &COPY_FLAGS,
        InstructionKind::Add => &ADD_FLAGS,
        InstructionKind::Healthcheck => &HEALTHCHECK_FLAGS,
        _ => &[],
    }
}

/// The flag `name` (with or without its leading `--`) of `kind`, compared case-sensitively like
/// BuildKit.
pub fn flag(kind: InstructionKind, name: &str) -> Option<&'static FlagInfo> {
    let name = name.strip_prefix("--").unwrap_or(name);
    flags_for(kind).iter().find(|flag| flag.name == name)
}

/// Did-you-mean for an unknown flag of `kind` (`--chwon` → `chown`, `--Link` → `link`).
pub fn suggest_flag(kind: InstructionKind, name: &str) -> Option<&'static str> {
    let name = name.strip_prefix("--").unwrap_or(name);
    suggest(name, flags_for(kind).iter().map(|flag| flag.name))
}

/// Go's `time.ParseDuration` plus BuildKit's minimum of one millisecond for non-zero intervals.
fn check_interval(name: &str, value: &str) -> Option<String> {
    match go_duration_nanos(value) {
        Err(message) => Some(message),
        Ok(nanos) if nanos != 0.0 && nanos < 1_000_000.0 => {
            Some(format!("Interval {name:?} cannot be less than 1ms"))
        }
        Ok(_) => None,
    }
}

fn check_retries(value: &str) -> Option<String> {
    match value.parse::<i32>() {
        Err(_) => Some(format!(
            "strconv.ParseInt: parsing {value:?}: invalid syntax"
        )),
        Ok(retries) if retries < 0 => Some(format!("--retries cannot be negative ({retries})")),
        Ok(_) => None,
    }
}

/// The duration in nanoseconds, or the error `time.ParseDuration` gives: an optional sign, then
/// one or more `<decimal><unit>` pairs, or a plain `0`.
fn go_duration_nanos(text: &str) -> Result<f64, String> {
    let invalid = || format!("time: invalid duration {text:?}");
    let (sign, mut rest) = match text.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Ok(0.0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_len);
        if number == "." || number.matches('.').count() > 1 {
            return Err(invalid());
        }
        let number: f64 = number.parse().map_err(|_| invalid())?;
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("time: missing unit in duration {text:?}")),
            _ => return Err(format!("time: unknown unit {unit:?} in duration {text:?}")),
        };
        total += number * scale;
        rest = after;
    }
    Ok(sign * total)
}

const fn text_flag(
    instruction: InstructionKind,
    name: &'static str,
    placeholder: &'static str,
    min_syntax: Option<SyntaxVersion>,
    doc: &'static str,
) -> FlagInfo {
    FlagInfo {
        instruction,
        name,
        value: FlagValueKind::Required,
        allowed_values: &[],
        placeholder,
        default: None,
        repeatable: false,
        min_syntax,
        doc,
        check: ValueCheck::Text,
    }
}

const fn bool_flag(
    instruction: InstructionKind,
    name: &'static str,
    min_syntax: SyntaxVersion,
    doc: &'static str,
) -> FlagInfo {
    FlagInfo {
        value: FlagValueKind::OptionalBool,
        default: Some("false"),
        ..text_flag(instruction, name, "", Some(min_syntax), doc)
    }
}

const fn repeatable(flag: FlagInfo) -> FlagInfo {
    FlagInfo {
        repeatable: true,
        ..flag
    }
}

const fn chown_flag(instruction: InstructionKind) -> FlagInfo {
    text_flag(
        instruction,
        "chown",
        "user:group",
        None,
        "Owner of the copied files as `user[:group]` or `uid[:gid]`; names are looked up in the \
         destination image's `/etc/passwd` and `/etc/group`. Without it files belong to root.",
    )
}

const fn chmod_flag(instruction: InstructionKind) -> FlagInfo {
    text_flag(
        instruction,
        "chmod",
        "755",
        Some(SyntaxVersion::new(1, 2)),
        "Permissions of the copied files, in octal (`755`) or, since 1.14, symbolic \
         (`u=rwX,go=rX`) notation.",
    )
}

const fn link_flag(instruction: InstructionKind) -> FlagInfo {
    bool_flag(
        instruction,
        "link",
        SyntaxVersion::new(1, 4),
        "Puts the copied files in an independent layer that does not depend on the layers below, \
         so changing the base image does not invalidate it and the layer can be reused or \
         rebased without rebuilding.",
    )
}

const fn exclude_flag(instruction: InstructionKind) -> FlagInfo {
    repeatable(text_flag(
        instruction,
        "exclude",
        "pattern",
        Some(SyntaxVersion::new(1, 19)),
        "Leaves out sources matching the pattern (`.dockerignore` syntax, `**` allowed). Give the \
         flag once per pattern.",
    ))
}

const fn interval_flag(name: &'static str, default: &'static str, doc: &'static str) -> FlagInfo {
    FlagInfo {
        default: Some(default),
        check: ValueCheck::Duration,
        ..text_flag(InstructionKind::Healthcheck, name, default, None, doc)
    }
}

static FROM_FLAGS: [FlagInfo; 1] = [text_flag(
    InstructionKind::From,
    "platform",
    "linux/amd64",
    None,
    "Builds the stage on the given platform (`os/arch[/variant]`) instead of the target \
     platform. `--platform=$BUILDPLATFORM` makes a stage run natively and cross-compile for \
     `$TARGETPLATFORM`.",
)];

static RUN_FLAGS: [FlagInfo; 4] = [
    repeatable(text_flag(
        InstructionKind::Run,
        "mount",
        "type=cache,target=/root/.cache",
        Some(SyntaxVersion::new(1, 2)),
        "Mounts something for this command only: a cache directory kept between builds, files \
         of another stage, a secret, the SSH agent or a tmpfs. Nothing mounted ends up in the \
         layer. Give the flag once per mount.",
    )),
    FlagInfo {
        allowed_values: &["default", "none", "host"],
        default: Some("default"),
        check: ValueCheck::Choice("invalid network mode {}"),
        ..text_flag(
            InstructionKind::Run,
            "network",
            "none",
            Some(SyntaxVersion::new(1, 3)),
            "The network the command runs in: `default` (the normal build network), `none` (no \
             network, a good guard for steps that must be reproducible) or `host` (needs the \
             `network.host` entitlement).",
        )
    },
    FlagInfo {
        allowed_values: &["sandbox", "insecure"],
        default: Some("sandbox"),
        check: ValueCheck::Choice("security {} is not valid"),
        ..text_flag(
            InstructionKind::Run,
            "security",
            "insecure",
            Some(SyntaxVersion::new(1, 20)),
            "`insecure` runs the command with elevated privileges, like `docker run \
             --privileged`; it needs the `security.insecure` entitlement. `sandbox` is the \
             default.",
        )
    },
    repeatable(text_flag(
        InstructionKind::Run,
        "device",
        "name",
        Some(SyntaxVersion::labs(1, 14)),
        "Gives the command access to a CDI device, written `name[,required]`; the build fails \
         if a required device is missing.",
    )),
];

static COPY_FLAGS: [FlagInfo; 6] = [
    text_flag(
        InstructionKind::Copy,
        "from",
        "builder",
        None,
        "Copies from an earlier stage (by name or index), an image or a named build context \
         instead of the build context. Source paths start at that filesystem's root. Variables \
         are not expanded here.",
    ),
    chown_flag(InstructionKind::Copy),
    chmod_flag(InstructionKind::Copy),
    link_flag(InstructionKind::Copy),
    bool_flag(
        InstructionKind::Copy,
        "parents",
        SyntaxVersion::new(1, 20),
        "Keeps the parent directories of the sources in the destination. A `./` in a source \
         marks where the kept path starts.",
    ),
    exclude_flag(InstructionKind::Copy),
];

static ADD_FLAGS: [FlagInfo; 7] = [
    chown_flag(InstructionKind::Add),
    chmod_flag(InstructionKind::Add),
    link_flag(InstructionKind::Add),
    bool_flag(
        InstructionKind::Add,
        "keep-git-dir",
        SyntaxVersion::new(1, 1),
        "When adding a Git repository, keeps its `.git` directory instead of only the checked-out \
         files.",
    ),
    text_flag(
        InstructionKind::Add,
        "checksum",
        "sha256:",
        Some(SyntaxVersion::new(1, 6)),
        "Verifies a remote source: `sha256:<hex>` for a URL, or a commit SHA (or prefix) for a \
         Git source. The build fails on a mismatch.",
    ),
    FlagInfo {
        default: None,
        ..bool_flag(
            InstructionKind::Add,
            "unpack",
            SyntaxVersion::new(1, 17),
            "Controls whether an archive source is extracted. Local archives are extracted and \
             URLs are not unless this flag says otherwise.",
        )
    },
    exclude_flag(InstructionKind::Add),
];

static HEALTHCHECK_FLAGS: [FlagInfo; 5] = [
    interval_flag(
        "interval",
        "30s",
        "Time between two checks, counted from the end of the previous one.",
    ),
    interval_flag(
        "timeout",
        "30s",
        "How long a single check may run before it counts as failed.",
    ),
    interval_flag(
        "start-period",
        "0s",
        "Grace period after start during which failures do not count towards the retries.",
    ),
    interval_flag(
        "start-interval",
        "5s",
        "Time between checks during the start period (Docker Engine 25 and later).",
    ),
    FlagInfo {
        default: Some("3"),
        check: ValueCheck::Retries,
        ..text_flag(
            InstructionKind::Healthcheck,
            "retries",
            "3",
            None,
            "How many failures in a row mark the container unhealthy.",
        )
    },
];

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    #[test]
    fn table_is_consistent() {
        for kind in InstructionKind::ALL {
            let flags = flags_for(kind);
            for (index, info) in flags.iter().enumerate() {
                assert_eq!(info.instruction, kind, "{}", info.name);
                assert!(
                    flags[..index].iter().all(|other| other.name != info.name),
                    "duplicate {}",
                    info.name
                );
                assert_eq!(flag(kind, info.name), Some(info));
                assert!(!info.doc.is_empty());
                assert_eq!(
                    info.placeholder.is_empty(),
                    info.value == FlagValueKind::OptionalBool,
                    "{}",
                    info.name
                );
                if let Some(default) = info.default.filter(|_| !info.allowed_values.is_empty()) {
                    assert!(info.allowed_values.contains(&default));
                }
            }
        }
    }

    #[test]
    fn all_flags() {
        let listing: String = InstructionKind::ALL
            .into_iter()
            .flat_map(flags_for)
            .map(|info| {
                format!(
                    "{} {} repeatable={} since={} default={:?}\n",
                    info.instruction.name(),
                    info.snippet(),
                    info.repeatable,
                    info.min_syntax
                        .map_or_else(|| "-".to_string(), |version| version.to_string()),
                    info.default,
                )
            })
            .collect();
        expect![[r#"
            ADD --chown=${1:user:group} repeatable=false since=- default=None
            ADD --chmod=${1:755} repeatable=false since=1.2 default=None
            ADD --link repeatable=false since=1.4 default=Some("false")
            ADD --keep-git-dir repeatable=false since=1.1 default=Some("false")
            ADD --checksum=${1:sha256:} repeatable=false since=1.6 default=None
            ADD --unpack repeatable=false since=1.17 default=None
            ADD --exclude=${1:pattern} repeatable=true since=1.19 default=None
            COPY --from=${1:builder} repeatable=false since=- default=None
            COPY --chown=${1:user:group} repeatable=false since=- default=None
            COPY --chmod=${1:755} repeatable=false since=1.2 default=None
            COPY --link repeatable=false since=1.4 default=Some("false")
            COPY --parents repeatable=false since=1.20 default=Some("false")
            COPY --exclude=${1:pattern} repeatable=true since=1.19 default=None
            FROM --platform=${1:linux/amd64} repeatable=false since=- default=None
            HEALTHCHECK --interval=${1:30s} repeatable=false since=- default=Some("30s")
            HEALTHCHECK --timeout=${1:30s} repeatable=false since=- default=Some("30s")
            HEALTHCHECK --start-period=${1:0s} repeatable=false since=- default=Some("0s")
            HEALTHCHECK --start-interval=${1:5s} repeatable=false since=- default=Some("5s")
            HEALTHCHECK --retries=${1:3} repeatable=false since=- default=Some("3")
            RUN --mount=${1:type=cache,target=/root/.cache} repeatable=true since=1.2 default=None
            RUN --network=${1|default,none,host|} repeatable=false since=1.3 default=Some("default")
            RUN --security=${1|sandbox,insecure|} repeatable=false since=1.20 default=Some("sandbox")
            RUN --device=${1:name} repeatable=true since=1.14-labs default=None
        "#]]
        .assert_eq(&listing);
    }

    #[test]
    fn lookup_is_case_sensitive_and_accepts_dashes() {
        assert_eq!(
            flag(InstructionKind::Copy, "--from").map(|f| f.name),
            Some("from")
        );
        assert_eq!(flag(InstructionKind::Copy, "From"), None);
        assert_eq!(flag(InstructionKind::Add, "from"), None);
        assert_eq!(flag(InstructionKind::Env, "link"), None);
    }

    #[test]
    fn suggestions_for_unknown_flags() {
        let cases = [
            (InstructionKind::Copy, "--chwon"),
            (InstructionKind::Copy, "Link"),
            (InstructionKind::Copy, "form"),
            (InstructionKind::Add, "keep-git"),
            (InstructionKind::Run, "mounts"),
            (InstructionKind::Run, "--netwrok"),
            (InstructionKind::Healthcheck, "start_period"),
            (InstructionKind::From, "platfrom"),
            (InstructionKind::From, "frobnicate"),
            (InstructionKind::Workdir, "link"),
        ];
        let found: Vec<String> = cases
            .iter()
            .map(|(kind, name)| {
                format!("{} {name} -> {:?}", kind.name(), suggest_flag(*kind, name))
            })
            .collect();
        expect![[r#"
            [
                "COPY --chwon -> Some(\"chown\")",
                "COPY Link -> Some(\"link\")",
                "COPY form -> Some(\"from\")",
                "ADD keep-git -> None",
                "RUN mounts -> Some(\"mount\")",
                "RUN --netwrok -> Some(\"network\")",
                "HEALTHCHECK start_period -> Some(\"start-period\")",
                "FROM platfrom -> Some(\"platform\")",
                "FROM frobnicate -> None",
                "WORKDIR link -> None",
            ]
        "#]]
        .assert_debug_eq(&found);
    }

    #[test]
    fn value_checks_use_buildkit_wording() {
        let cases = [
            (InstructionKind::Copy, "from", None),
            (InstructionKind::Copy, "from", Some("")),
            (InstructionKind::Copy, "link", None),
            (InstructionKind::Copy, "link", Some("TRUE")),
            (InstructionKind::Copy, "link", Some("")),
            (InstructionKind::Copy, "parents", Some("yes")),
            (InstructionKind::Run, "network", Some("none")),
            (InstructionKind::Run, "network", Some("hots")),
            (InstructionKind::Run, "security", Some("insecure")),
            (InstructionKind::Run, "security", Some("unsafe")),
            (InstructionKind::Healthcheck, "interval", Some("1m30s")),
            (InstructionKind::Healthcheck, "interval", Some("0")),
            (InstructionKind::Healthcheck, "interval", Some("1.5h")),
            (InstructionKind::Healthcheck, "timeout", Some("10")),
            (InstructionKind::Healthcheck, "timeout", Some("500us")),
            (InstructionKind::Healthcheck, "timeout", Some("")),
            (InstructionKind::Healthcheck, "start-period", Some("-5s")),
            (InstructionKind::Healthcheck, "start-interval", Some("5x")),
            (InstructionKind::Healthcheck, "retries", Some("3")),
            (InstructionKind::Healthcheck, "retries", Some("-1")),
            (InstructionKind::Healthcheck, "retries", Some("three")),
        ];
        let results: Vec<String> = cases
            .iter()
            .filter_map(|(kind, name, value)| {
                let info = flag(*kind, name)?;
                Some(format!(
                    "--{name}={value:?}: {:?}",
                    info.check_value(*value)
                ))
            })
            .collect();
        expect![[r#"
            [
                "--from=None: Some(\"Missing a value on flag: from\")",
                "--from=Some(\"\"): None",
                "--link=None: None",
                "--link=Some(\"TRUE\"): None",
                "--link=Some(\"\"): Some(\"Missing a value on flag: link\")",
                "--parents=Some(\"yes\"): Some(\"Expecting boolean value for flag parents, not: yes\")",
                "--network=Some(\"none\"): None",
                "--network=Some(\"hots\"): Some(\"invalid network mode \\\"hots\\\" (did you mean host?)\")",
                "--security=Some(\"insecure\"): None",
                "--security=Some(\"unsafe\"): Some(\"security \\\"unsafe\\\" is not valid\")",
                "--interval=Some(\"1m30s\"): None",
                "--interval=Some(\"0\"): None",
                "--interval=Some(\"1.5h\"): None",
                "--timeout=Some(\"10\"): Some(\"time: missing unit in duration \\\"10\\\"\")",
                "--timeout=Some(\"500us\"): Some(\"Interval \\\"timeout\\\" cannot be less than 1ms\")",
                "--timeout=Some(\"\"): None",
                "--start-period=Some(\"-5s\"): Some(\"Interval \\\"start-period\\\" cannot be less than 1ms\")",
                "--start-interval=Some(\"5x\"): Some(\"time: unknown unit \\\"x\\\" in duration \\\"5x\\\"\")",
                "--retries=Some(\"3\"): None",
                "--retries=Some(\"-1\"): Some(\"--retries cannot be negative (-1)\")",
                "--retries=Some(\"three\"): Some(\"strconv.ParseInt: parsing \\\"three\\\": invalid syntax\")",
            ]
        "#]]
        .assert_debug_eq(&results);
    }
}
