//! Incremental reparsing: a new version of a document re-reads only the instructions an edit can
//! have changed and takes the rest from the previous tree, moved by the edit's length change.
//!
//! BuildKit's parser is line based and forgets everything between instructions except the escape
//! character, which the directives fix before the first instruction. So a parse of the new text
//! can start at the line of any instruction after the first that lies before the change, and it
//! can stop at the first line, past the change, where the old parser also started an instruction:
//! from there on both read the same text in the same state. The result equals `parse` of the new
//! text (checked by property tests over the corpus and by the `incremental_edits` fuzz target).

use super::edit::{TreeChange, TreeEdit};
use super::parser::{Region, parse, parse_region};
use super::tree::*;
use super::vars::{VarModifier, VarRef};

/// Parses `text`, a later version of the document `old` is the parse of, reusing every
/// instruction of `old` the change cannot have touched. Says which part it rebuilt.
pub fn reparse(old: Parse, text: String) -> (Parse, TreeChange) {
    let old_text = old.tree.text();
    let prefix = common_prefix(old_text, &text);
    let suffix = common_suffix(&old_text[prefix..], &text[prefix..]);
    let old_unchanged_from = old_text.len() - suffix;
    let changed = prefix..old_unchanged_from;
    let Some(first) = first_touched_instruction(&old.tree, prefix) else {
        return fresh(old, text, changed);
    };
    let start = old.tree.line_start(first.1);
    let delta = text.len() as isize - old_text.len() as isize;
    // Old instruction line starts in the unchanged tail: where the new parse may stop.
    let first_unchanged = old.tree.instructions.partition_point(|instruction| {
        old.tree.line_start(instruction.span.start) < old_unchanged_from
    });
    let mut candidates = old
        .tree
        .instructions
        .iter()
        .enumerate()
        .skip(first_unchanged.max(first.0))
        .map(|(index, instruction)| (index, old.tree.line_start(instruction.span.start)))
        .peekable();
    let mut resumed_at = None;
    let region = parse_region(&text, start, old.tree.escape, |position| {
        while let Some(&(index, line)) = candidates.peek() {
            let moved = line.wrapping_add_signed(delta);
            if moved > position {
                return false;
            }
            candidates.next();
            if moved == position {
                resumed_at = Some((index, line));
                return true;
            }
        }
        false
    });
    let (old_end_instruction, old_end) =
        resumed_at.unwrap_or((old.tree.instructions.len(), old_text.len()));
    let edit = TreeEdit {
        old_instructions: first.0..old_end_instruction,
        new_instructions: first.0..first.0 + region.instructions.len(),
        old_bytes: start..old_end,
        new_bytes: start..region.end,
    };
    let (parse, replaced) = splice(old, text, region, &edit);
    let change = TreeChange {
        edit,
        replaced,
        changed,
    };
    (parse, change)
}

/// The whole text parsed anew, as a change that rebuilt everything.
fn fresh(old: Parse, text: String, changed: std::ops::Range<usize>) -> (Parse, TreeChange) {
    let parse = parse(&text);
    let edit = TreeEdit {
        old_instructions: 0..old.tree.instructions.len(),
        new_instructions: 0..parse.tree.instructions.len(),
        old_bytes: 0..old.tree.text().len(),
        new_bytes: 0..text.len(),
    };
    let change = TreeChange {
        edit,
        // Not kept: holding a second whole tree while the new one is analysed doubles the peak
        // memory of a big document, and nothing reuses a result across a full parse anyway.
        replaced: Vec::new(),
        changed,
    };
    (parse, change)
}

/// The instruction to start re-reading at, with the offset of its keyword: the last one whose
/// line starts at or before the first changed byte. Never the first instruction, whose line may
/// be read as a parser directive, which would change the escape character of the whole file.
fn first_touched_instruction(tree: &SyntaxTree, changed_from: usize) -> Option<(usize, usize)> {
    let after = tree
        .instructions
        .partition_point(|instruction| tree.line_start(instruction.span.start) <= changed_from);
    let index = after.checked_sub(1).filter(|&index| index >= 1)?;
    let instruction = tree.instructions.get(index)?;
    Some((index, instruction.span.start))
}

