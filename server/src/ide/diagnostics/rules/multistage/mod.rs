//! Multi-stage rules of our own: stage references, final-stage hygiene.
use crate::ide::diagnostics::RuleDef;

pub(super) static RULES: &[RuleDef] = &[];
