//! Variable references.
use super::tree::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    pub name_span: Span,
    pub span: Span,
    pub modifier: Option<VarModifier>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarModifier {
    pub operator: String,
    pub word: Span,
}
