//! `RUN --mount`: the mount types, the keys each takes, a CSV parser that keeps byte offsets, and
//! the checks BuildKit applies (`instructions/commands_runmount.go`) with its error wording.

use std::fmt;

use crate::syntax::Span;

use super::{SyntaxVersion, parse_go_bool, suggest, with_suggestion};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MountType {
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
}

impl MountType {
    pub const ALL: [MountType; 5] = [
        MountType::Bind,
        MountType::Cache,
        MountType::Tmpfs,
        MountType::Secret,
        MountType::Ssh,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MountType::Bind => "bind",
            MountType::Cache => "cache",
            MountType::Tmpfs => "tmpfs",
            MountType::Secret => "secret",
            MountType::Ssh => "ssh",
        }
    }

    /// Case-insensitive, like BuildKit (`type=Cache` is a cache mount).
    pub fn from_name(name: &str) -> Option<MountType> {
        MountType::ALL
            .into_iter()
            .find(|ty| ty.name().eq_ignore_ascii_case(name))
    }

    /// `mode`, `uid` and `gid` are only allowed on these types.
    fn takes_file_info(self) -> bool {
        matches!(self, MountType::Secret | MountType::Ssh | MountType::Cache)
    }

    /// BuildKit rejects `required` and `size` as soon as they appear under another type.
    fn takes_option(self, key: MountKey) -> bool {
        match key {
            MountKey::Required => matches!(self, MountType::Secret | MountType::Ssh),
            MountKey::Size => self == MountType::Tmpfs,
            _ => true,
        }
    }
}

impl fmt::Display for MountType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A mount option, with its aliases folded together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MountKey {
    Type,
    From,
    Source,
    Target,
    ReadOnly,
    ReadWrite,
    Id,
    Sharing,
    Required,
    Size,
    Mode,
    Uid,
    Gid,
    Env,
}

impl MountKey {
    /// `target`, `dst` and `destination` all give [`MountKey::Target`]; case-insensitive.
    pub fn from_name(name: &str) -> Option<MountKey> {
        MOUNT_KEYS
            .iter()
            .find(|info| info.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
            .map(|info| info.key)
    }

    /// The spelling used in completion and messages (`target`, `readonly`).
    pub fn name(self) -> &'static str {
        mount_key_info(self)
            .names
            .first()
            .copied()
            .unwrap_or_default()
    }
}

/// What a mount key's value looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MountValueKind {
    /// Free text such as an id or an env variable name.
    Text,
    /// A path inside the container or inside the `from` source.
    Path,
    /// A stage name, image or named context (`from=`); never variable-expanded.
    StageOrImage,
    /// May be written bare (`ro`) or as `ro=true|false` (Go's `strconv.ParseBool`).
    Bool,
    /// One of `allowed_values`.
    Choice,
    /// An octal file mode such as `0755`.
    OctalMode,
    /// A decimal user or group id.
    Id,
    /// A byte size such as `64m` or `1GiB`.
    Size,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MountKeyInfo {
    pub key: MountKey,
    /// The canonical name first, then the aliases BuildKit accepts.
    pub names: &'static [&'static str],
    pub value: MountValueKind,
    pub allowed_values: &'static [&'static str],
    /// `None` when every frontend with `--mount` (1.2) knows the key.
    pub min_syntax: Option<SyntaxVersion>,
    pub doc: &'static str,
}

/// How one mount type uses a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MountKeyUse {
    pub key: MountKey,
    /// What the key defaults to for this type, in words or as a value. A relative `target`
    /// (or none) is resolved against the WORKDIR, so BuildKit requires no key.
    pub default: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MountTypeInfo {
    pub ty: MountType,
    pub doc: &'static str,
    /// The keys that mean something for this type (besides `type`), in completion order.
    pub keys: &'static [MountKeyUse],
}

impl MountTypeInfo {
    pub fn key_use(&self, key: MountKey) -> Option<&'static MountKeyUse> {
        self.keys.iter().find(|usage| usage.key == key)
    }
}

pub fn mount_types() -> &'static [MountTypeInfo] {
    &MOUNT_TYPES
}

pub fn mount_type_info(ty: MountType) -> &'static MountTypeInfo {
    match ty {
        MountType::Bind => &MOUNT_TYPES[0],
        MountType::Cache => &MOUNT_TYPES[1],
        MountType::Tmpfs => &MOUNT_TYPES[2],
        MountType::Secret => &MOUNT_TYPES[3],
        MountType::Ssh => &MOUNT_TYPES[4],
    }
}

