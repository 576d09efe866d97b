//! Configuration: `.stagesmith.toml` found upward from a file, and the client's `stagesmith` settings,
//! plus the one safe way to read the workspace files the linter may look at.
//!
//! Merge order: [`Config::default`] < `.stagesmith.toml` ([`Config::apply_toml`]) < client settings
//! ([`apply_settings_json`]). Each layer changes only what it names. Invalid entries come back as
//! [`ConfigError`]s with their location while every valid entry still applies, so an editor keeps
//! working with a half-broken config and the user is told what was wrong.
//!
//! ```toml
//! targets = ["test", "dev"]                   # stages that are legitimate `--target`s
//! required-labels = ["org.opencontainers.image.source"]
//!
//! [rules]
//! UnusedStage = "off"                         # off | hint | info | warning | error
//! FinalStageRunsAsRoot = "error"
//!
//! [user]                                      # ids used by the add-non-root-user fixes
//! uid = 10001
//! gid = 10001
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::ide::diagnostics::{self, RuleMeta, Severity};
use crate::line_column::LineColumn;
use crate::syntax::Span;

pub const CONFIG_FILE_NAME: &str = ".stagesmith.toml";

/// What a user may set a rule to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    On(Severity),
}

impl RuleLevel {
    const NAMES: [(&'static str, RuleLevel); 5] = [
        ("off", RuleLevel::Off),
        ("hint", RuleLevel::On(Severity::Hint)),
        ("info", RuleLevel::On(Severity::Info)),
        ("warning", RuleLevel::On(Severity::Warning)),
        ("error", RuleLevel::On(Severity::Error)),
    ];

    pub fn parse(text: &str) -> Option<RuleLevel> {
        RuleLevel::NAMES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(text))
            .map(|&(_, level)| level)
    }

    /// A rule's level when nobody configured it.
    pub fn default_for(rule: &RuleMeta) -> RuleLevel {
        if rule.enabled_by_default {
            RuleLevel::On(rule.default_severity)
        } else {
            RuleLevel::Off
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Per-rule level overrides by rule name; rules not named keep their defaults.
    pub rules: BTreeMap<String, RuleLevel>,
    /// Stage names that are legitimate `--target`s (never reported as unused).
    pub targets: Vec<String>,
    /// Label keys the final stage must carry (RequiredLabels).
    pub required_labels: Vec<String>,
    /// UID/GID used by the add-non-root-user fixes.
    pub user_id: u32,
    pub group_id: u32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            rules: BTreeMap::new(),
            targets: Vec::new(),
            required_labels: Vec::new(),
            user_id: 1001,
            group_id: 1001,
        }
    }
}

impl Config {
    /// The level a rule runs at: the configured one, else `default` (what the rule declares).
    pub fn effective_level(&self, code: &str, default: RuleLevel) -> RuleLevel {
        self.rules.get(code).copied().unwrap_or(default)
    }

    /// Apply a `.stagesmith.toml` (read from `path`, which only labels the errors) on top of `self`.
    pub fn apply_toml(&mut self, text: &str, path: &Path) -> Result<(), Vec<ConfigError>> {
        self.apply_toml_for_rules(text, path, diagnostics::rules())
    }

    /// Read the `.stagesmith.toml` at `path` the safe way ([`read_workspace_file`]) and apply it.
    /// `shown` is how error messages name the file.
    pub fn apply_toml_file(
        &mut self,
        path: &Path,
        workspace_root: &Path,
        shown: &Path,
    ) -> Result<(), Vec<String>> {
        let bytes = read_workspace_file(path, workspace_root)
            .map_err(|error| vec![format!("cannot read {}: {error}", shown.display())])?;
        let text = decode_utf8(shown, bytes).map_err(|problem| vec![problem])?;
        self.apply_toml(&text, shown)
            .map_err(|errors| errors.iter().map(ToString::to_string).collect())
    }

