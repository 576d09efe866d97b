use super::tree::SyntaxTree;

pub fn tree_dump(_tree: &SyntaxTree) -> String {
    String::new()
}
