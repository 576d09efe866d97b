//! BuildKit build checks and the errors BuildKit raises that can be known statically.
use crate::ide::diagnostics::RuleDef;

pub(super) static RULES: &[RuleDef] = &[];
