//! Word splitting the way BuildKit's line parsers and shell lexer do it, with byte offsets.

use unicode_general_category::{GeneralCategory, get_general_category};

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

/// The words BuildKit's `heredocsFromLine` looks for heredoc markers in: its shell lexer
/// (`shell.Lex.ProcessWords` with escape `\\`, `RawQuotes`, `RawEscapes` and `SkipUnsetEnv`, no
/// variables set) over the whole logical line. Quotes and escapes stay in the words; white space
/// inside a `${…}` splits them too (`processStopOn` adds an expansion with `addString`). Empty when
/// that lexer fails — an unbalanced quote (also in a trailing `# it's`), `${` without its `}`, a
/// bad substitution (`${}`, `${x y}`): `heredocsFromLine` ignores the error and so finds no heredoc.
/// Word texts are the source text; BuildKit drops escapes inside `${x:-…}` words, which no heredoc
/// marker depends on.
pub(super) fn heredoc_words(line: &str) -> Vec<RawWord> {
    let mut lexer = ShellLexer {
        line,
        chars: line.char_indices().peekable(),
    };
    lexer.words().unwrap_or_default()
}

/// BuildKit's lexer gave up on the line.
struct LexFailed;

/// Walks a line the way `shell.shellWord` does, checking that it lexes; the words themselves are
/// cut from the source.
struct ShellLexer<'a> {
    line: &'a str,
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
}

impl ShellLexer<'_> {
    fn offset(&mut self) -> usize {
        self.chars.peek().map_or(self.line.len(), |&(at, _)| at)
    }

    fn peek(&mut self) -> Option<char> {
        self.chars.peek().map(|&(_, ch)| ch)
    }

    fn next_char(&mut self) -> Option<char> {
        self.chars.next().map(|(_, ch)| ch)
    }

    /// `processStopOn(scanner.EOF, true)` and its `wordsStruct`.
    fn words(&mut self) -> Result<Vec<RawWord>, LexFailed> {
        let mut words = WordCutter {
            line: self.line,
            words: Vec::new(),
            start: None,
            end: 0,
        };
        while let Some((start, ch)) = self.chars.next() {
            match ch {
                '$' => {
                    self.dollar()?;
                    let end = self.offset();
                    for (at, inner) in self.line[start..end].char_indices() {
                        words.char(start + at, inner);
                    }
                }
                '\'' => {
                    self.single_quoted()?;
                    let end = self.offset();
                    words.verbatim(start, end);
                }
                '"' => {
                    self.double_quoted()?;
                    let end = self.offset();
                    words.verbatim(start, end);
                }
                '\\' => {
                    let end = match self.chars.next() {
                        Some((at, escaped)) => at + escaped.len_utf8(),
                        None => self.line.len(),
                    };
                    words.verbatim(start, end);
                }
                _ => words.char(start, ch),
            }
        }
        words.flush();
        Ok(words.words)
    }

    /// `processSingleQuote`, after the opening quote: no escapes inside.
    fn single_quoted(&mut self) -> Result<(), LexFailed> {
        loop {
            match self.next_char() {
                None => return Err(LexFailed),
                Some('\'') => return Ok(()),
                Some(_) => {}
            }
        }
    }

    /// `processDoubleQuote`, after the opening quote.
    fn double_quoted(&mut self) -> Result<(), LexFailed> {
        loop {
            match self.next_char() {
                None => return Err(LexFailed),
                Some('"') => return Ok(()),
                Some('$') => self.dollar()?,
                Some('\\') => {
                    if matches!(self.peek(), Some('"' | '$' | '\\')) {
                        self.next_char();
                    }
                }
                Some(_) => {}
            }
        }
    }

    /// `processDollar`, after the `$`.
    fn dollar(&mut self) -> Result<(), LexFailed> {
        if self.peek() != Some('{') {
            self.name();
            return Ok(());
        }
        self.next_char();
        if matches!(self.peek(), None | Some('{' | '}' | ':')) {
            return Err(LexFailed);
        }
        self.name();
        match self.next_char() {
            Some('}') => Ok(()),
            Some(':') => {
                // The character after `:` is taken as the operator, whatever it is.
                self.next_char();
                self.until('}')
            }
            Some('+' | '-' | '?' | '#' | '%') => self.until('}'),
            Some('/') => {
                if self.peek() == Some('/') {
                    self.next_char();
                }
                self.until('/')?;
                self.until('}')
            }
            _ => Err(LexFailed),
        }
    }

    /// `processStopOn(stop, …)`: up to and including `stop`, which must come.
    fn until(&mut self, stop: char) -> Result<(), LexFailed> {
        loop {
            match self.next_char() {
                None => return Err(LexFailed),
                Some(ch) if ch == stop => return Ok(()),
                Some('$') => self.dollar()?,
                Some('\'') => self.single_quoted()?,
                Some('"') => self.double_quoted()?,
                Some('\\') => {
                    if self.next_char().is_none() {
                        return Err(LexFailed);
                    }
                }
                Some(_) => {}
            }
        }
    }

    /// `processName`: digits, one special parameter, or letters, digits and `_`.
    fn name(&mut self) {
        let is_digit = |ch: char| get_general_category(ch) == GeneralCategory::DecimalNumber;
        match self.peek() {
            Some(ch) if is_digit(ch) => {
                while self.peek().is_some_and(is_digit) {
                    self.next_char();
                }
            }
            Some('@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') => {
                self.next_char();
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|ch| ch == '_' || is_digit(ch) || is_go_letter(ch))
                {
                    self.next_char();
                }
            }
        }
    }
}

