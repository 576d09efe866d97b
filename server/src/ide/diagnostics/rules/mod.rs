//! The rule registry: BuildKit's checks and errors, our multi-stage rules, curated practices.

mod buildkit;
mod multistage;
mod practices;

use std::sync::LazyLock;

use super::RuleDef;

pub(super) static ALL: LazyLock<Vec<RuleDef>> = LazyLock::new(|| {
    let mut all = Vec::new();
    all.extend_from_slice(buildkit::RULES);
    all.extend_from_slice(multistage::RULES);
    all.extend_from_slice(practices::RULES);
    all
});

/// BuildKit's own rules: `# check=error=true` applies to them, and its hard errors cannot be
/// skipped (the build fails whatever the directive says).
pub(super) fn is_buildkit(name: &str) -> bool {
    buildkit::RULES.iter().any(|rule| rule.meta.name == name)
}

/// True when a rule reports this parser error under its own code.
pub(super) fn syntax_error_has_rule(message: &str) -> bool {
    buildkit::syntax_error_has_rule(message)
}