    fn apply_toml_for_rules(
        &mut self,
        text: &str,
        path: &Path,
        known_rules: &[RuleMeta],
    ) -> Result<(), Vec<ConfigError>> {
        let (document, syntax_errors) = DeTable::parse_recoverable(text);
        let mut problems: Vec<Problem> = syntax_errors
            .iter()
            .map(|error| Problem {
                at: Origin::Span(error.span().unwrap_or(0..0)),
                message: format!("invalid TOML: {}", error.message().trim_end()),
            })
            .collect();
        if problems.is_empty() {
            let entries = toml_table_entries(document.get_ref());
            problems.extend(apply_entries(self, &entries, Dialect::Toml, known_rules));
        }
        if problems.is_empty() {
            return Ok(());
        }
        problems.sort_by_key(|problem| match &problem.at {
            Origin::Span(span) => span.start,
            Origin::Key(_) => 0,
        });
        Err(problems
            .into_iter()
            .map(|problem| problem.into_error(Some((path, text))))
            .collect())
    }
}

/// Apply the client's `stagesmith` settings section (from `workspace/configuration`) on top of
/// `config`. Keys: `rules` (name → level), `targets`, `requiredLabels`, `user: {uid, gid}`; `null`
/// means "not set". Unknown top-level keys are left alone because editors keep their own client-side
/// settings (server path, trace level…) in the same section.
pub fn apply_settings_json(
    config: &mut Config,
    settings: &serde_json::Value,
) -> Result<(), Vec<String>> {
    apply_settings_json_for_rules(config, settings, diagnostics::rules())
}

fn apply_settings_json_for_rules(
    config: &mut Config,
    settings: &serde_json::Value,
    known_rules: &[RuleMeta],
) -> Result<(), Vec<String>> {
    let problems = match json_to_setting(settings, SETTINGS_SECTION) {
        Setting::Table(entries) => apply_entries(config, &entries, Dialect::Json, known_rules),
        Setting::Null => Vec::new(),
        other => vec![Problem {
            at: Origin::Key(SETTINGS_SECTION.to_owned()),
            message: format!("expected an object, found {}", other.type_name()),
        }],
    };
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems
            .into_iter()
            .map(|problem| problem.into_error(None).to_string())
            .collect())
    }
}

const SETTINGS_SECTION: &str = "stagesmith";

/// A problem in a configuration source, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub origin: ConfigOrigin,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigOrigin {
    /// A place in a `.stagesmith.toml`.
    File {
        path: PathBuf,
        span: Range<usize>,
        position: LineColumn,
    },
    /// A key path in the client's settings, e.g. `stagesmith.rules.UnusedStage`.
    Setting { key: String },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.origin {
            ConfigOrigin::File { path, position, .. } => {
                write!(f, "{}:{position}: {}", path.display(), self.message)
            }
            ConfigOrigin::Setting { key } => write!(f, "setting `{key}`: {}", self.message),
        }
    }
}

/// Where a problem is before we know which source it belongs to.
#[derive(Debug, Clone)]
enum Origin {
    Span(Range<usize>),
    Key(String),
}

struct Problem {
    at: Origin,
    message: String,
}

impl Problem {
    fn into_error(self, file: Option<(&Path, &str)>) -> ConfigError {
        let origin = match (self.at, file) {
            (Origin::Span(span), Some((path, text))) => ConfigOrigin::File {
                path: path.to_path_buf(),
                position: LineColumn::of(text, span.start),
                span,
            },
            (Origin::Key(key), _) => ConfigOrigin::Setting { key },
            (Origin::Span(_), None) => ConfigOrigin::Setting {
                key: SETTINGS_SECTION.to_owned(),
            },
        };
        ConfigError {
            origin,
            message: self.message,
        }
    }
}

/// Both sources reduced to one shape, so one validator serves both.
enum Setting {
    Null,
    String(String),
    Integer(i128),
    Array(Vec<Located<Setting>>),
    Table(Vec<(Located<String>, Located<Setting>)>),
    /// Any other type, kept only to name it in an error.
    Other(&'static str),
}

struct Located<T> {
    value: T,
    at: Origin,
}

impl Setting {
    fn type_name(&self) -> &'static str {
        match self {
            Setting::Null => "null",
            Setting::String(_) => "a string",
            Setting::Integer(_) => "an integer",
            Setting::Array(_) => "an array",
            Setting::Table(_) => "a table",
            Setting::Other(name) => name,
        }
    }
}

