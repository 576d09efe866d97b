//! Multi-stage rules of our own: stage references, final-stage hygiene.

pub(super) mod facts;
#[cfg(test)]
pub(super) mod test_support;

use crate::ide::diagnostics::RuleDef;

pub(super) static RULES: &[RuleDef] = &[];
