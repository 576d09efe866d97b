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