fn toml_table_entries(table: &DeTable<'_>) -> Vec<(Located<String>, Located<Setting>)> {
    table
        .iter()
        .map(|(key, value)| {
            (
                Located {
                    value: key.get_ref().to_string(),
                    at: Origin::Span(key.span()),
                },
                Located {
                    value: toml_to_setting(value.get_ref()),
                    at: Origin::Span(value.span()),
                },
            )
        })
        .collect()
}

fn toml_to_setting(value: &DeValue<'_>) -> Setting {
    match value {
        DeValue::String(text) => Setting::String(text.to_string()),
        DeValue::Integer(integer) => i128::from_str_radix(integer.as_str(), integer.radix())
            .map_or(Setting::Other("an integer out of range"), Setting::Integer),
        DeValue::Float(_) => Setting::Other("a float"),
        DeValue::Boolean(_) => Setting::Other("a boolean"),
        DeValue::Datetime(_) => Setting::Other("a datetime"),
        DeValue::Array(items) => Setting::Array(
            items
                .iter()
                .map(|item| Located {
                    value: toml_to_setting(item.get_ref()),
                    at: Origin::Span(item.span()),
                })
                .collect(),
        ),
        DeValue::Table(table) => Setting::Table(toml_table_entries(table)),
    }
}

fn json_to_setting(value: &serde_json::Value, key_path: &str) -> Setting {
    use serde_json::Value;
    match value {
        Value::Null => Setting::Null,
        Value::String(text) => Setting::String(text.clone()),
        Value::Number(number) => number
            .as_i64()
            .map(i128::from)
            .or_else(|| number.as_u64().map(i128::from))
            .map_or(Setting::Other("a non-integer number"), Setting::Integer),
        Value::Bool(_) => Setting::Other("a boolean"),
        Value::Array(items) => Setting::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let item_path = format!("{key_path}[{index}]");
                    Located {
                        value: json_to_setting(item, &item_path),
                        at: Origin::Key(item_path),
                    }
                })
                .collect(),
        ),
        Value::Object(map) => Setting::Table(
            map.iter()
                .map(|(key, item)| {
                    let item_path = format!("{key_path}.{key}");
                    (
                        Located {
                            value: key.clone(),
                            at: Origin::Key(item_path.clone()),
                        },
                        Located {
                            value: json_to_setting(item, &item_path),
                            at: Origin::Key(item_path),
                        },
                    )
                })
                .collect(),
        ),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Toml,
    Json,
}

impl Dialect {
    fn required_labels_key(self) -> &'static str {
        match self {
            Dialect::Toml => "required-labels",
            Dialect::Json => "requiredLabels",
        }
    }

    fn top_level_keys(self) -> [&'static str; 4] {
        ["rules", "targets", self.required_labels_key(), "user"]
    }
}

fn apply_entries(
    config: &mut Config,
    entries: &[(Located<String>, Located<Setting>)],
    dialect: Dialect,
    known_rules: &[RuleMeta],
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (key, value) in entries {
        if matches!(value.value, Setting::Null) {
            continue;
        }
        match key.value.as_str() {
            "rules" => apply_rules(config, value, known_rules, &mut problems),
            "targets" => {
                if let Some(list) = string_list(value, &mut problems) {
                    config.targets = list;
                }
            }
            "user" => apply_user(config, value, &mut problems),
            name if name == dialect.required_labels_key() => {
                if let Some(list) = string_list(value, &mut problems) {
                    config.required_labels = list;
                }
            }
            unknown if dialect == Dialect::Toml => problems.push(Problem {
                at: key.at.clone(),
                message: unknown_name_message("key", unknown, dialect.top_level_keys()),
            }),
            _ => {}
        }
    }
    problems
}

