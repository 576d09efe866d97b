//! The client's `stagesmith` settings, turned into a `Config`; each change gets a new generation so
//! cached diagnostics know they are stale.

use std::sync::{Arc, RwLock};

use serde_json::Value;

use crate::config::{Config, apply_settings_json};

#[derive(Debug, Default)]
pub struct Settings {
    pub generation: u64,
    pub config: Config,
    /// The client's `stagesmith` section as sent, applied again over each `.stagesmith.toml`.
    pub section: Value,
}

/// The current settings, swapped as a whole; readers clone the `Arc` and never hold the lock.
#[derive(Debug, Default)]
pub struct SettingsCell {
    current: RwLock<Arc<Settings>>,
}

impl SettingsCell {
    pub fn get(&self) -> Arc<Settings> {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Replaces the settings with those read from the client's `stagesmith` section; returns
    /// whether they changed (only then is there anything to re-lint).
    pub fn update(&self, section: &Value) -> bool {
        let config = config_from_settings(section);
        let mut current = self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if current.config == config {
            return false;
        }
        *current = Arc::new(Settings {
            generation: current.generation + 1,
            config,
            section: section.clone(),
        });
        true
    }
}

/// The single place where client settings JSON becomes a `Config`: defaults, then the client's
/// section. Problems in the section are logged and the rest of it still applies.
fn config_from_settings(section: &Value) -> Config {
    config_over(Config::default(), section)
}

/// `config` with the client's section applied over it (client settings win over files).
pub fn config_over(mut config: Config, section: &Value) -> Config {
    if let Err(problems) = apply_settings_json(&mut config, section) {
        for problem in problems {
            eprintln!("stagesmith: settings: {problem}");
        }
    }
    config
}
