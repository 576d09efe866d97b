//! Facts about Dockerfile instructions, flags, mounts, predefined ARGs, base images and directives,
//! shared by completion, hover, diagnostics and assists.
//!
//! Pure data and small pure functions: nothing here looks at the syntax tree, so every feature
//! can ask the same questions and get the same answers. Texts are our own words; BuildKit's
//! wording is kept only where a diagnostic must match BuildKit's error message.

mod args;
#[cfg(test)]
mod corpus_tests;
mod directives;
mod flags;
mod images;
mod instructions;
mod mount;

pub use args::{ArgScope, PredefinedArg, predefined_arg, predefined_args};
pub use directives::{
    CheckDirective, CheckOption, CheckOptionKey, CheckValue, RESERVED_STAGE_NAMES,
    is_reserved_stage_name, is_valid_stage_name, parse_check_directive,
};
pub use flags::{FlagInfo, FlagValueKind, flag, flags_for, suggest_flag};
pub use images::{
    BaseImage, DefaultUser, Ecosystem, ImageFamily, ImageRef, base_image, base_images,
    default_user, image_family, looks_like_image_ref, parse_image_ref,
};
pub use instructions::{
    InstructionInfo, allowed_as_onbuild_trigger, instruction_info, instructions,
};
pub use mount::{
    MountKey, MountKeyInfo, MountKeyUse, MountPart, MountProblem, MountProblemKind, MountType,
    MountTypeInfo, MountValueKind, check_mount, mount_key_info, mount_keys, mount_type,
    mount_type_info, mount_types, parse_mount,
};

use std::fmt;

/// The lowest `# syntax=docker/dockerfile:X.Y` frontend that understands a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SyntaxVersion {
    pub major: u16,
    pub minor: u16,
    /// Only in the `-labs` channel of the frontend (`docker/dockerfile:1.14-labs`).
    pub labs: bool,
}

impl SyntaxVersion {
    pub const fn new(major: u16, minor: u16) -> SyntaxVersion {
        SyntaxVersion {
            major,
            minor,
            labs: false,
        }
    }

    pub const fn labs(major: u16, minor: u16) -> SyntaxVersion {
        SyntaxVersion {
            major,
            minor,
            labs: true,
        }
    }
}

/// Whether the frontend named by a `# syntax=` directive understands a feature that needs
/// `required`. `None` when the directive names no versioned `docker/dockerfile` image (a custom
/// frontend, a digest only, `master`), so nothing can be said.
///
/// `docker/dockerfile:1` follows the latest 1.x release and so has every stable 1.x feature;
/// `:1.4` and `:1.4.3` have what 1.4 had; labs features need a `-labs` tag of at least that
/// version.
pub fn frontend_supports(frontend: &str, required: SyntaxVersion) -> Option<bool> {
    let image = parse_image_ref(frontend.trim());
    let name = image.canonical_name();
    if name != "docker/dockerfile" && name != "docker/dockerfile-upstream" {
        return None;
    }
    let tag = image.tag?;
    let (version, labs) = match tag.strip_suffix("-labs") {
        Some(version) => (version, true),
        None => (tag.as_str(), false),
    };
    let mut numbers = version.split('.');
    let major: u16 = numbers.next()?.parse().ok()?;
    let minor: Option<u16> = match numbers.next() {
        Some(minor) => Some(minor.parse().ok()?),
        None => None,
    };
    if required.labs && !labs {
        return Some(false);
    }
    Some(match minor {
        None => major >= required.major,
        Some(minor) => (major, minor) >= (required.major, required.minor),
    })
}

impl fmt::Display for SyntaxVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if self.labs {
            f.write_str("-labs")?;
        }
        Ok(())
    }
}