/// Go's `unicode.IsLetter`: the general categories L*.
fn is_go_letter(ch: char) -> bool {
    use GeneralCategory::*;
    matches!(
        get_general_category(ch),
        UppercaseLetter | LowercaseLetter | TitlecaseLetter | ModifierLetter | OtherLetter
    )
}

/// `wordsStruct`: white space ends a word, except where the lexer adds text verbatim.
struct WordCutter<'a> {
    line: &'a str,
    words: Vec<RawWord>,
    start: Option<usize>,
    end: usize,
}

impl WordCutter<'_> {
    fn verbatim(&mut self, start: usize, end: usize) {
        self.start.get_or_insert(start);
        self.end = end;
    }

    fn char(&mut self, at: usize, ch: char) {
        if is_space(ch) {
            self.flush();
        } else {
            self.verbatim(at, at + ch.len_utf8());
        }
    }

    fn flush(&mut self) {
        if let Some(start) = self.start.take() {
            self.words.push(RawWord {
                text: self.line[start..self.end].to_string(),
                start,
                end: self.end,
            });
        }
    }
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
    fn heredoc_words_split_like_buildkits_lexer() {
        assert_eq!(
            texts(heredoc_words(r#"RUN <<"E O F" cat a\ b 'c d'"#)),
            vec!["RUN", "<<\"E O F\"", "cat", r"a\ b", "'c d'"]
        );
        assert_eq!(
            texts(heredoc_words("RUN <<EOF echo ${x:-a b} \"${y:-c d}\" $1x")),
            vec![
                "RUN",
                "<<EOF",
                "echo",
                "${x:-a",
                "b}",
                "\"${y:-c d}\"",
                "$1x"
            ]
        );
        assert_eq!(texts(heredoc_words(r"RUN a\")), vec!["RUN", r"a\"]);
    }

    #[test]
    fn heredoc_words_are_none_where_buildkits_lexer_fails() {
        for line in [
            "RUN <<EOF cat # it's",
            "RUN <<EOF cat \"open",
            "RUN <<EOF echo ${x",
            "RUN <<EOF echo ${}",
            "RUN <<EOF echo ${:x}",
            "RUN <<EOF echo ${x y}",
            "RUN <<EOF echo ${x:}",
            "RUN <<EOF echo ${x/a}",
            "RUN <<EOF echo ${x:-'a}",
            "RUN <<EOF echo \"${x\"",
        ] {
            assert_eq!(heredoc_words(line), Vec::new(), "{line}");
        }
        for line in [
            "RUN <<EOF echo ${x:-a} ${x//a/b} ${@} $ \"it's\" ${x:}}",
            "RUN <<EOF echo \\",
        ] {
            assert!(!heredoc_words(line).is_empty(), "{line}");
        }
    }
}