pub fn mount_keys() -> &'static [MountKeyInfo] {
    &MOUNT_KEYS
}

pub fn mount_key_info(key: MountKey) -> &'static MountKeyInfo {
    // The table lists the keys in declaration order (checked by a test).
    &MOUNT_KEYS[key as usize]
}

/// One comma-separated field of a `--mount` value. Spans are byte offsets relative to the
/// start of the value; add the flag value's start to get document offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountPart {
    /// The key as written (case kept), CSV quotes removed.
    pub key: String,
    pub key_span: Span,
    /// The text after the first `=` and where it is; `None` for a bare key like `ro`.
    pub value: Option<(String, Span)>,
    /// The whole field including any CSV quotes.
    pub field_span: Span,
}

impl MountPart {
    /// The key this part sets, aliases and case folded; `None` for keys BuildKit does not know.
    pub fn mount_key(&self) -> Option<MountKey> {
        MountKey::from_name(&self.key)
    }

    fn value_text(&self) -> Option<&str> {
        self.value.as_ref().map(|(text, _)| text.as_str())
    }

    /// The field the way BuildKit quotes it in messages: `key=value` without CSV quotes.
    fn field_text(&self) -> String {
        match self.value_text() {
            Some(value) => format!("{}={value}", self.key),
            None => self.key.clone(),
        }
    }
}

/// Splits a `--mount` value into its fields the way Go's `encoding/csv` does (a field may be
/// `"quoted"` with `""` for a quote), then each field at its first `=`. Never fails: malformed
/// quoting is read leniently here and reported by [`check_mount`].
pub fn parse_mount(value: &str) -> Vec<MountPart> {
    split_csv(value).fields
}

/// The mount type the parts select: the last `type=` wins and [`MountType::Bind`] is the default.
/// `None` when the type is not one BuildKit knows or depends on a variable.
pub fn mount_type(parts: &[MountPart]) -> Option<MountType> {
    match parts
        .iter()
        .rev()
        .find(|part| part.mount_key() == Some(MountKey::Type))
    {
        None => Some(MountType::Bind),
        Some(part) => MountType::from_name(part.value_text().unwrap_or_default()),
    }
}

/// How serious a [`MountProblem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MountProblemKind {
    /// BuildKit rejects the mount; the message is BuildKit's.
    BuildKitError,
    /// BuildKit accepts the key but it does nothing for this mount type (our own message).
    NoEffect,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountProblem {
    /// Relative to the start of the value.
    pub span: Span,
    pub message: String,
    pub kind: MountProblemKind,
}

/// Everything wrong with a `--mount` value. BuildKit stops at the first error; this reports each
/// one, in field order. Keys are checked against the type in force *when they appear*, as
/// BuildKit does for `required` and `size` (`size=1m,type=tmpfs` fails, `type=tmpfs,size=1m`
/// works). Values containing `$` are expanded by BuildKit first, so they are not checked, except
/// for `from=`, which must not contain variables at all.
pub fn check_mount(value: &str) -> Vec<MountProblem> {
    let whole = Span::new(0, value.len());
    let csv = split_csv(value);
    if let Some(error) = csv.error {
        return vec![error_at(
            whole,
            format!("failed to parse csv mounts: {error}"),
        )];
    }
    let mut problems = Vec::new();
    // `None` once a variable or unknown name makes the type unknowable.
    let mut current_type = Some(MountType::Bind);
    for part in &csv.fields {
        check_part(part, &mut current_type, &mut problems);
    }
    if let Some(ty) = current_type {
        check_whole_mount(ty, &csv.fields, whole, &mut problems);
    }
    problems
}

fn error_at(span: Span, message: String) -> MountProblem {
    MountProblem {
        span,
        message,
        kind: MountProblemKind::BuildKitError,
    }
}

