//! `.dockerignore` matching with the semantics of BuildKit's `moby/patternmatcher`: patterns are
//! cleaned paths relative to the context root (a leading `/` is dropped), `*` and `?` stop at `/`,
//! `**` crosses directories, `[…]` is a character class, `\` escapes, `!` re-includes; a path is
//! excluded when it or one of its parent directories matches the last deciding pattern.
//!
//! Unlike `.gitignore`, a pattern without a slash matches only at the root (`foo` is not
//! `a/foo`), which is why no gitignore crate fits.

#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    glob: Vec<char>,
    exclusion: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Dockerignore {
    patterns: Vec<Pattern>,
}

impl Dockerignore {
    /// Reads a `.dockerignore`: one pattern a line, `#` comments and blank lines skipped.
    pub(crate) fn parse(text: &str) -> Dockerignore {
        let patterns = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .filter_map(|line| {
                let (exclusion, pattern) = match line.strip_prefix('!') {
                    Some(rest) => (true, rest.trim()),
                    None => (false, line),
                };
                let cleaned = clean_path(pattern);
                let cleaned = match cleaned.strip_prefix('/') {
                    Some(rest) if !rest.is_empty() => rest.to_string(),
                    _ => cleaned,
                };
                (!cleaned.is_empty()).then(|| Pattern {
                    glob: cleaned.chars().collect(),
                    exclusion,
                })
            })
            .collect();
        Dockerignore { patterns }
    }

    /// Some pattern re-includes files with `!`.
    pub(crate) fn has_exclusions(&self) -> bool {
        self.patterns.iter().any(|pattern| pattern.exclusion)
    }

    /// Whether `path` (relative to the context, `/`-separated, already cleaned) is left out of
    /// the build context, by itself or through a parent directory.
    pub(crate) fn excludes(&self, path: &str) -> bool {
        let path: Vec<char> = path.chars().collect();
        let parents: Vec<usize> = path
            .iter()
            .enumerate()
            .filter(|&(_, c)| *c == '/')
            .map(|(i, _)| i)
            .collect();
        let mut excluded = false;
        for pattern in &self.patterns {
            if pattern.exclusion != excluded {
                continue;
            }
            let matched = glob_match(&pattern.glob, &path)
                || parents.iter().any(|&end| {
                    path.get(..end)
                        .is_some_and(|p| glob_match(&pattern.glob, p))
                });
            if matched {
                excluded = !pattern.exclusion;
            }
        }
        excluded
    }
}

/// Go's `filepath.Clean` on a `/`-separated path: no empty or `.` elements, `..` resolved
/// lexically, `.` for nothing.
pub(crate) fn clean_path(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Matches the whole of `path` against `glob`.
fn glob_match(glob: &[char], path: &[char]) -> bool {
    match glob.split_first() {
        None => path.is_empty(),
        Some(('*', rest)) if rest.first() == Some(&'*') => {
            let rest = rest.get(1..).unwrap_or(&[]);
            let rest = rest.strip_prefix(&['/']).unwrap_or(rest);
            if rest.is_empty() {
                return true;
            }
            // `**` before more pattern: any number of leading directories, including none.
            (0..=path.len()).any(|start| {
                (start == 0 || path.get(start - 1) == Some(&'/'))
                    && path.get(start..).is_some_and(|tail| glob_match(rest, tail))
            })
        }
        Some(('*', rest)) => {
            let limit = path.iter().position(|c| *c == '/').unwrap_or(path.len());
            (0..=limit).any(|start| path.get(start..).is_some_and(|tail| glob_match(rest, tail)))
        }
        Some(('?', rest)) => match path.split_first() {
            Some((c, tail)) if *c != '/' => glob_match(rest, tail),
            _ => false,
        },
        Some(('[', rest)) => match (class_match(rest, path.first().copied()), path.get(1..)) {
            (Some((true, after)), Some(tail)) => glob_match(after, tail),
            (Some(_), _) | (None, _) => false,
        },
        Some(('\\', rest)) if !rest.is_empty() => match (rest.split_first(), path.split_first()) {
            (Some((escaped, after)), Some((c, tail))) if escaped == c => glob_match(after, tail),
            _ => false,
        },
        Some((literal, rest)) => match path.split_first() {
            Some((c, tail)) if c == literal => glob_match(rest, tail),
            _ => false,
        },
    }
}

/// A `[…]` class (after its `[`) against `c`: whether it matches, and the glob after the `]`.
/// `None` for an unclosed class, which matches nothing.
fn class_match(class: &[char], c: Option<char>) -> Option<(bool, &[char])> {
    let (negated, mut items) = match class.first() {
        Some('^') => (true, class.get(1..)?),
        _ => (false, class),
    };
    let mut matched = false;
    let mut first = true;
    loop {
        let (&item, rest) = items.split_first()?;
        if item == ']' && !first {
            let hit = c.is_some_and(|c| c != '/') && matched != negated;
            return Some((hit, rest));
        }
        first = false;
        let (low, rest) = match (item, rest.split_first()) {
            ('\\', Some((&escaped, after))) => (escaped, after),
            _ => (item, rest),
        };
        match (rest.first(), rest.get(1)) {
            (Some('-'), Some(&high)) if high != ']' => {
                matched |= c.is_some_and(|c| low <= c && c <= high);
                items = rest.get(2..)?;
            }
            _ => {
                matched |= c == Some(low);
                items = rest;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excludes(patterns: &str, path: &str) -> bool {
        Dockerignore::parse(patterns).excludes(path)
    }

    #[test]
    fn root_relative_like_buildkit() {
        assert!(excludes("Dockerfile", "Dockerfile"));
        assert!(!excludes("foo", "a/foo"));
        assert!(excludes("/foo", "foo"));
        assert!(excludes("foo", "foo/bar/baz"));
        assert!(excludes("*/tmp/*", "a/tmp/x"));
        assert!(!excludes("*/tmp/*", "tmp/x"));
        assert!(excludes("# comment\n\n*.md", "README.md"));
        assert!(!excludes("*.md", "docs/README.md"));
    }

    #[test]
    fn double_star_crosses_directories() {
        assert!(excludes("**/*.md", "docs/a/README.md"));
        assert!(excludes("**/*.md", "README.md"));
        assert!(excludes("node_modules/**", "node_modules/x/y"));
        assert!(excludes("**", "anything/at/all"));
        assert!(excludes("a/**/b", "a/b"));
        assert!(excludes("a/**/b", "a/x/y/b"));
    }

    #[test]
    fn classes_escapes_and_question_marks() {
        assert!(excludes("file[0-9].txt", "file3.txt"));
        assert!(!excludes("file[^0-9].txt", "file3.txt"));
        assert!(excludes("fil?.txt", "file.txt"));
        assert!(!excludes("fil?.txt", "fil/.txt"));
        assert!(excludes("\\*.txt", "*.txt"));
        assert!(!excludes("\\*.txt", "a.txt"));
    }

    #[test]
    fn exclusions_reinclude_in_order() {
        assert!(!excludes("**\n!Dockerfile", "Dockerfile"));
        assert!(excludes("**\n!Dockerfile", "main.go"));
        assert!(excludes("!a\na", "a"));
        assert!(Dockerignore::parse("*\n!x").has_exclusions());
    }

    #[test]
    fn clean_paths_like_go() {
        assert_eq!(clean_path("./a//b/../c/"), "a/c");
        assert_eq!(clean_path("."), ".");
        assert_eq!(clean_path(""), ".");
        assert_eq!(clean_path("/../a"), "/a");
        assert_eq!(clean_path("../a"), "../a");
    }
}
