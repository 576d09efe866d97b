//! The 18 Dockerfile instructions: usage forms, a short explanation, the reference link and a
//! completion snippet.

use crate::syntax::InstructionKind;

use super::flags::{FlagInfo, flags_for};

/// What completion and hover show for one instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstructionInfo {
    pub kind: InstructionKind,
    /// One-line usage forms, e.g. `FROM [--platform=<platform>] <image> [AS <name>]`.
    pub forms: &'static [&'static str],
    /// Two to four sentences in our own words (Markdown).
    pub summary: &'static str,
    /// `https://docs.docker.com/reference/dockerfile/#<anchor>`.
    pub url: &'static str,
    /// The LSP snippet after the keyword (`${1:image}:${2:tag} AS ${3:name}`), so completion can
    /// keep the file's keyword casing.
    pub snippet_args: &'static str,
    /// The instruction is deprecated (MAINTAINER).
    pub deprecated: bool,
}

impl InstructionInfo {
    /// The full snippet, starting with `keyword` spelled the way the caller wants.
    pub fn snippet(&self, keyword: &str) -> String {
        format!("{keyword} {}", self.snippet_args)
    }

    /// The flags BuildKit accepts on this instruction, in the order they are usually written.
    pub fn flags(&self) -> &'static [FlagInfo] {
        flags_for(self.kind)
    }
}

/// Facts about `kind`; `None` for [`InstructionKind::Unknown`].
pub fn instruction_info(kind: InstructionKind) -> Option<&'static InstructionInfo> {
    INSTRUCTIONS.iter().find(|info| info.kind == kind)
}

/// Whether `ONBUILD <kind>` is allowed: BuildKit rejects ONBUILD, FROM and MAINTAINER as
/// triggers (and unknown instructions fail anyway).
pub fn allowed_as_onbuild_trigger(kind: InstructionKind) -> bool {
    !matches!(
        kind,
        InstructionKind::Onbuild
            | InstructionKind::From
            | InstructionKind::Maintainer
            | InstructionKind::Unknown
    )
}

/// All 18 instructions in alphabetical order.
pub fn instructions() -> &'static [InstructionInfo] {
    &INSTRUCTIONS
}

const fn info(
    kind: InstructionKind,
    forms: &'static [&'static str],
    summary: &'static str,
    url: &'static str,
    snippet_args: &'static str,
) -> InstructionInfo {
    InstructionInfo {
        kind,
        forms,
        summary,
        url,
        snippet_args,
        deprecated: false,
    }
}

