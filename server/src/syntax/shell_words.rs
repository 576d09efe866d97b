//! Word splitting the way BuildKit's line parsers and shell lexer do it, with byte offsets.

use super::lexer::{is_space, is_split_space};

/// A word of a line: its text as BuildKit builds it and its byte range in that line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RawWord {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// BuildKit's `parseWords`: white-space separated words, quotes kept, an escape character keeps
/// the character after it (also a quote or a blank); a lone escape at the very end is dropped.
pub(super) fn parse_words(rest: &str, escape: char) -> Vec<RawWord> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(char),
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut start = 0;
    let mut blank_ok = false;
    let mut chars = rest.char_indices().peekable();
    while let Some((pos, ch)) = chars.next() {
        let at_end = pos + ch.len_utf8() == rest.len();
        match phase {
            Phase::Spaces => {
                if is_space(ch) {
                    continue;
                }
                start = pos;
                phase = Phase::Word;
            }
            Phase::Word | Phase::Quote(_) => {}
        }
        match phase {
            Phase::Spaces => {}
            Phase::Word => {
                if is_space(ch) {
                    if blank_ok || !word.is_empty() {
                        words.push(RawWord {
                            text: std::mem::take(&mut word),
                            start,
                            end: pos,
                        });
                    }
                    word.clear();
                    blank_ok = false;
                    phase = Phase::Spaces;
                    continue;
                }
                if ch == '\'' || ch == '"' {
                    phase = Phase::Quote(ch);
                    blank_ok = true;
                }
                if ch == escape {
                    if at_end {
                        continue;
                    }
                    word.push(ch);
                    if let Some((_, next)) = chars.next() {
                        word.push(next);
                    }
                    continue;
                }
                word.push(ch);
            }
            Phase::Quote(quote) => {
                if ch == quote {
                    phase = Phase::Word;
                }
                if ch == escape && quote != '\'' {
                    if at_end {
                        phase = Phase::Word;
                        continue;
                    }
                    word.push(ch);
                    if let Some((_, next)) = chars.next() {
                        word.push(next);
                    }
                    continue;
                }
                word.push(ch);
            }
        }
    }
    if phase != Phase::Spaces && (blank_ok || !word.is_empty()) {
        words.push(RawWord {
            text: word,
            start,
            end: rest.len(),
        });
    }
    words
}

/// BuildKit's `reWhitespace.Split`: runs of `[\t\v\f\r ]` separate words, nothing else is special.
pub(super) fn split_whitespace(rest: &str) -> Vec<RawWord> {
    let mut words = Vec::new();
    let mut start = None;
    for (pos, ch) in rest.char_indices() {
        match (is_split_space(ch), start) {
            (true, Some(from)) => {
                words.push(RawWord {
                    text: rest[from..pos].to_string(),
                    start: from,
                    end: pos,
                });
                start = None;
            }
            (false, None) => start = Some(pos),
            _ => {}
        }
    }
    if let Some(from) = start {
        words.push(RawWord {
            text: rest[from..].to_string(),
            start: from,
            end: rest.len(),
        });
    }
    words
}

/// Shell-like words with quotes and escapes kept raw (BuildKit's lexer with `RawQuotes` and
/// `RawEscapes`), used to find heredoc markers. The escape character is always `\` there.
pub(super) fn raw_shell_words(line: &str) -> Vec<RawWord> {
    let mut words = Vec::new();
    let mut start = None;
    let mut quote = None;
    let mut chars = line.char_indices();
    while let Some((pos, ch)) = chars.next() {
        if quote.is_none() && is_space(ch) {
            if let Some(from) = start.take() {
                words.push(RawWord {
                    text: line[from..pos].to_string(),
                    start: from,
                    end: pos,
                });
            }
            continue;
        }
        start.get_or_insert(pos);
        match (quote, ch) {
            (None, '\'' | '"') => quote = Some(ch),
            (Some(open), _) if ch == open => quote = None,
            (None | Some('"'), '\\') => {
                chars.next();
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        words.push(RawWord {
            text: line[from..].to_string(),
            start: from,
            end: line.len(),
        });
    }
    words
}

/// Removes shell quoting the way BuildKit's lexer does (without expanding variables): single
/// quotes are literal, in double quotes the escape character only escapes `"`, `$` and itself,
/// outside quotes it escapes any character.
pub fn unquote(text: &str, escape: char) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\'' => {
                for inner in chars.by_ref() {
                    if inner == '\'' {
                        break;
                    }
                    out.push(inner);
                }
            }
            '"' => {
                while let Some(inner) = chars.next() {
                    if inner == '"' {
                        break;
                    }
                    if inner == escape {
                        match chars.peek() {
                            None => continue,
                            Some(&next) if next == '"' || next == '$' || next == escape => {
                                out.push(next);
                                chars.next();
                                continue;
                            }
                            Some(_) => {}
                        }
                    }
                    out.push(inner);
                }
            }
            c if c == escape => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(words: Vec<RawWord>) -> Vec<String> {
        words.into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn parse_words_keeps_quotes() {
        assert_eq!(
            texts(parse_words(r#"abc="123 456" def"#, '\\')),
            vec![r#"abc="123 456""#, "def"]
        );
        assert_eq!(texts(parse_words(r"a\ b c\", '\\')), vec![r"a\ b", "c"]);
        assert_eq!(texts(parse_words("''", '\\')), vec!["''"]);
    }

    #[test]
    fn unquote_like_buildkit() {
        assert_eq!(unquote(r#""a\"b""#, '\\'), "a\"b");
        assert_eq!(unquote(r#""a\nb""#, '\\'), "a\\nb");
        assert_eq!(unquote("'a\\'", '\\'), "a\\");
        assert_eq!(unquote(r"value\ value2", '\\'), "value value2");
    }

    #[test]
    fn raw_shell_words_split_on_unquoted_blanks() {
        assert_eq!(
            texts(raw_shell_words(r#"RUN <<"E O F" cat"#)),
            vec!["RUN", "<<\"E O F\"", "cat"]
        );
    }
}