/// `old` with the instructions, comments, tokens and errors of `edit.old_bytes` replaced by the
/// region's and everything after them moved by the edit's length change; and the old
/// instructions it replaced.
fn splice(old: Parse, text: String, region: Region, edit: &TreeEdit) -> (Parse, Vec<Instruction>) {
    let Parse { tree, mut errors } = old;
    let SyntaxTree {
        source: _,
        escape,
        directives,
        mut comments,
        mut instructions,
        mut tokens,
    } = tree;
    let delta = edit.delta();
    let old_range = |span: Span| span.start;
    let replaced = replace_and_move(
        &mut instructions,
        edit.old_instructions.clone(),
        region.instructions,
        delta,
    );
    let comment_range = starts_within(&comments, |c| old_range(c.span), &edit.old_bytes);
    replace_and_move(&mut comments, comment_range, region.comments, delta);
    let token_range = starts_within(&tokens, |t| old_range(t.span), &edit.old_bytes);
    replace_and_move(&mut tokens, token_range, region.tokens, delta);
    let error_range = starts_within(&errors, |e| old_range(e.span), &edit.old_bytes);
    replace_and_move(&mut errors, error_range, region.errors, delta);
    let parse = Parse {
        tree: SyntaxTree {
            source: text,
            escape,
            directives,
            comments,
            instructions,
            tokens,
        },
        errors,
    };
    (parse, replaced)
}

/// The index range of the items (sorted by start) that start inside `bytes`.
fn starts_within<T>(
    items: &[T],
    start_of: impl Fn(&T) -> usize,
    bytes: &std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    let from = items.partition_point(|item| start_of(item) < bytes.start);
    let to = items.partition_point(|item| start_of(item) < bytes.end);
    from..to.max(from)
}

/// Replaces `items[range]` with `new`, moves the items after them by `delta` and returns the
/// replaced ones.
fn replace_and_move<T: Shift>(
    items: &mut Vec<T>,
    range: std::ops::Range<usize>,
    new: Vec<T>,
    delta: isize,
) -> Vec<T> {
    let first_moved = range.start + new.len();
    let replaced = items.splice(range, new).collect();
    if delta != 0 {
        for item in items.iter_mut().skip(first_moved) {
            item.shift(delta);
        }
    }
    replaced
}

/// The length of the longest common prefix, in bytes, up to a character boundary (a boundary of
/// `a` there is one of `b` too, as the bytes before it are the same).
fn common_prefix(a: &str, b: &str) -> usize {
    const CHUNK: usize = 64;
    let (old, new) = (a.as_bytes(), b.as_bytes());
    let chunks = old
        .chunks(CHUNK)
        .zip(new.chunks(CHUNK))
        .take_while(|(x, y)| x == y)
        .count();
    let same = chunks * CHUNK;
    let rest = old
        .get(same..)
        .unwrap_or_default()
        .iter()
        .zip(new.get(same..).unwrap_or_default())
        .take_while(|(x, y)| x == y)
        .count();
    let bytes = (same + rest).min(old.len()).min(new.len());
    (0..=bytes)
        .rev()
        .find(|&at| a.is_char_boundary(at))
        .unwrap_or(0)
}