fn apply_rules(
    config: &mut Config,
    value: &Located<Setting>,
    known: &[RuleMeta],
    problems: &mut Vec<Problem>,
) {
    let Setting::Table(entries) = &value.value else {
        problems.push(type_problem(value, "a table of rule names to levels"));
        return;
    };
    for (name, level) in entries {
        if matches!(level.value, Setting::Null) {
            continue;
        }
        // Until the rule list is known to us (empty list), names cannot be checked; keep them as written.
        let canonical = if known.is_empty() {
            Some(name.value.clone())
        } else {
            known
                .iter()
                .find(|rule| rule.name.eq_ignore_ascii_case(&name.value))
                .map(|rule| rule.name.to_owned())
        };
        let Some(canonical) = canonical else {
            problems.push(Problem {
                at: name.at.clone(),
                message: unknown_name_message("rule", &name.value, known.iter().map(|r| r.name)),
            });
            continue;
        };
        match &level.value {
            Setting::String(text) => match RuleLevel::parse(text) {
                Some(parsed) => {
                    config.rules.insert(canonical, parsed);
                }
                None => problems.push(Problem {
                    at: level.at.clone(),
                    message: format!(
                        "invalid level `{text}` for rule `{canonical}`: expected one of {}",
                        level_names()
                    ),
                }),
            },
            _ => problems.push(type_problem(
                level,
                &format!("a level string ({})", level_names()),
            )),
        }
    }
}

fn apply_user(config: &mut Config, value: &Located<Setting>, problems: &mut Vec<Problem>) {
    let Setting::Table(entries) = &value.value else {
        problems.push(type_problem(value, "a table with `uid` and `gid`"));
        return;
    };
    for (key, id) in entries {
        if matches!(id.value, Setting::Null) {
            continue;
        }
        // UID 0 is root, which the non-root-user fixes exist to avoid; GID 0 is the usual choice
        // for images that must run under arbitrary UIDs (OpenShift), so it stays allowed.
        let (target, lowest) = match key.value.as_str() {
            "uid" => (&mut config.user_id, 1),
            "gid" => (&mut config.group_id, 0),
            unknown => {
                problems.push(Problem {
                    at: key.at.clone(),
                    message: unknown_name_message("key", unknown, ["uid", "gid"]),
                });
                continue;
            }
        };
        match &id.value {
            Setting::Integer(number) => match u32::try_from(*number) {
                Ok(parsed) if parsed >= lowest => *target = parsed,
                _ => problems.push(Problem {
                    at: id.at.clone(),
                    message: format!(
                        "`{}` must be between {lowest} and {}, found {number}",
                        key.value,
                        u32::MAX
                    ),
                }),
            },
            _ => problems.push(type_problem(id, "an integer")),
        }
    }
}

fn string_list(value: &Located<Setting>, problems: &mut Vec<Problem>) -> Option<Vec<String>> {
    let Setting::Array(items) = &value.value else {
        problems.push(type_problem(value, "an array of strings"));
        return None;
    };
    let mut list = Vec::with_capacity(items.len());
    let mut valid = true;
    for item in items {
        match &item.value {
            Setting::String(text) if !text.trim().is_empty() => list.push(text.clone()),
            Setting::String(_) => {
                valid = false;
                problems.push(Problem {
                    at: item.at.clone(),
                    message: "expected a non-empty string".to_owned(),
                });
            }
            _ => {
                valid = false;
                problems.push(type_problem(item, "a string"));
            }
        }
    }
    valid.then_some(list)
}

fn type_problem(value: &Located<Setting>, expected: &str) -> Problem {
    Problem {
        at: value.at.clone(),
        message: format!("expected {expected}, found {}", value.value.type_name()),
    }
}

fn level_names() -> String {
    RuleLevel::NAMES
        .iter()
        .map(|(name, _)| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn unknown_name_message<'a>(
    kind: &str,
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    match closest_match(name, candidates) {
        Some(suggestion) => format!("unknown {kind} `{name}` (did you mean `{suggestion}`?)"),
        None => format!("unknown {kind} `{name}`"),
    }
}

/// The candidate closest to `word` (case-insensitive edit distance), if it is close enough to be
/// what was meant: at most one edit per three characters, and at least one.
pub fn closest_match<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(&word, &candidate.to_lowercase()), candidate))
        .filter(|&(distance, _)| distance <= limit)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, a_char) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, &b_char) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(a_char != b_char);
            let deletion = previous[j + 1] + 1;
            let insertion = current[j] + 1;
            current.push(substitution.min(deletion).min(insertion));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The `.stagesmith.toml` that governs files in `dir` (which must be canonical): the nearest one