fn check_part(
    part: &MountPart,
    current_type: &mut Option<MountType>,
    problems: &mut Vec<MountProblem>,
) {
    let key = part.key.to_lowercase();
    let mount_key = MountKey::from_name(&key);
    let unexpected_for_type = |ty: MountType| {
        error_at(
            part.key_span,
            format!("unexpected key '{key}' for mount type '{ty}'"),
        )
    };
    let Some((value, value_span)) = &part.value else {
        match mount_key {
            Some(MountKey::ReadOnly | MountKey::ReadWrite) => {}
            Some(MountKey::Required) => {
                if let Some(ty) = current_type.filter(|ty| !ty.takes_option(MountKey::Required)) {
                    problems.push(unexpected_for_type(ty));
                }
            }
            _ => problems.push(error_at(
                part.field_span,
                format!("invalid field '{}' must be a key=value pair", part.key),
            )),
        }
        return;
    };
    let value_span = *value_span;
    let invalid_value = |message: String| error_at(value_span, message);
    let Some(mount_key) = mount_key else {
        problems.push(error_at(
            part.key_span,
            with_suggestion(
                format!("unexpected key '{key}' in '{}'", part.field_text()),
                suggest(&key, ALL_KEY_NAMES),
            ),
        ));
        return;
    };
    if mount_key == MountKey::From {
        if has_variable(value) {
            problems.push(invalid_value(
                "'from' doesn't support variable expansion, define alias stage instead".into(),
            ));
        }
        return;
    }
    if value.contains('$') {
        if mount_key == MountKey::Type {
            *current_type = None;
        }
        return;
    }
    match mount_key {
        MountKey::Type => {
            *current_type = MountType::from_name(value);
            if current_type.is_none() {
                problems.push(invalid_value(with_suggestion(
                    format!("unsupported mount type {value:?}"),
                    suggest(value, MountType::ALL.map(MountType::name)),
                )));
            }
        }
        MountKey::ReadOnly | MountKey::ReadWrite => {
            if parse_go_bool(value).is_none() {
                problems.push(invalid_value(format!("invalid value for {key}: {value}")));
            }
        }
        MountKey::Required | MountKey::Size => {
            let well_formed = if mount_key == MountKey::Required {
                parse_go_bool(value).is_some()
            } else {
                is_ram_size(value)
            };
            match *current_type {
                Some(ty) if !ty.takes_option(mount_key) => {
                    problems.push(unexpected_for_type(ty));
                }
                _ if !well_formed => {
                    problems.push(invalid_value(format!("invalid value for {key}: {value}")));
                }
                _ => {}
            }
        }
        MountKey::Sharing => {
            let allowed = mount_key_info(MountKey::Sharing).allowed_values;
            if !allowed.iter().any(|mode| mode.eq_ignore_ascii_case(value)) {
                problems.push(invalid_value(with_suggestion(
                    format!("unsupported sharing value {value:?}"),
                    suggest(value, allowed.iter().copied()),
                )));
            }
        }
        MountKey::Mode => {
            if !is_go_uint32(value, 8) {
                problems.push(invalid_value(format!("invalid value {value} for mode")));
            }
        }
        MountKey::Uid | MountKey::Gid => {
            if !is_go_uint32(value, 10) {
                problems.push(invalid_value(format!("invalid value {value} for {key}")));
            }
        }
        MountKey::From | MountKey::Source | MountKey::Target | MountKey::Id | MountKey::Env => {}
    }
}

/// The checks BuildKit makes once all fields are read (`validateMount`), then ours.
fn check_whole_mount(
    ty: MountType,
    parts: &[MountPart],
    whole: Span,
    problems: &mut Vec<MountProblem>,
) {
    let find = |key: MountKey| parts.iter().find(|part| part.mount_key() == Some(key));
    if !ty.takes_file_info() {
        for key in [MountKey::Mode, MountKey::Uid, MountKey::Gid] {
            if let Some(part) = find(key) {
                problems.push(error_at(
                    part.key_span,
                    format!("{} not allowed for {:?} type mounts", key.name(), ty.name()),
                ));
            }
        }
    }
    if ty == MountType::Secret {
        if let Some(part) = find(MountKey::From) {
            problems.push(error_at(
                part.key_span,
                "secret mount should not have a from".into(),
            ));
        }
        if let Some(part) = find(MountKey::Sharing) {
            problems.push(error_at(
                part.key_span,
                "secret mount should not define sharing".into(),
            ));
        }
        let source = find(MountKey::Source);
        let id = find(MountKey::Id);
        if source.is_none() && id.is_none() && find(MountKey::Target).is_none() {
            problems.push(error_at(
                whole,
                "invalid secret mount. one of source, target required".into(),
            ));
        }
        if let (Some(_), Some(id)) = (source, id) {
            problems.push(error_at(
                id.key_span,
                "both source and id can't be set".into(),
            ));
        }
    } else if let Some(part) = find(MountKey::Sharing).filter(|_| ty != MountType::Cache) {
        problems.push(error_at(
            part.key_span,
            format!("invalid cache sharing set for {ty} mount"),
        ));
    }
    let info = mount_type_info(ty);
    for part in parts {
        let Some(key) = part.mount_key() else {
            continue;
        };
        // Keys BuildKit already rejects for this type are reported above.
        let rejected = matches!(
            key,
            MountKey::Required
                | MountKey::Size
                | MountKey::Sharing
                | MountKey::Mode
                | MountKey::Uid
                | MountKey::Gid
        ) || (ty == MountType::Secret && key == MountKey::From);
        if key != MountKey::Type && !rejected && info.key_use(key).is_none() {
            problems.push(MountProblem {
                span: part.key_span,
                message: format!("'{}' has no effect on a {ty} mount", part.key),
                kind: MountProblemKind::NoEffect,
            });
        }
    }
}

