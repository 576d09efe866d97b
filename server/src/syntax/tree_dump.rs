//! `stagesmith parse --format tree`: our syntax tree, one node per line with its byte span.

use std::fmt::Write;

use super::tree::{Args, Instruction, SyntaxTree, Word};

pub fn tree_dump(tree: &SyntaxTree) -> String {
    let mut out = String::new();
    for directive in &tree.directives {
        let _ = writeln!(
            out,
            "DIRECTIVE {} {:?} {:?}",
            directive.kind.name(),
            directive.value_text,
            directive.span
        );
    }
    for comment in &tree.comments {
        let _ = writeln!(
            out,
            "COMMENT {:?} {:?}",
            tree.slice(comment.span),
            comment.span
        );
    }
    for instruction in &tree.instructions {
        dump_instruction(tree, instruction, 0, &mut out);
    }
    out
}

fn dump_instruction(tree: &SyntaxTree, instruction: &Instruction, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let _ = writeln!(
        out,
        "{indent}{} {:?} keyword={:?}",
        instruction.kind.name(),
        instruction.span,
        instruction.keyword
    );
    for flag in &instruction.flags {
        let value = flag
            .value
            .as_ref()
            .map(|v| format!(" value={:?} {:?}", v.text, v.span))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{indent}  FLAG {:?} name={:?}{value}",
            flag.name, flag.name_span
        );
    }
    dump_args(tree, &instruction.args, depth + 1, out);
    for heredoc in &instruction.heredocs {
        let _ = writeln!(
            out,
            "{indent}  HEREDOC {:?} marker={:?} body={:?} terminator={:?} chomp={} expand={}",
            heredoc.name,
            heredoc.marker,
            heredoc.body,
            heredoc.terminator,
            heredoc.chomp,
            heredoc.expand
        );
    }
    for var in &instruction.vars {
        let _ = writeln!(
            out,
            "{indent}  VAR {} {:?} {:?}",
            var.name, var.span, var.expansion
        );
    }
}

fn dump_args(tree: &SyntaxTree, args: &Args, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let mut word = |label: &str, word: &Word| {
        let _ = writeln!(out, "{indent}{label} {:?} {:?}", word.text, word.span);
    };
    match args {
        Args::None | Args::Ignored(None) => {}
        Args::Ignored(Some(text)) => word("IGNORED", text),
        Args::Exec(exec) => exec.items.iter().for_each(|item| word("EXEC", item)),
        Args::Text(text) => word("TEXT", text),
        Args::Words(words) => words.iter().for_each(|w| word("WORD", w)),
        Args::Pairs(pairs) => {
            for pair in pairs {
                word("KEY", &pair.key);
                if let Some(value) = &pair.value {
                    word("  VALUE", value);
                }
            }
        }
        Args::Healthcheck { kind, command } => {
            word("TYPE", kind);
            dump_args(tree, command, depth, out);
        }
        Args::Onbuild(inner) => dump_instruction(tree, inner, depth, out),
    }
}
