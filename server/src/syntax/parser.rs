use super::tree::*;

pub fn parse(text: &str) -> Parse {
    let tree = SyntaxTree {
        source: text.to_string(),
        escape: '\\',
        directives: Vec::new(),
        comments: Vec::new(),
        instructions: Vec::new(),
        tokens: Vec::new(),
    };
    Parse {
        tree,
        errors: Vec::new(),
    }
}