/// Go's `strconv.ParseUint(value, radix, 32)`, which unlike Rust rejects a leading `+`.
fn is_go_uint32(value: &str, radix: u32) -> bool {
    !value.starts_with('+') && u32::from_str_radix(value, radix).is_ok()
}

/// BuildKit's test for `from=` values: a `$` followed by anything.
fn has_variable(value: &str) -> bool {
    value
        .find('$')
        .is_some_and(|dollar| value.len() > dollar + 1)
}

/// `units.RAMInBytes` from docker/go-units: `64m`, `1.5 GiB`, `1024`.
fn is_ram_size(value: &str) -> bool {
    let number_len = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, suffix) = value.split_at(number_len);
    let number_ok = number
        .split('.')
        .all(|digits| !digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit()))
        && number
            .bytes()
            .next()
            .is_some_and(|byte| byte.is_ascii_digit());
    let suffix = suffix
        .strip_prefix(' ')
        .unwrap_or(suffix)
        .to_ascii_lowercase();
    let suffix = suffix
        .strip_prefix(['k', 'm', 'g', 't', 'p'])
        .unwrap_or(&suffix);
    let suffix = suffix.strip_prefix('i').unwrap_or(suffix);
    let suffix = suffix.strip_prefix('b').unwrap_or(suffix);
    number_ok && suffix.is_empty()
}

/// The key list BuildKit offers suggestions from.
const ALL_KEY_NAMES: [&str; 19] = [
    "type",
    "from",
    "source",
    "target",
    "readonly",
    "id",
    "sharing",
    "required",
    "size",
    "mode",
    "uid",
    "gid",
    "src",
    "dst",
    "destination",
    "ro",
    "rw",
    "readwrite",
    "env",
];

struct Csv {
    fields: Vec<MountPart>,
    error: Option<&'static str>,
}

fn split_csv(text: &str) -> Csv {
    let mut fields = Vec::new();
    let mut error = None;
    if text.is_empty() {
        // encoding/csv reads no record at all from an empty string.
        return Csv {
            fields,
            error: Some("EOF"),
        };
    }
    let mut start = 0;
    loop {
        let (content, offsets, end, field_error) = read_field(text, start);
        error = error.or(field_error);
        fields.push(split_field(&content, &offsets, Span::new(start, end)));
        match text.get(end..).and_then(|rest| rest.strip_prefix(',')) {
            Some(_) => start = end + 1,
            None => break,
        }
    }
    Csv { fields, error }
}

/// Reads one CSV field starting at `start`: its unquoted content, the source offset of each
/// content byte, where the field ends (at the `,` or the end) and any quoting error.
fn read_field(text: &str, start: usize) -> (String, Vec<usize>, usize, Option<&'static str>) {
    let mut content = String::new();
    let mut offsets = Vec::new();
    let mut push = |content: &mut String, offset: usize, c: char| {
        content.push(c);
        offsets.extend((0..c.len_utf8()).map(|i| offset + i));
    };
    let rest = text.get(start..).unwrap_or_default();
    let mut chars = rest.char_indices().map(|(i, c)| (start + i, c)).peekable();
    if rest.starts_with('"') {
        chars.next();
        while let Some((offset, c)) = chars.next() {
            if c != '"' {
                push(&mut content, offset, c);
                continue;
            }
            if chars.next_if(|&(_, next)| next == '"').is_some() {
                push(&mut content, offset, '"');
                continue;
            }
            // The closing quote: only a comma or the end may follow.
            let end = offset + 1;
            return match chars.peek() {
                None | Some((_, ',')) => (content, offsets, end, None),
                Some(_) => {
                    let comma = text[end..].find(',').map_or(text.len(), |i| end + i);
                    for (offset, c) in text[end..comma].char_indices() {
                        push(&mut content, end + offset, c);
                    }
                    (content, offsets, comma, Some(QUOTE_ERROR))
                }
            };
        }
        return (content, offsets, text.len(), Some(QUOTE_ERROR));
    }
    let mut error = None;
    for (offset, c) in chars {
        if c == ',' {
            return (content, offsets, offset, error);
        }
        if c == '"' {
            error = Some("bare \" in non-quoted-field");
        }
        push(&mut content, offset, c);
    }
    (content, offsets, text.len(), error)
}

