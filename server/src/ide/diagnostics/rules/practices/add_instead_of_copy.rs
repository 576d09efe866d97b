//! AddInsteadOfCopy: ADD of local files and folders, which COPY does more plainly.

use crate::ide::diagnostics::{
    Check, Diagnostic, Fix, Kinds, RuleContext, RuleDef, RuleMeta, Severity,
};
use crate::ide::{SourceChange, TextEdit};
use crate::syntax::{Args, Instruction, InstructionKind, Word};

use super::facts;

pub const RULE: RuleDef = RuleDef {
    meta: RuleMeta {
        name: "AddInsteadOfCopy",
        default_severity: Severity::Warning,
        enabled_by_default: true,
        summary: "ADD of local files: use COPY, which does only that",
        doc: DOC,
        hadolint: &["DL3020"],
    },
    check: Check::Instruction {
        check,
        on: Kinds::Effective(&[InstructionKind::Add]),
    },
};

const DOC: &str = "\
## What it does
Flags ADD instructions whose sources are all local files or folders: no URL, no git
repository, no archive for ADD to unpack, no ADD-only flag (`--checksum`, `--keep-git-dir`,
`--unpack`).

## Why is this bad?
ADD also downloads URLs and unpacks local tar archives. Using it for plain files makes the
reader wonder which of those it does here, and a file that later turns into an archive gets
unpacked by surprise. COPY copies, nothing else.

## Example
```dockerfile
ADD . /app
```

## Use instead
```dockerfile
COPY . /app
```

## References
- hadolint DL3020
- https://docs.docker.com/build/building/best-practices/#add-or-copy
";

/// Suffixes of the archives ADD unpacks (or might: a lone `.gz` is not always a tar).
const ARCHIVE_SUFFIXES: [&str; 14] = [
    ".tar", ".tgz", ".tbz", ".tbz2", ".txz", ".tzst", ".gz", ".bz2", ".xz", ".zst", ".lz4", ".zip",
    ".tb2", ".taz",
];

fn is_local_file(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    !(source.contains("://")
        || source.starts_with("git@")
        || source.contains('$')
        || ARCHIVE_SUFFIXES
            .iter()
            .any(|suffix| lower.ends_with(suffix)))
}

fn sources(args: &Args) -> &[Word] {
    let words = match args {
        Args::Words(words) => words.as_slice(),
        Args::Exec(exec) => exec.items.as_slice(),
        _ => &[],
    };
    words.split_last().map_or(&[], |(_, sources)| sources)
}

fn check(_context: &RuleContext<'_>, _index: usize, add: &Instruction, out: &mut Vec<Diagnostic>) {
    let sources = sources(&add.args);
    let add_only_flag = ["checksum", "keep-git-dir", "unpack"]
        .iter()
        .any(|name| add.flag(name).is_some());
    if !add.heredocs.is_empty()
        || add_only_flag
        || sources.is_empty()
        || !sources.iter().all(|source| is_local_file(&source.text))
    {
        return;
    }
    let mut diagnostic = Diagnostic::new(
        RULE.meta.name,
        RULE.meta.default_severity,
        add.keyword,
        "use COPY for local files and folders; ADD is for URLs and archives to unpack",
    );
    diagnostic.fixes.push(Fix {
        title: "Use COPY".to_string(),
        change: SourceChange::from_edits(vec![TextEdit::replace(
            add.keyword,
            facts::keyword_like(add, "COPY"),
        )]),
        preferred: true,
    });
    out.push(diagnostic);
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::RULE;
    use crate::ide::diagnostics::rules::multistage::test_support::{check, check_fix, check_no};

    #[test]
    fn fires_on_local_files() {
        check(
            &RULE,
            "FROM alpine:3.20\nADD . /app\nadd [\"a.txt\", \"b/\", \"/dst/\"]\nONBUILD ADD conf /etc/conf\n",
            expect![[r#"
                warning AddInsteadOfCopy 2:1-2:4 `ADD`: use COPY for local files and folders; ADD is for URLs and archives to unpack
                  fix: Use COPY (preferred)
                warning AddInsteadOfCopy 3:1-3:4 `add`: use COPY for local files and folders; ADD is for URLs and archives to unpack
                  fix: Use COPY (preferred)
                warning AddInsteadOfCopy 4:9-4:12 `ADD`: use COPY for local files and folders; ADD is for URLs and archives to unpack
                  fix: Use COPY (preferred)
            "#]],
        );
    }

    #[test]
    fn ignores_urls_archives_and_git() {
        check_no(
            &RULE,
            "FROM alpine:3.20\nADD https://example.com/x.sh /x.sh\nADD rootfs.tar.xz /\n\
             ADD git@github.com:moby/buildkit.git /src\nADD --checksum=sha256:00 x /x\n\
             ADD ${ARCHIVE} /opt/\nCOPY . /app\n",
        );
    }

    #[test]
    fn fix_uses_copy_in_the_file_casing() {
        check_fix(
            &RULE,
            "from alpine:3.20\nadd . /app\n",
            expect![[r#"
            from alpine:3.20
            copy . /app
        "#]],
        );
    }
}
