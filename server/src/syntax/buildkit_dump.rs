//! BuildKit's `Node.Dump()` text, the format of its parser test fixtures.

use unicode_general_category::{GeneralCategory, get_general_category};

use super::tree::{Args, Instruction, InstructionKind, PairSeparator, SyntaxTree};

/// One line per instruction, exactly as `result` files in BuildKit's parser tests.
pub fn buildkit_dump(tree: &SyntaxTree) -> String {
    let mut out = String::new();
    for instruction in &tree.instructions {
        out.push('(');
        out.push_str(&dump_instruction(instruction));
        out.push_str(")\n");
    }
    out
}

fn dump_instruction(instruction: &Instruction) -> String {
    let mut out = instruction.keyword_text.to_lowercase();
    if !instruction.flags.is_empty() {
        let flags: Vec<String> = instruction.flags.iter().map(|f| go_quote(&f.raw)).collect();
        out.push_str(" [");
        out.push_str(&flags.join(" "));
        out.push(']');
    }
    dump_args(instruction.kind, &instruction.args, &mut out);
    out.trim().to_string()
}

fn dump_args(kind: InstructionKind, args: &Args, out: &mut String) {
    let mut quoted = |value: &str| {
        out.push(' ');
        out.push_str(&go_quote(value));
    };
    match args {
        Args::None => {}
        Args::Ignored(_) => quoted(""),
        Args::Exec(exec) => exec.items.iter().for_each(|item| quoted(&item.text)),
        Args::Text(word) => quoted(&word.text),
        Args::Words(words) => words.iter().for_each(|word| quoted(&word.text)),
        Args::Pairs(pairs) if kind == InstructionKind::Arg => {
            for pair in pairs {
                match &pair.value {
                    Some(value) => quoted(&format!("{}={}", pair.key.text, value.text)),
                    None => quoted(&pair.key.text),
                }
            }
        }
        Args::Pairs(pairs) => {
            for pair in pairs {
                match pair.separator {
                    PairSeparator::None => quoted(&pair.key.text),
                    PairSeparator::Equals | PairSeparator::Space => {
                        quoted(&pair.key.text);
                        quoted(pair.value.as_ref().map_or("", |v| v.text.as_str()));
                        quoted(if pair.separator == PairSeparator::Equals {
                            "="
                        } else {
                            ""
                        });
                    }
                }
            }
        }
        Args::Healthcheck {
            kind: check_type,
            command,
        } => {
            quoted(&check_type.text);
            dump_args(kind, command, out);
        }
        Args::Onbuild(inner) => {
            out.push_str(" (");
            out.push_str(&dump_instruction(inner));
            out.push(')');
        }
    }
}

/// Go's `strconv.Quote`.
pub(super) fn go_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
fn is_go_printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    use GeneralCategory::*;
    !matches!(
        get_general_category(c),
        Control
            | Format
            | Surrogate
            | PrivateUse
            | Unassigned
            | SpaceSeparator
            | LineSeparator
            | ParagraphSeparator
    )
}

#[cfg(test)]
mod tests {
    use super::go_quote;

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(
            go_quote("\u{0}\u{7f}\t♥ é\u{a0}\u{feff}😀"),
            r#""\x00\x7f\t♥ é\u00a0\ufeff😀""#
        );
    }
}