/// from `dir` upward, stopping after the folder that holds `.git`, or at the filesystem root.
pub fn find_config_file(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find_map(|folder| {
            let candidate = folder.join(CONFIG_FILE_NAME);
            if fs::symlink_metadata(&candidate).is_ok() {
                Some(Some(candidate))
            } else if folder.join(".git").exists() {
                Some(None)
            } else {
                None
            }
        })
        .flatten()
}

/// The ignore file BuildKit uses for `dockerfile`: `<name>.dockerignore` next to it, else the
/// `.dockerignore` of its folder (the build context we assume).
pub fn find_dockerignore(dockerfile: &Path) -> Option<PathBuf> {
    let folder = dockerfile.parent()?;
    let name = dockerfile.file_name()?.to_str()?;
    [
        folder.join(format!("{name}.dockerignore")),
        folder.join(".dockerignore"),
    ]
    .into_iter()
    .find(|candidate| fs::symlink_metadata(candidate).is_ok())
}

/// Read a workspace file the only way stagesmith reads one: it must be a regular file (no FIFO or
/// device that could block or never end), and when reaching it goes through a symlink (the file
/// itself or any folder on `path`), where it really is must lie inside `workspace_root`
/// (canonical). A path without links is read wherever it is, which is what the upward search for
/// `.stagesmith.toml` past the workspace needs.
pub fn read_workspace_file(path: &Path, workspace_root: &Path) -> io::Result<Vec<u8>> {
    let real = fs::canonicalize(path)?;
    if real != path && !real.starts_with(workspace_root) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "refusing to follow a symlink to {} outside the workspace {}",
                real.display(),
                workspace_root.display()
            ),
        ));
    }
    if !fs::metadata(&real)?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    fs::read(real)
}

/// For files that must be UTF-8 as they are: `.stagesmith.toml` (TOML is UTF-8 by definition, and a
/// replaced byte could silently change a setting) and the files `fmt` rewrites (writing back a
/// lossy reading would destroy the bytes it could not read). Such a file is refused with where it
/// stops being UTF-8. Dockerfiles that are only read go through [`decode_dockerfile`].
pub fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|error| {
        let valid_up_to = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let valid = String::from_utf8_lossy(bytes.get(..valid_up_to).unwrap_or_default());
        format!(
            "{}:{}: not valid UTF-8 (byte {valid_up_to}); stagesmith reads UTF-8 files only",
            path.display(),
            LineColumn::of(&valid, valid.len()),
        )
    })
}

/// A Dockerfile's bytes as text. BuildKit reads any bytes (Go strings need not be UTF-8) and its
/// parser only looks at ASCII, so a file that is not UTF-8 is read anyway, each invalid sequence
/// as U+FFFD (`String::from_utf8_lossy`), and the first one is returned to be reported.
pub fn decode_dockerfile(bytes: Vec<u8>) -> (String, Option<InvalidUtf8>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(error) => {
            let byte_offset = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let byte = bytes.get(byte_offset).copied().unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let replacement = Span::new(byte_offset, byte_offset + '\u{fffd}'.len_utf8());
            (
                text,
                Some(InvalidUtf8 {
                    byte_offset,
                    byte,
                    replacement,
                }),
            )
        }
    }
}

/// Where a Dockerfile read by [`decode_dockerfile`] first stopped being UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidUtf8 {
    /// Offset of the first invalid byte in the file.
    pub byte_offset: usize,
    pub byte: u8,
    /// The U+FFFD that stands for it in the decoded text (the text before it is the file's).
    pub replacement: Span,
}

