//! Configuration: `.stagesmith.toml` found upward from a file, and the client's `stagesmith` settings.

use std::collections::BTreeMap;

use crate::ide::diagnostics::Severity;

/// What a user may set a rule to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    On(Severity),
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