const QUOTE_ERROR: &str = "extraneous or missing \" in quoted-field";

fn split_field(content: &str, offsets: &[usize], field_span: Span) -> MountPart {
    let span_of = |from: usize, to: usize| -> Span {
        if from >= to {
            let at = offsets.get(from).copied().unwrap_or(field_span.end);
            return Span::empty(at);
        }
        let start = offsets.get(from).copied().unwrap_or(field_span.end);
        let end = offsets.get(to - 1).map_or(field_span.end, |last| last + 1);
        Span::new(start, end)
    };
    match content.split_once('=') {
        None => MountPart {
            key: content.to_string(),
            key_span: span_of(0, content.len()),
            value: None,
            field_span,
        },
        Some((key, value)) => {
            let value_start = key.len() + 1;
            let value_span = if value.is_empty() {
                // Right after the `=`, where typing would insert the value.
                Span::empty(offsets.get(key.len()).map_or(field_span.end, |eq| eq + 1))
            } else {
                span_of(value_start, content.len())
            };
            MountPart {
                key: key.to_string(),
                key_span: span_of(0, key.len()),
                value: Some((value.to_string(), value_span)),
                field_span,
            }
        }
    }
}

const fn key_use(key: MountKey, default: Option<&'static str>) -> MountKeyUse {
    MountKeyUse { key, default }
}

static MOUNT_TYPES: [MountTypeInfo; 5] = [
    MountTypeInfo {
        ty: MountType::Bind,
        doc: "Makes files of the build context, another stage or an image visible to the \
              command, read-only unless `rw` is given. Nothing is copied into the layer.",
        keys: &[
            key_use(MountKey::Target, Some("the working directory")),
            key_use(MountKey::Source, Some("the root of `from`")),
            key_use(MountKey::From, Some("the build context")),
            key_use(MountKey::ReadWrite, Some("false: read-only")),
            key_use(MountKey::ReadOnly, Some("true")),
        ],
    },
    MountTypeInfo {
        ty: MountType::Cache,
        doc: "A directory that survives between builds, for package manager and compiler \
              caches. Its content never ends up in the image.",
        keys: &[
            key_use(MountKey::Target, Some("the working directory")),
            key_use(MountKey::Id, Some("the target path")),
            key_use(MountKey::Sharing, Some("shared")),
            key_use(MountKey::ReadOnly, Some("false")),
            key_use(MountKey::ReadWrite, Some("true")),
            key_use(MountKey::From, Some("an empty directory")),
            key_use(MountKey::Source, Some("the root of `from`")),
            key_use(MountKey::Mode, Some("0755")),
            key_use(MountKey::Uid, Some("0")),
            key_use(MountKey::Gid, Some("0")),
        ],
    },
    MountTypeInfo {
        ty: MountType::Tmpfs,
        doc: "An empty in-memory filesystem for scratch files the layer must not keep.",
        keys: &[
            key_use(MountKey::Target, Some("the working directory")),
            key_use(MountKey::Size, Some("no limit")),
        ],
    },
    MountTypeInfo {
        ty: MountType::Secret,
        doc: "Exposes a secret passed with `--secret` as a file (or an environment variable \
              with `env`) for this command only, so it never lands in a layer or the history.",
        keys: &[
            key_use(MountKey::Id, Some("the file name of the target")),
            key_use(MountKey::Target, Some("/run/secrets/<id>")),
            key_use(MountKey::Env, None),
            key_use(MountKey::Required, Some("false")),
            key_use(MountKey::Mode, Some("0400")),
            key_use(MountKey::Uid, Some("0")),
            key_use(MountKey::Gid, Some("0")),
            key_use(MountKey::Source, Some("same as `id`")),
        ],
    },
    MountTypeInfo {
        ty: MountType::Ssh,
        doc: "Forwards an SSH agent socket given with `--ssh` so the command can fetch private \
              repositories without the key entering the image.",
        keys: &[
            key_use(MountKey::Id, Some("default")),
            key_use(MountKey::Target, Some("/run/buildkit/ssh_agent.<n>")),
            key_use(MountKey::Required, Some("false")),
            key_use(MountKey::Mode, Some("0600")),
            key_use(MountKey::Uid, Some("0")),
            key_use(MountKey::Gid, Some("0")),
        ],
    },
];

