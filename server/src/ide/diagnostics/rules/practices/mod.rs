//! Curated best practices (hadolint-inspired, our names).
use crate::ide::diagnostics::RuleDef;

pub(super) static RULES: &[RuleDef] = &[];
