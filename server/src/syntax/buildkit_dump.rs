use super::tree::SyntaxTree;

pub fn buildkit_dump(_tree: &SyntaxTree) -> String {
    String::new()
}