const fn key_info(
    key: MountKey,
    names: &'static [&'static str],
    value: MountValueKind,
    doc: &'static str,
) -> MountKeyInfo {
    MountKeyInfo {
        key,
        names,
        value,
        allowed_values: &[],
        min_syntax: None,
        doc,
    }
}

static MOUNT_KEYS: [MountKeyInfo; 14] = [
    MountKeyInfo {
        allowed_values: &["bind", "cache", "tmpfs", "secret", "ssh"],
        ..key_info(
            MountKey::Type,
            &["type"],
            MountValueKind::Choice,
            "The kind of mount; `bind` when omitted.",
        )
    },
    key_info(
        MountKey::From,
        &["from"],
        MountValueKind::StageOrImage,
        "The stage, image or named context to take files from. Variables are not allowed here.",
    ),
    key_info(
        MountKey::Source,
        &["source", "src"],
        MountValueKind::Path,
        "The path inside `from` to mount; for secrets, the same as `id`.",
    ),
    key_info(
        MountKey::Target,
        &["target", "dst", "destination"],
        MountValueKind::Path,
        "Where the mount appears inside the container.",
    ),
    key_info(
        MountKey::ReadOnly,
        &["readonly", "ro"],
        MountValueKind::Bool,
        "Mounts read-only; may be written bare.",
    ),
    key_info(
        MountKey::ReadWrite,
        &["readwrite", "rw"],
        MountValueKind::Bool,
        "Allows writes to a bind mount; they are thrown away after the command.",
    ),
    key_info(
        MountKey::Id,
        &["id"],
        MountValueKind::Text,
        "Names the cache, secret or SSH agent to use.",
    ),
    MountKeyInfo {
        allowed_values: &["shared", "private", "locked"],
        ..key_info(
            MountKey::Sharing,
            &["sharing"],
            MountValueKind::Choice,
            "How concurrent builds share a cache: `shared` lets them write at once, `private` \
             gives each its own copy, `locked` makes them wait for each other.",
        )
    },
    key_info(
        MountKey::Required,
        &["required"],
        MountValueKind::Bool,
        "Fails the build when the secret or SSH agent was not provided.",
    ),
    key_info(
        MountKey::Size,
        &["size"],
        MountValueKind::Size,
        "Upper limit of a tmpfs mount, e.g. `64m`.",
    ),
    key_info(
        MountKey::Mode,
        &["mode"],
        MountValueKind::OctalMode,
        "File mode of the mount in octal, e.g. `0755`.",
    ),
    key_info(
        MountKey::Uid,
        &["uid"],
        MountValueKind::Id,
        "User id owning the mount.",
    ),
    key_info(
        MountKey::Gid,
        &["gid"],
        MountValueKind::Id,
        "Group id owning the mount.",
    ),
    MountKeyInfo {
        min_syntax: Some(SyntaxVersion::new(1, 10)),
        ..key_info(
            MountKey::Env,
            &["env"],
            MountValueKind::Text,
            "Exposes the secret as this environment variable instead of (or besides) a file.",
        )
    },
];

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn show_parts(value: &str) -> String {
        parse_mount(value)
            .iter()
            .map(|part| {
                let slice = |span: Span| value.get(span.start..span.end).unwrap_or("<bad span>");
                let value_part = match &part.value {
                    Some((text, span)) => {
                        format!(
                            " = {text:?} @{}..{} {:?}",
                            span.start,
                            span.end,
                            slice(*span)
                        )
                    }
                    None => String::new(),
                };
                format!(
                    "{:?} @{}..{} {:?}{value_part} field {:?}\n",
                    part.key,
                    part.key_span.start,
                    part.key_span.end,
                    slice(part.key_span),
                    slice(part.field_span),
                )
            })
            .collect()
    }

    fn check_parts(value: &str, expect: Expect) {
        expect.assert_eq(&show_parts(value));
    }

    #[test]
    fn parses_fields_with_offsets() {
        check_parts(
            "type=cache,target=/root/.cache,sharing=locked",
            expect![[r#"
                "type" @0..4 "type" = "cache" @5..10 "cache" field "type=cache"
                "target" @11..17 "target" = "/root/.cache" @18..30 "/root/.cache" field "target=/root/.cache"
                "sharing" @31..38 "sharing" = "locked" @39..45 "locked" field "sharing=locked"
            "#]],
        );
    }

    #[test]
    fn parses_bare_keys_empty_values_and_trailing_commas() {
        check_parts(
            "ro,target=,Dst=/x=y,",
            expect![[r#"
                "ro" @0..2 "ro" field "ro"
                "target" @3..9 "target" = "" @10..10 "" field "target="
                "Dst" @11..14 "Dst" = "/x=y" @15..19 "/x=y" field "Dst=/x=y"
                "" @20..20 "" field ""
            "#]],
        );
    }

    #[test]
    fn parses_quoted_fields() {
        check_parts(
            r#""target=/a,b","id=x""y""#,
            expect![[r#"
                "target" @1..7 "target" = "/a,b" @8..12 "/a,b" field "\"target=/a,b\""
                "id" @15..17 "id" = "x\"y" @18..22 "x\"\"y" field "\"id=x\"\"y\""
            "#]],
        );
        check_parts(
            r#""src=é""#,
            expect![[r#"
                "src" @1..4 "src" = "é" @5..7 "é" field "\"src=é\""
            "#]],
        );
    }

    #[test]
    fn mount_type_defaults_to_bind() {
        let ty = |value: &str| mount_type(&parse_mount(value));
        assert_eq!(ty("target=/x"), Some(MountType::Bind));
        assert_eq!(ty("type=Cache,target=/x"), Some(MountType::Cache));
        assert_eq!(ty("type=cache,type=secret"), Some(MountType::Secret));
        assert_eq!(ty("type=cach"), None);
        assert_eq!(ty("type=$T"), None);
    }

    #[test]
    fn key_lookup_folds_aliases_and_case() {
        let keys: Vec<Option<MountKey>> = ["dst", "DESTINATION", "src", "ro", "RW", "targ"]
            .into_iter()
            .map(MountKey::from_name)
            .collect();
        assert_eq!(
            keys,
            [
                Some(MountKey::Target),
                Some(MountKey::Target),
                Some(MountKey::Source),
                Some(MountKey::ReadOnly),
                Some(MountKey::ReadWrite),
                None
            ]
        );
        assert_eq!(MountKey::ReadWrite.name(), "readwrite");
    }

    #[test]
    fn tables_are_consistent() {
        for (index, info) in mount_types().iter().enumerate() {
            assert_eq!(mount_type_info(info.ty), info);
            assert_eq!(MountType::ALL.get(index), Some(&info.ty));
            assert!(info.keys.iter().all(|usage| usage.key != MountKey::Type));
        }
        let mut names: Vec<&str> = mount_keys()
            .iter()
            .flat_map(|k| k.names.iter().copied())
            .collect();
        names.sort_unstable();
        let mut expected = ALL_KEY_NAMES.to_vec();
        expected.sort_unstable();
        assert_eq!(names, expected);
        for (index, info) in mount_keys().iter().enumerate() {
            assert_eq!(info.key as usize, index);
            assert_eq!(mount_key_info(info.key), info);
            assert_eq!(
                info.allowed_values.is_empty(),
                info.value != MountValueKind::Choice
            );
        }
        let types: Vec<&str> = MountType::ALL.map(MountType::name).to_vec();
        assert_eq!(mount_key_info(MountKey::Type).allowed_values, types);
    }

    fn check_problems(value: &str, expect: Expect) {
        let shown: String = check_mount(value)
            .iter()
            .map(|problem| {
                format!(
                    "{:?} {:?}: {}\n",
                    problem.kind,
                    value
                        .get(problem.span.start..problem.span.end)
                        .unwrap_or("<bad span>"),
                    problem.message
                )
            })
            .collect();
        expect.assert_eq(&shown);
    }

    #[test]
    fn valid_mounts_have_no_problems() {
        for value in [
            "type=cache,target=/root/.cache,sharing=locked",
            "type=cache,target=/go/pkg/mod,id=gomod,mode=0777,uid=1000,gid=1000",
            "target=/src,from=builder,source=/out,rw",
            "from=builder",
            "type=bind,target=.,ro=false",
            "type=secret,id=npmrc,target=/root/.npmrc,required",
            "type=secret,id=token,env=TOKEN,required=true",
            "type=ssh",
            "type=tmpfs,target=/tmp,size=64m",
            "type=tmpfs,target=/tmp,size=1.5 GiB",
            "type=cache,target=$HOME/.cache,id=$CACHE_ID",
            "type=$TYPE,target=/x,size=1m",
        ] {
            assert_eq!(check_mount(value), [], "{value}");
        }
    }

    #[test]
    fn reports_buildkit_errors() {
        check_problems(
            "type=cach,target=/x",
            expect![[r#"
                BuildKitError "cach": unsupported mount type "cach" (did you mean cache?)
            "#]],
        );
        check_problems(
            "type=cache,taget=/x,sharing=lockd",
            expect![[r#"
                BuildKitError "taget": unexpected key 'taget' in 'taget=/x' (did you mean target?)
                BuildKitError "lockd": unsupported sharing value "lockd" (did you mean locked?)
            "#]],
        );
        check_problems(
            "size=1m,type=tmpfs,target=/t",
            expect![[r#"
                BuildKitError "size": unexpected key 'size' for mount type 'bind'
            "#]],
        );
        check_problems(
            "target=/x,required,mode=777,uid=x",
            expect![[r#"
                BuildKitError "required": unexpected key 'required' for mount type 'bind'
                BuildKitError "x": invalid value x for uid
                BuildKitError "mode": mode not allowed for "bind" type mounts
                BuildKitError "uid": uid not allowed for "bind" type mounts
            "#]],
        );
        check_problems(
            "type=cache,target=/x,ro=maybe,mode=999,uid=+1,cache",
            expect![[r#"
                BuildKitError "maybe": invalid value for ro: maybe
                BuildKitError "999": invalid value 999 for mode
                BuildKitError "+1": invalid value +1 for uid
                BuildKitError "cache": invalid field 'cache' must be a key=value pair
            "#]],
        );
        check_problems(
            "type=secret,from=builder,sharing=locked",
            expect![[r#"
                BuildKitError "from": secret mount should not have a from
                BuildKitError "sharing": secret mount should not define sharing
                BuildKitError "type=secret,from=builder,sharing=locked": invalid secret mount. one of source, target required
            "#]],
        );
        check_problems(
            "type=secret,src=a,id=b",
            expect![[r#"
                BuildKitError "id": both source and id can't be set
            "#]],
        );
        check_problems(
            "type=ssh,sharing=private,from=$STAGE",
            expect![[r#"
                BuildKitError "$STAGE": 'from' doesn't support variable expansion, define alias stage instead
                BuildKitError "sharing": invalid cache sharing set for ssh mount
                NoEffect "from": 'from' has no effect on a ssh mount
            "#]],
        );
        check_problems(
            "type=tmpfs,target=/t,size=lots",
            expect![[r#"
                BuildKitError "lots": invalid value for size: lots
            "#]],
        );
    }

    #[test]
    fn reports_keys_without_effect() {
        check_problems(
            "type=bind,id=x,env=Y",
            expect![[r#"
                NoEffect "id": 'id' has no effect on a bind mount
                NoEffect "env": 'env' has no effect on a bind mount
            "#]],
        );
    }

    #[test]
    fn reports_csv_errors_like_buildkit() {
        check_problems(
            "",
            expect![[r#"
                BuildKitError "": failed to parse csv mounts: EOF
            "#]],
        );
        check_problems(
            r#"target="/x""#,
            expect![[r#"
                BuildKitError "target=\"/x\"": failed to parse csv mounts: bare " in non-quoted-field
            "#]],
        );
        check_problems(
            r#""target=/x"y,ro"#,
            expect![[r#"
                BuildKitError "\"target=/x\"y,ro": failed to parse csv mounts: extraneous or missing " in quoted-field
            "#]],
        );
        check_problems(
            r#""target=/x"#,
            expect![[r#"
                BuildKitError "\"target=/x": failed to parse csv mounts: extraneous or missing " in quoted-field
            "#]],
        );
    }
}