impl InvalidUtf8 {
    pub fn message(&self) -> String {
        format!(
            "not valid UTF-8 at byte offset {} (0x{:02X}); invalid bytes are read as U+FFFD",
            self.byte_offset, self.byte
        )
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    const fn rule(name: &'static str) -> RuleMeta {
        RuleMeta {
            name,
            default_severity: Severity::Warning,
            enabled_by_default: true,
            summary: "",
            doc: "",
            hadolint: &[],
        }
    }

    /// A fixed rule list, so these tests do not move when real rules are added.
    const RULES: &[RuleMeta] = &[
        rule("UnusedStage"),
        rule("StageNameCasing"),
        rule("FinalStageRunsAsRoot"),
        rule("CopyIgnoredFile"),
    ];

    fn check_toml(text: &str, expect: Expect) {
        let mut config = Config::default();
        let outcome = config.apply_toml_for_rules(text, Path::new(".stagesmith.toml"), RULES);
        expect.assert_eq(&describe(
            &config,
            outcome.map_err(|errors| errors.iter().map(ToString::to_string).collect()),
        ));
    }

    fn check_json(base: Config, settings: serde_json::Value, expect: Expect) {
        let mut config = base;
        let outcome = apply_settings_json_for_rules(&mut config, &settings, RULES);
        expect.assert_eq(&describe(&config, outcome));
    }

    fn describe(config: &Config, outcome: Result<(), Vec<String>>) -> String {
        let mut out = format!("{config:?}\n");
        for error in outcome.err().unwrap_or_default() {
            out.push_str(&format!("error: {error}\n"));
        }
        out
    }

    #[test]
    fn empty_toml_keeps_defaults() {
        check_toml(
            "",
            expect![[r#"
                Config { rules: {}, targets: [], required_labels: [], user_id: 1001, group_id: 1001 }
            "#]],
        );
    }

    #[test]
    fn full_toml() {
        check_toml(
            r#"
targets = ["test", "dev"]
required-labels = ["org.opencontainers.image.source"]

[rules]
UnusedStage = "off"
FinalStageRunsAsRoot = "Error"

[user]
uid = 10001
gid = 0
"#,
            expect![[r#"
                Config { rules: {"FinalStageRunsAsRoot": On(Error), "UnusedStage": Off}, targets: ["test", "dev"], required_labels: ["org.opencontainers.image.source"], user_id: 10001, group_id: 0 }
            "#]],
        );
    }

    #[test]
    fn partial_toml_changes_only_what_it_names() {
        check_toml(
            "[user]\ngid = 2000\n",
            expect![[r#"
                Config { rules: {}, targets: [], required_labels: [], user_id: 1001, group_id: 2000 }
            "#]],
        );
    }

    #[test]
    fn invalid_values_are_reported_with_their_location_and_valid_ones_still_apply() {
        check_toml(
            r#"targets = "test"
required-labels = ["ok", 3, ""]
required_labels = []
[rules]
UnusedStage = "warn"
StageNameCasing = 1
CopyIgnoredFile = "info"
[user]
uid = 0
gid = 99999999999
name = "app"
"#,
            expect![[r#"
                Config { rules: {"CopyIgnoredFile": On(Info)}, targets: [], required_labels: [], user_id: 1001, group_id: 1001 }
                error: .stagesmith.toml:1:11: expected an array of strings, found a string
                error: .stagesmith.toml:2:26: expected a string, found an integer
                error: .stagesmith.toml:2:29: expected a non-empty string
                error: .stagesmith.toml:3:1: unknown key `required_labels` (did you mean `required-labels`?)
                error: .stagesmith.toml:5:15: invalid level `warn` for rule `UnusedStage`: expected one of `off`, `hint`, `info`, `warning`, `error`
                error: .stagesmith.toml:6:19: expected a level string (`off`, `hint`, `info`, `warning`, `error`), found an integer
                error: .stagesmith.toml:9:7: `uid` must be between 1 and 4294967295, found 0
                error: .stagesmith.toml:10:7: `gid` must be between 0 and 4294967295, found 99999999999
                error: .stagesmith.toml:11:1: unknown key `name`
            "#]],
        );
    }

    #[test]
    fn toml_syntax_errors_are_reported_not_panicked_on() {
        check_toml(
            "[rules\nUnusedStage = off\n",
            expect![[r#"
                Config { rules: {}, targets: [], required_labels: [], user_id: 1001, group_id: 1001 }
                error: .stagesmith.toml:1:7: invalid TOML: unclosed table, expected `]`
            "#]],
        );
    }

    #[test]
    fn client_settings_override_the_file_and_only_what_they_name() {
        let mut from_file = Config::default();
        let file =
            "targets = [\"test\"]\n[rules]\nUnusedStage = \"off\"\nStageNameCasing = \"hint\"\n";
        assert_eq!(
            from_file.apply_toml_for_rules(file, Path::new("x"), RULES),
            Ok(())
        );
        check_json(
            from_file,
            serde_json::json!({
                "rules": { "UnusedStage": "error", "CopyIgnoredFile": null },
                "requiredLabels": ["org.opencontainers.image.version"],
                "user": { "uid": 4242 },
                "trace": { "server": "verbose" },
                "targets": null,
            }),
            expect![[r#"
                Config { rules: {"StageNameCasing": On(Hint), "UnusedStage": On(Error)}, targets: ["test"], required_labels: ["org.opencontainers.image.version"], user_id: 4242, group_id: 1001 }
            "#]],
        );
    }

    #[test]
    fn invalid_client_settings_name_the_key() {
        check_json(
            Config::default(),
            serde_json::json!({
                "rules": { "UnusedStage": "loud" },
                "targets": ["ok", false],
                "user": { "uid": -1, "gid": 1.5 },
                "required-labels": 3,
            }),
            expect![[r#"
                Config { rules: {}, targets: [], required_labels: [], user_id: 1001, group_id: 1001 }
                error: setting `stagesmith.rules.UnusedStage`: invalid level `loud` for rule `UnusedStage`: expected one of `off`, `hint`, `info`, `warning`, `error`
                error: setting `stagesmith.targets[1]`: expected a string, found a boolean
                error: setting `stagesmith.user.gid`: expected an integer, found a non-integer number
                error: setting `stagesmith.user.uid`: `uid` must be between 1 and 4294967295, found -1
            "#]],
        );
        check_json(
            Config::default(),
            serde_json::json!("verbose"),
            expect![[r#"
                Config { rules: {}, targets: [], required_labels: [], user_id: 1001, group_id: 1001 }
                error: setting `stagesmith`: expected an object, found a string
            "#]],
        );
        check_json(
            Config::default(),
            serde_json::Value::Null,
            expect![[r#"
                Config { rules: {}, targets: [], required_labels: [], user_id: 1001, group_id: 1001 }
            "#]],
        );
    }

    #[test]
    fn rule_names_are_matched_case_insensitively_and_unknown_ones_reported() {
        check_toml(
            "[rules]\nunusedstage = \"off\"\nStageNameCasng = \"hint\"\nNoSuchThing = \"off\"\n",
            expect![[r#"
                Config { rules: {"UnusedStage": Off}, targets: [], required_labels: [], user_id: 1001, group_id: 1001 }
                error: .stagesmith.toml:3:1: unknown rule `StageNameCasng` (did you mean `StageNameCasing`?)
                error: .stagesmith.toml:4:1: unknown rule `NoSuchThing`
            "#]],
        );
        check_json(
            Config::default(),
            serde_json::json!({ "rules": { "UnusedStag": "off" } }),
            expect![[r#"
                Config { rules: {}, targets: [], required_labels: [], user_id: 1001, group_id: 1001 }
                error: setting `stagesmith.rules.UnusedStag`: unknown rule `UnusedStag` (did you mean `UnusedStage`?)
            "#]],
        );
    }

    #[test]
    fn without_a_rule_list_names_are_kept_as_written() {
        let mut config = Config::default();
        let outcome =
            config.apply_toml_for_rules("[rules]\nAnything = \"info\"\n", Path::new("x"), &[]);
        assert_eq!(outcome, Ok(()));
        assert_eq!(
            config.rules.get("Anything"),
            Some(&RuleLevel::On(Severity::Info))
        );
    }

    #[test]
    fn effective_level_prefers_the_configured_level() {
        let mut config = Config::default();
        config
            .rules
            .insert("UnusedStage".to_owned(), RuleLevel::Off);
        let warning = RuleLevel::On(Severity::Warning);
        assert_eq!(
            config.effective_level("UnusedStage", warning),
            RuleLevel::Off
        );
        assert_eq!(config.effective_level("StageNameCasing", warning), warning);
    }

    #[test]
    fn invalid_utf8_is_refused_with_its_position() {
        let bytes = b"FROM alpine\nLABEL x=\"caf\xe9\"\n".to_vec();
        assert_eq!(
            decode_utf8(Path::new("Dockerfile"), bytes),
            Err(
                "Dockerfile:2:13: not valid UTF-8 (byte 24); stagesmith reads UTF-8 files only"
                    .to_owned()
            )
        );
        assert_eq!(
            decode_utf8(Path::new("Dockerfile"), "FROM é".as_bytes().to_vec()),
            Ok("FROM é".to_owned())
        );
    }

    #[test]
    fn dockerfiles_that_are_not_utf8_are_read_with_the_first_bad_byte() {
        let bytes = b"FROM alpine\nLABEL x=\"caf\xe9\" y=\xff\xfe\n".to_vec();
        let (text, invalid) = decode_dockerfile(bytes);
        assert_eq!(
            text,
            "FROM alpine\nLABEL x=\"caf\u{fffd}\" y=\u{fffd}\u{fffd}\n"
        );
        let invalid = invalid.unwrap();
        assert_eq!((invalid.byte_offset, invalid.byte), (24, 0xe9));
        assert_eq!(
            &text[invalid.replacement.start..invalid.replacement.end],
            "\u{fffd}"
        );
        assert_eq!(
            invalid.message(),
            "not valid UTF-8 at byte offset 24 (0xE9); invalid bytes are read as U+FFFD"
        );
        assert_eq!(
            decode_dockerfile("FROM é".as_bytes().to_vec()),
            ("FROM é".to_owned(), None)
        );
    }

    #[test]
    fn workspace_reads_never_leave_the_root_through_a_link() {
        let base = std::env::temp_dir().join(format!("stagesmith-config-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        let root = base.join("root");
        let outside = base.join("outside");
        fs::create_dir_all(root.join("app")).unwrap();
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("secret"), "x").unwrap();
        fs::write(root.join("app/.dockerignore"), "node_modules\n").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("linked-folder")).unwrap();
        std::os::unix::fs::symlink(root.join("app/.dockerignore"), root.join("alias")).unwrap();
        let root = fs::canonicalize(&root).unwrap();
        let read = |relative: &str| {
            read_workspace_file(&root.join(relative), &root).map_err(|error| error.kind())
        };
        assert_eq!(read("app/.dockerignore"), Ok(b"node_modules\n".to_vec()));
        assert_eq!(read("alias"), Ok(b"node_modules\n".to_vec()));
        assert_eq!(
            read("linked-folder/secret"),
            Err(io::ErrorKind::PermissionDenied)
        );
        assert_eq!(read("app"), Err(io::ErrorKind::InvalidInput));
        assert_eq!(read("missing"), Err(io::ErrorKind::NotFound));
        // Outside the root but reached without any link: the upward config search may read it.
        assert_eq!(
            read_workspace_file(&fs::canonicalize(outside.join("secret")).unwrap(), &root).ok(),
            Some(b"x".to_vec())
        );
        fs::remove_dir_all(base).unwrap();
    }

    #[test]
    fn closest_match_suggests_near_names_only() {
        let names = ["StageNameCasing", "FromAsCasing", "UnusedStage"];
        assert_eq!(
            closest_match("stagenamecasng", names),
            Some("StageNameCasing")
        );
        assert_eq!(closest_match("UnusedStages", names), Some("UnusedStage"));
        assert_eq!(closest_match("Nothing", names), None);
        assert_eq!(closest_match("", names), None);
    }
}