/// The length of the longest common suffix, in bytes, from a character boundary (whether a byte
/// starts a character depends on the byte alone, and the suffix's bytes are the same in both).
fn common_suffix(a: &str, b: &str) -> usize {
    const CHUNK: usize = 64;
    let (old, new) = (a.as_bytes(), b.as_bytes());
    let chunks = old
        .rchunks(CHUNK)
        .zip(new.rchunks(CHUNK))
        .take_while(|(x, y)| x == y)
        .count();
    let same = (chunks * CHUNK).min(a.len()).min(b.len());
    let rest = old[..old.len() - same]
        .iter()
        .rev()
        .zip(new[..new.len() - same].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let start = a.len() - (same + rest);
    (start..=a.len())
        .find(|&at| a.is_char_boundary(at))
        .map_or(0, |at| a.len() - at)
}

/// Moves every offset in a piece of tree by `delta` bytes.
trait Shift {
    fn shift(&mut self, delta: isize);
}

impl Shift for Span {
    fn shift(&mut self, delta: isize) {
        self.start = self.start.wrapping_add_signed(delta);
        self.end = self.end.wrapping_add_signed(delta);
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, delta: isize) {
        for item in self {
            item.shift(delta);
        }
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, delta: isize) {
        if let Some(item) = self {
            item.shift(delta);
        }
    }
}

impl Shift for Token {
    fn shift(&mut self, delta: isize) {
        self.span.shift(delta);
    }
}

impl Shift for Comment {
    fn shift(&mut self, delta: isize) {
        self.span.shift(delta);
    }
}

impl Shift for SyntaxError {
    fn shift(&mut self, delta: isize) {
        self.span.shift(delta);
    }
}

impl Shift for Instruction {
    fn shift(&mut self, delta: isize) {
        // Destructured so that a new field cannot be forgotten here.
        let Instruction {
            kind: _,
            span,
            keyword,
            keyword_text: _,
            flags,
            args,
            heredocs,
            continuations,
            empty_continuation_lines,
            logical,
            vars,
        } = self;
        span.shift(delta);
        keyword.shift(delta);
        flags.shift(delta);
        args.shift(delta);
        heredocs.shift(delta);
        continuations.shift(delta);
        empty_continuation_lines.shift(delta);
        logical.shift(delta);
        vars.shift(delta);
    }
}

impl Shift for Flag {
    fn shift(&mut self, delta: isize) {
        let Flag {
            span,
            name: _,
            name_span,
            value,
            raw: _,
        } = self;
        span.shift(delta);
        name_span.shift(delta);
        value.shift(delta);
    }
}

impl Shift for FlagValue {
    fn shift(&mut self, delta: isize) {
        let FlagValue { text: _, span } = self;
        span.shift(delta);
    }
}

impl Shift for Args {
    fn shift(&mut self, delta: isize) {
        match self {
            Args::None => {}
            Args::Exec(ExecForm { span, items }) => {
                span.shift(delta);
                items.shift(delta);
            }
            Args::Text(word) => word.shift(delta),
            Args::Words(words) => words.shift(delta),
            Args::Pairs(pairs) => pairs.shift(delta),
            Args::Healthcheck { kind, command } => {
                kind.shift(delta);
                command.shift(delta);
            }
            Args::Onbuild(inner) => inner.shift(delta),
            Args::Ignored(word) => word.shift(delta),
        }
    }
}

impl<T: Shift> Shift for Box<T> {
    fn shift(&mut self, delta: isize) {
        self.as_mut().shift(delta);
    }
}

impl Shift for Word {
    fn shift(&mut self, delta: isize) {
        let Word { text: _, span } = self;
        span.shift(delta);
    }
}

impl Shift for Pair {
    fn shift(&mut self, delta: isize) {
        let Pair {
            span,
            key,
            value,
            separator: _,
        } = self;
        span.shift(delta);
        key.shift(delta);
        value.shift(delta);
    }
}

impl Shift for Heredoc {
    fn shift(&mut self, delta: isize) {
        let Heredoc {
            marker,
            name: _,
            chomp: _,
            expand: _,
            body,
            terminator,
        } = self;
        marker.shift(delta);
        body.shift(delta);
        terminator.shift(delta);
    }
}

impl Shift for LogicalLine {
    fn shift(&mut self, delta: isize) {
        for (_, source) in &mut self.segments {
            *source = source.wrapping_add_signed(delta);
        }
    }
}

impl Shift for VarRef {
    fn shift(&mut self, delta: isize) {
        let VarRef {
            name: _,
            name_span,
            span,
            modifier,
            expansion: _,
        } = self;
        name_span.shift(delta);
        span.shift(delta);
        if let Some(VarModifier { operator: _, word }) = modifier {
            word.shift(delta);
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Reparses `before` edited at `at` (`at.0..at.1` replaced by `with`) and checks the result
    /// against a fresh parse; returns what was rebuilt.
    fn check(before: &str, at: (usize, usize), with: &str) -> TreeEdit {
        let mut after = before.to_string();
        after.replace_range(at.0..at.1, with);
        let old = parse(before);
        let (reparsed, change) = reparse(old.clone(), after.clone());
        assert_eq!(reparsed, parse(&after), "{before:?} → {after:?}");
        if change.edit.old_bytes.start > 0 {
            let replaced = old
                .tree
                .instructions
                .get(change.edit.old_instructions.clone());
            assert_eq!(Some(change.replaced.as_slice()), replaced);
        }
        change.edit
    }

    const FILE: &str = "FROM a AS build\nWORKDIR /w\n# note\nRUN make \\\n  all\n\nCOPY . .\nFROM b\nCOPY --from=build /o /o\n";

    #[test]
    fn a_change_inside_one_instruction_rebuilds_only_it() {
        let at = FILE.find("/w").map_or(0, |i| i + 2);
        let edit = check(FILE, (at, at), "x");
        assert_eq!(edit.old_instructions, 1..2);
        assert_eq!(edit.new_instructions, 1..2);
        assert_eq!(edit.delta(), 1);
    }

    /// Found by the `incremental_edits` fuzz target: `૽` and `ૼ` share their first two bytes, `é`
    /// and `©` their last one, so the bytes in common ended inside a character.
    #[test]
    fn changed_characters_that_share_bytes_with_the_old_ones() {
        let file = "FROM a\nRUN echo ૽ é\n";
        let at = file.find('૽').unwrap_or(0);
        check(file, (at, at + '૽'.len_utf8()), "ૼ");
        let at = file.find('é').unwrap_or(0);
        check(file, (at, at + 'é'.len_utf8()), "©");
        check(file, (at, at + 'é'.len_utf8()), "©é");
    }

    #[test]
    fn a_change_in_the_first_instruction_parses_everything() {
        let edit = check(FILE, (5, 6), "zz");
        assert_eq!(edit.old_instructions, 0..6);
        assert_eq!(edit.old_bytes, 0..FILE.len());
    }

    #[test]
    fn lines_that_join_split_or_swallow_the_rest_are_read_until_the_parsers_agree_again() {
        let run = FILE.find("RUN").unwrap_or(0);
        let workdir_end = FILE.find("/w\n").map_or(0, |i| i + 2);
        // A continuation pulls the comment and the RUN into WORKDIR.
        check(FILE, (workdir_end, workdir_end), " \\");
        // Removing one ends the RUN early: `all` becomes an instruction of its own.
        let continuation = FILE.find(" \\\n").unwrap_or(0);
        check(FILE, (continuation, continuation + 2), "");
        // An unterminated heredoc swallows the rest of the file; terminating it gives it back.
        let with_heredoc = check(FILE, (run + 4, run + 4), "<<EOF ");
        assert_eq!(with_heredoc.old_instructions.end, 6);
        let open = FILE.replacen("RUN make", "RUN <<EOF make", 1);
        let copy = open.find("COPY . .").unwrap_or(0);
        check(&open, (copy, copy), "EOF\n");
        // Whole instructions inserted and deleted.
        let edit = check(FILE, (run, run), "ENV A=1\nUSER u\n");
        assert_eq!((edit.old_instructions, edit.new_instructions), (2..2, 2..4));
        let copy = FILE.find("COPY . .").unwrap_or(0);
        check(FILE, (run, copy), "");
        check(FILE, (FILE.len(), FILE.len()), "RUN x");
        check(FILE, (FILE.len() - 1, FILE.len()), "");
    }

    #[test]
    fn comments_crlf_and_the_escape_character_carry_over() {
        check(
            FILE,
            (
                FILE.find("# note").unwrap_or(0),
                FILE.find("# note").unwrap_or(0),
            ),
            "#",
        );
        let crlf = FILE.replace('\n', "\r\n");
        let at = crlf.find("make").unwrap_or(0);
        check(&crlf, (at, at + 4), "cmake\r\n  more \\");
        let backtick = format!("# escape=`\n{}", FILE.replace('\\', "`"));
        let at = backtick.find("all").unwrap_or(0);
        check(&backtick, (at, at), "`\n");
        check(&backtick, (at, at), "\\\n");
    }

    #[test]
    fn line_length_errors_shebangs_and_unlexable_heredoc_lines_carry_over() {
        let run = FILE.find("RUN").unwrap_or(0);
        let make = run + "RUN ".len();
        let long = "x".repeat(65536);
        let with_long = check(FILE, (make, make), &long);
        assert_eq!(with_long.old_instructions, 2..3);
        let long_file = FILE.replacen("make", &format!("make{long}"), 1);
        check(&long_file, (make, make + 100), "");
        check(
            &long_file,
            (make + 30000, make + 30000),
            "\
",
        );
        // A trailing `# it's` makes the line unlexable: its heredoc goes, and comes back.
        let heredoc = FILE.replacen("RUN make \\\n  all\n", "RUN <<EOF cat\nbody\nEOF\n", 1);
        let cat_end = heredoc.find(" cat").map_or(0, |i| i + 4);
        check(&heredoc, (cat_end, cat_end), " # it's");
        let unlexable = heredoc.replacen(" cat", " cat # it's", 1);
        let quote = unlexable.find('\'').unwrap_or(0);
        check(&unlexable, (quote, quote + 1), "");
        let shebang = format!("#!/bin/sh\n# escape=`\n{FILE}");
        check(&shebang, (0, 2), "");
        let shifted_run = run + shebang.len() - FILE.len();
        check(&shebang, (shifted_run, shifted_run), "# x\n");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Random edit scripts on real Dockerfiles, each version reparsed from the previous one,
        /// equal a fresh parse of the same text, and the unchanged instructions are where the
        /// edit says.
        #[test]
        fn reparsing_equals_parsing(
            file in proptest::sample::select(crate::test_corpus::real_files()),
            edits in proptest::collection::vec(
                (any::<proptest::sample::Index>(), 0usize..60, crate::test_corpus::inserted_text()),
                1..12,
            ),
        ) {
            let mut text = crate::test_corpus::read(&file);
            let mut current = parse(&text);
            for (start, length, inserted) in &edits {
                let (start, end) = crate::test_corpus::edit_range(&text, start, *length);
                text.replace_range(start..end, inserted);
                let old = current.clone();
                let (reparsed, change) = reparse(current, text.clone());
                if change.edit.old_bytes.start > 0 {
                    prop_assert_eq!(
                        Some(change.replaced.as_slice()),
                        old.tree.instructions.get(change.edit.old_instructions.clone())
                    );
                }
                let edit = change.edit;
                let fresh = parse(&text);
                prop_assert_eq!(&reparsed, &fresh);
                for (index, instruction) in fresh.tree.instructions.iter().enumerate() {
                    if let Some(before) = edit.old_instruction(index) {
                        let was = old.tree.instructions.get(before);
                        prop_assert_eq!(was.map(|i| i.keyword_text.as_str()), Some(instruction.keyword_text.as_str()));
                        prop_assert_eq!(was.and_then(|i| edit.map_span(i.span)), Some(instruction.span));
                    }
                }
                current = reparsed;
            }
        }
    }
}