/// Did-you-mean: the candidate closest to `word`, compared case-insensitively.
///
/// Uses the optimal-string-alignment distance (a swap of two neighbouring letters counts as one
/// edit, so `buidler` finds `builder`). The allowed distance grows with the word: none for one or
/// two characters, one up to five, two up to nine, three beyond, so short words are not matched
/// to anything. A candidate spelled exactly like `word` is skipped: suggesting the word itself
/// helps nobody. Ties go to the earlier candidate.
pub fn suggest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let word_lower = word.to_lowercase();
    let max_distance = match word.chars().count() {
        0..=2 => 0,
        3..=5 => 1,
        6..=9 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let distance = strsim::osa_distance(&word_lower, &candidate.to_lowercase());
        if distance <= max_distance
            && best.is_none_or(|(best_distance, _)| distance < best_distance)
        {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// BuildKit's way of appending a suggestion to an error message.
pub(crate) fn with_suggestion(message: String, suggestion: Option<&str>) -> String {
    match suggestion {
        Some(suggestion) => format!("{message} (did you mean {suggestion}?)"),
        None => message,
    }
}

/// Go's `strconv.ParseBool`, which BuildKit uses for mount options and `# check=error=`.
pub(crate) fn parse_go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggest_finds_close_words_case_insensitively() {
        let stages = ["builder", "deps", "runner"];
        assert_eq!(suggest("buidler", stages), Some("builder"));
        assert_eq!(suggest("Builder", stages), Some("builder"));
        assert_eq!(suggest("BUILDR", stages), Some("builder"));
        assert_eq!(suggest("compiler", stages), None);
        assert_eq!(suggest("dep", stages), Some("deps"));
    }

    #[test]
    fn suggest_keeps_short_words_and_exact_spellings_to_themselves() {
        assert_eq!(suggest("ab", ["abc", "a"]), None);
        assert_eq!(suggest("builder", ["builder"]), None);
        assert_eq!(suggest("", ["a"]), None);
    }

    #[test]
    fn suggest_prefers_the_closest_then_the_first() {
        assert_eq!(suggest("cachd", ["cached", "cache"]), Some("cached"));
        assert_eq!(suggest("lockd", ["shared", "locked"]), Some("locked"));
        assert_eq!(suggest("tmpf", ["tmpfs", "tmpf1"]), Some("tmpfs"));
        assert_eq!(suggest("secrte", ["ssh", "secret"]), Some("secret"));
    }

    #[test]
    fn go_bools_follow_strconv() {
        let parsed: Vec<Option<bool>> = ["1", "T", "True", "false", "0", "yes", "tRuE", ""]
            .into_iter()
            .map(parse_go_bool)
            .collect();
        assert_eq!(
            parsed,
            [
                Some(true),
                Some(true),
                Some(true),
                Some(false),
                Some(false),
                None,
                None,
                None
            ]
        );
    }

    #[test]
    fn frontend_versions() {
        let link = SyntaxVersion::new(1, 4);
        let device = SyntaxVersion::labs(1, 14);
        let cases = [
            ("docker/dockerfile:1", link, Some(true)),
            ("docker/dockerfile:1.2", link, Some(false)),
            ("docker/dockerfile:1.4.3", link, Some(true)),
            ("docker.io/docker/dockerfile:1.7", link, Some(true)),
            ("docker/dockerfile:1", device, Some(false)),
            ("docker/dockerfile:1.14-labs", device, Some(true)),
            ("docker/dockerfile:1-labs", device, Some(true)),
            ("docker/dockerfile:1.13-labs", device, Some(false)),
            ("docker/dockerfile:master", link, None),
            ("docker/dockerfile", link, None),
            ("example.com/my/frontend:1", link, None),
        ];
        for (frontend, required, expected) in cases {
            assert_eq!(
                frontend_supports(frontend, required),
                expected,
                "{frontend}"
            );
        }
    }

    #[test]
    fn syntax_versions_print_like_frontend_tags() {
        assert_eq!(SyntaxVersion::new(1, 4).to_string(), "1.4");
        assert_eq!(SyntaxVersion::labs(1, 14).to_string(), "1.14-labs");
        assert!(SyntaxVersion::new(1, 2) < SyntaxVersion::new(1, 10));
    }
}