static INSTRUCTIONS: [InstructionInfo; 18] = [
    info(
        InstructionKind::Add,
        &[
            "ADD [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--checksum=<hash>] [--keep-git-dir] [--unpack] [--exclude=<pattern>] <src>... <dest>",
            "ADD [options] [\"<src>\", ... \"<dest>\"]",
        ],
        "Adds files to the image like COPY, but a source may also be a remote URL or a Git \
         repository, and local tar archives are unpacked on the way in. Because of that extra \
         magic, prefer COPY for plain local files and keep ADD for downloads and archives.",
        "https://docs.docker.com/reference/dockerfile/#add",
        "${1:src} ${2:dest}",
    ),
    info(
        InstructionKind::Arg,
        &["ARG <name>[=<default value>] [<name>[=<default value>]...]"],
        "Declares a build argument that `--build-arg` can set. Before the first FROM it is global \
         and only usable in FROM lines; inside a stage it is visible from its line to the end of \
         the stage. ARG values are not kept in the final image, but they do show up in its history \
         when used by RUN.",
        "https://docs.docker.com/reference/dockerfile/#arg",
        "${1:name}=${2:default}",
    ),
    info(
        InstructionKind::Cmd,
        &[
            "CMD [\"executable\", \"param1\", \"param2\"]",
            "CMD [\"param1\", \"param2\"]",
            "CMD command param1 param2",
        ],
        "Sets the default command of a container started from the image, or the default \
         arguments of the ENTRYPOINT. Only the last CMD of the final stage takes effect. The \
         JSON (exec) form runs without a shell, so the process receives signals directly.",
        "https://docs.docker.com/reference/dockerfile/#cmd",
        "[\"${1:executable}\"${2:, \"${3:param}\"}]",
    ),
    info(
        InstructionKind::Copy,
        &[
            "COPY [--from=<stage|image|context>] [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--parents] [--exclude=<pattern>] <src>... <dest>",
            "COPY [options] [\"<src>\", ... \"<dest>\"]",
        ],
        "Copies files from the build context, or with `--from` from an earlier stage, an image \
         or a named context, into the image. With several sources the destination must be a \
         directory ending in `/`. This is how a multi-stage build carries only the build outputs \
         into the final stage.",
        "https://docs.docker.com/reference/dockerfile/#copy",
        "${1:src} ${2:dest}",
    ),
    info(
        InstructionKind::Entrypoint,
        &[
            "ENTRYPOINT [\"executable\", \"param1\", \"param2\"]",
            "ENTRYPOINT command param1 param2",
        ],
        "Makes the container run as an executable: CMD and `docker run` arguments are appended \
         to it. Use the JSON (exec) form; the shell form runs under `/bin/sh -c`, ignores CMD and \
         keeps the process from receiving stop signals.",
        "https://docs.docker.com/reference/dockerfile/#entrypoint",
        "[\"${1:executable}\"${2:, \"${3:param}\"}]",
    ),
    info(
        InstructionKind::Env,
        &[
            "ENV <key>=<value> [<key>=<value>...]",
            "ENV <key> <value>  (legacy)",
        ],
        "Sets environment variables for the following instructions and for containers started \
         from the image. Unlike ARG the values persist in the image and are inherited by stages \
         built FROM this one. Prefer the `key=value` form; the space-separated form is legacy.",
        "https://docs.docker.com/reference/dockerfile/#env",
        "${1:KEY}=${2:value}",
    ),
    info(
        InstructionKind::Expose,
        &["EXPOSE <port>[/<protocol>] [<port>[/<protocol>]...]"],
        "Documents the ports the application listens on (tcp by default, or udp). It publishes \
         nothing by itself: `docker run -p` or a compose file decides what is reachable.",
        "https://docs.docker.com/reference/dockerfile/#expose",
        "${1:8080}",
    ),
    info(
        InstructionKind::From,
        &["FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]"],
        "Starts a new build stage on top of a base image, or of an earlier stage given by name. \
         `AS name` lets later stages refer to this one with `FROM name`, `COPY --from=name` or \
         `RUN --mount=from=name`. Only ARGs declared before the first FROM can be used here.",
        "https://docs.docker.com/reference/dockerfile/#from",
        "${1:image}:${2:tag} AS ${3:name}",
    ),
    info(
        InstructionKind::Healthcheck,
        &[
            "HEALTHCHECK [--interval=<duration>] [--timeout=<duration>] [--start-period=<duration>] [--start-interval=<duration>] [--retries=<n>] CMD <command>",
            "HEALTHCHECK NONE",
        ],
        "Tells the runtime how to probe whether the container still works: the command runs \
         periodically and a non-zero exit marks the container unhealthy after enough retries. \
         `HEALTHCHECK NONE` turns off a check inherited from the base image. Only the last one \
         in a stage counts.",
        "https://docs.docker.com/reference/dockerfile/#healthcheck",
        "--interval=${1:30s} --timeout=${2:5s} CMD ${3:curl -f http://localhost/ || exit 1}",
    ),
    info(
        InstructionKind::Label,
        &["LABEL <key>=<value> [<key>=<value>...]"],
        "Attaches metadata to the image as key/value pairs, for example the OCI \
         `org.opencontainers.image.*` annotations. Labels are inherited from the base image and \
         only those of the final stage's chain end up in the result.",
        "https://docs.docker.com/reference/dockerfile/#label",
        "${1:key}=\"${2:value}\"",
    ),
    InstructionInfo {
        deprecated: true,
        ..info(
            InstructionKind::Maintainer,
            &["MAINTAINER <name>"],
            "Records the author of the image. It is deprecated: use \
             `LABEL org.opencontainers.image.authors=\"...\"` instead, which tools can read.",
            "https://docs.docker.com/reference/dockerfile/#maintainer-deprecated",
            "${1:name}",
        )
    },
    info(
        InstructionKind::Onbuild,
        &["ONBUILD <INSTRUCTION>"],
        "Stores an instruction that runs later, when another Dockerfile uses this image as its \
         base. ONBUILD cannot wrap ONBUILD, FROM or MAINTAINER. The deferred work is invisible to \
         readers of the downstream Dockerfile, so use it sparingly.",
        "https://docs.docker.com/reference/dockerfile/#onbuild",
        "${1:RUN} ${2:command}",
    ),
    info(
        InstructionKind::Run,
        &[
            "RUN [--mount=<mount>] [--network=<mode>] [--security=<mode>] [--device=<name>] <command>",
            "RUN [options] [\"executable\", \"param1\", \"param2\"]",
            "RUN [options] <<EOF ... EOF",
        ],
        "Runs a command while building and stores the result as a new layer. The shell form runs \
         under the stage's SHELL (`/bin/sh -c` by default); the JSON form runs the program \
         directly. `--mount` gives the command caches, secrets, SSH agents or files from other \
         stages without copying them into the image.",
        "https://docs.docker.com/reference/dockerfile/#run",
        "${1:command}",
    ),
    info(
        InstructionKind::Shell,
        &["SHELL [\"executable\", \"parameters\"]"],
        "Replaces the shell used by the shell forms of RUN, CMD and ENTRYPOINT for the rest of \
         the stage, e.g. `[\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` or PowerShell on Windows. \
         It must be written as a JSON array.",
        "https://docs.docker.com/reference/dockerfile/#shell",
        "[\"${1:/bin/bash}\", \"${2:-o}\", \"${3:pipefail}\", \"${4:-c}\"]",
    ),
    info(
        InstructionKind::Stopsignal,
        &["STOPSIGNAL <signal>"],
        "Chooses the signal sent to the container's main process to stop it, by name such as \
         `SIGTERM` or by number. Useful for servers that shut down gracefully on another signal, \
         like `SIGQUIT` for nginx.",
        "https://docs.docker.com/reference/dockerfile/#stopsignal",
        "${1:SIGTERM}",
    ),
    info(
        InstructionKind::User,
        &["USER <user>[:<group>]", "USER <UID>[:<GID>]"],
        "Sets the user (and optionally group) for the following RUN instructions and for the \
         container's process. The user must exist in the image unless given numerically. \
         Running the final stage as a non-root user limits what a compromised process can do.",
        "https://docs.docker.com/reference/dockerfile/#user",
        "${1:user}",
    ),
    info(
        InstructionKind::Volume,
        &["VOLUME [\"/path\", ...]", "VOLUME /path [/path...]"],
        "Marks paths as mount points for external volumes, so data written there lives outside \
         the container's writable layer. Changes made to such a path by later build steps are \
         discarded.",
        "https://docs.docker.com/reference/dockerfile/#volume",
        "${1:/data}",
    ),
    info(
        InstructionKind::Workdir,
        &["WORKDIR <path>"],
        "Sets the working directory for the following RUN, CMD, ENTRYPOINT, COPY and ADD, \
         creating it when missing. A relative path is resolved against the previous WORKDIR, so \
         absolute paths are easier to follow.",
        "https://docs.docker.com/reference/dockerfile/#workdir",
        "${1:/app}",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_instruction_has_exactly_one_entry() {
        for kind in InstructionKind::ALL {
            let info = instruction_info(kind);
            assert_eq!(info.map(|info| info.kind), Some(kind));
        }
        assert_eq!(instruction_info(InstructionKind::Unknown), None);
        let names: Vec<&str> = instructions().iter().map(|i| i.kind.name()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
    }

    #[test]
    fn entries_are_complete_and_well_formed() {
        for info in instructions() {
            let name = info.kind.name();
            let anchor = name.to_lowercase();
            assert!(
                info.url
                    .strip_prefix("https://docs.docker.com/reference/dockerfile/#")
                    .is_some_and(|rest| rest.starts_with(&anchor)),
                "{name}: {}",
                info.url
            );
            assert!(!info.forms.is_empty(), "{name}");
            for form in info.forms {
                assert!(form.starts_with(name), "{name}: {form}");
            }
            let sentences = info.summary.matches(". ").count() + 1;
            assert!(
                (2..=4).contains(&sentences),
                "{name}: {sentences} sentences"
            );
            assert!(info.snippet_args.contains("${1:"), "{name}");
            assert_eq!(info.deprecated, info.kind == InstructionKind::Maintainer);
        }
    }

    #[test]
    fn onbuild_triggers() {
        let refused: Vec<&str> = InstructionKind::ALL
            .into_iter()
            .filter(|kind| !allowed_as_onbuild_trigger(*kind))
            .map(InstructionKind::name)
            .collect();
        assert_eq!(refused, ["FROM", "MAINTAINER", "ONBUILD"]);
    }

    #[test]
    fn snippets_keep_the_callers_keyword() {
        let from = instruction_info(InstructionKind::From).map(|info| info.snippet("from"));
        assert_eq!(
            from.as_deref(),
            Some("from ${1:image}:${2:tag} AS ${3:name}")
        );
    }

    #[test]
    fn flags_are_listed_in_the_usage_form() {
        for info in instructions() {
            for flag in info.flags() {
                assert!(
                    info.forms
                        .iter()
                        .any(|form| form.contains(&format!("--{}", flag.name))),
                    "{} --{}",
                    info.kind.name(),
                    flag.name
                );
            }
        }
    }
}
