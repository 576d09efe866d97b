//! Configuration: `.stagesmith.toml` and client settings.
