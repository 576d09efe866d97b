//! Build arguments that exist without an `ARG` line: proxies, the automatic platform ARGs and
//! BuildKit's own settings.

use super::SyntaxVersion;

/// Where a predefined ARG can be used without declaring it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgScope {
    /// Proxy variables: usable everywhere (RUN sees them), kept out of the image history and the
    /// cache key unless declared with `ARG`.
    Everywhere,
    /// Automatic platform ARGs: set in the global scope only, so usable in FROM lines; a stage
    /// must redeclare `ARG NAME` (without a value) to see them.
    GlobalOnly,
    /// BuildKit settings passed as `--build-arg`; they configure the build rather than being
    /// meant for instructions, and are visible only where declared.
    BuildSetting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PredefinedArg {
    pub name: &'static str,
    pub scope: ArgScope,
    /// One line in our own words.
    pub doc: &'static str,
    /// `None` when every frontend provides it.
    pub min_syntax: Option<SyntaxVersion>,
    /// A typical value, for hover and inlay hints.
    pub example: &'static str,
}

pub fn predefined_args() -> &'static [PredefinedArg] {
    &PREDEFINED_ARGS
}

/// The predefined ARG `name` (case-sensitive, like variables).
pub fn predefined_arg(name: &str) -> Option<&'static PredefinedArg> {
    PREDEFINED_ARGS.iter().find(|arg| arg.name == name)
}

const fn arg(
    name: &'static str,
    scope: ArgScope,
    example: &'static str,
    doc: &'static str,
) -> PredefinedArg {
    PredefinedArg {
        name,
        scope,
        doc,
        min_syntax: None,
        example,
    }
}

const fn since(version: SyntaxVersion, arg: PredefinedArg) -> PredefinedArg {
    PredefinedArg {
        min_syntax: Some(version),
        ..arg
    }
}

const HTTP_PROXY_DOC: &str = "Proxy for HTTP requests made during the build.";
const HTTPS_PROXY_DOC: &str = "Proxy for HTTPS requests made during the build.";
const FTP_PROXY_DOC: &str = "Proxy for FTP requests made during the build.";
const NO_PROXY_DOC: &str = "Hosts and domains reached without the proxy.";
const ALL_PROXY_DOC: &str = "Proxy for any protocol without a more specific setting.";

static PREDEFINED_ARGS: [PredefinedArg; 32] = [
    arg(
        "HTTP_PROXY",
        ArgScope::Everywhere,
        "http://proxy:3128",
        HTTP_PROXY_DOC,
    ),
    arg(
        "http_proxy",
        ArgScope::Everywhere,
        "http://proxy:3128",
        HTTP_PROXY_DOC,
    ),
    arg(
        "HTTPS_PROXY",
        ArgScope::Everywhere,
        "http://proxy:3128",
        HTTPS_PROXY_DOC,
    ),
    arg(
        "https_proxy",
        ArgScope::Everywhere,
        "http://proxy:3128",
        HTTPS_PROXY_DOC,
    ),
    arg(
        "FTP_PROXY",
        ArgScope::Everywhere,
        "http://proxy:3128",
        FTP_PROXY_DOC,
    ),
    arg(
        "ftp_proxy",
        ArgScope::Everywhere,
        "http://proxy:3128",
        FTP_PROXY_DOC,
    ),
    arg(
        "NO_PROXY",
        ArgScope::Everywhere,
        "localhost,.internal",
        NO_PROXY_DOC,
    ),
    arg(
        "no_proxy",
        ArgScope::Everywhere,
        "localhost,.internal",
        NO_PROXY_DOC,
    ),
    arg(
        "ALL_PROXY",
        ArgScope::Everywhere,
        "socks5://proxy:1080",
        ALL_PROXY_DOC,
    ),
    arg(
        "all_proxy",
        ArgScope::Everywhere,
        "socks5://proxy:1080",
        ALL_PROXY_DOC,
    ),
    arg(
        "TARGETPLATFORM",
        ArgScope::GlobalOnly,
        "linux/arm64",
        "Platform the image is built for, as `os/arch[/variant]`.",
    ),
    arg(
        "TARGETOS",
        ArgScope::GlobalOnly,
        "linux",
        "Operating system part of TARGETPLATFORM.",
    ),
    arg(
        "TARGETARCH",
        ArgScope::GlobalOnly,
        "arm64",
        "Architecture part of TARGETPLATFORM, e.g. for `GOARCH=$TARGETARCH`.",
    ),
    arg(
        "TARGETVARIANT",
        ArgScope::GlobalOnly,
        "v7",
        "Architecture variant of TARGETPLATFORM (empty for most platforms).",
    ),
    arg(
        "BUILDPLATFORM",
        ArgScope::GlobalOnly,
        "linux/amd64",
        "Platform of the machine running the build; `FROM --platform=$BUILDPLATFORM` runs a \
         stage natively.",
    ),
    arg(
        "BUILDOS",
        ArgScope::GlobalOnly,
        "linux",
        "Operating system part of BUILDPLATFORM.",
    ),
    arg(
        "BUILDARCH",
        ArgScope::GlobalOnly,
        "amd64",
        "Architecture part of BUILDPLATFORM.",
    ),
    arg(
        "BUILDVARIANT",
        ArgScope::GlobalOnly,
        "",
        "Architecture variant of BUILDPLATFORM (empty for most platforms).",
    ),
    since(
        SyntaxVersion::new(1, 13),
        arg(
            "TARGETOSVERSION",
            ArgScope::GlobalOnly,
            "10.0.20348.2340",
            "OS version of the target platform (set for Windows targets).",
        ),
    ),
    since(
        SyntaxVersion::new(1, 13),
        arg(
            "BUILDOSVERSION",
            ArgScope::GlobalOnly,
            "10.0.20348.2340",
            "OS version of the build platform (set on Windows builders).",
        ),
    ),
    since(
        SyntaxVersion::new(1, 11),
        arg(
            "TARGETSTAGE",
            ArgScope::GlobalOnly,
            "runner",
            "Name of the stage being built (`--target`), `default` when none was chosen.",
        ),
    ),
    arg(
        "BUILDKIT_BUILD_NAME",
        ArgScope::BuildSetting,
        "my-app",
        "Overrides the build name shown in history and by Docker Desktop.",
    ),
    arg(
        "BUILDKIT_CACHE_MOUNT_NS",
        ArgScope::BuildSetting,
        "my-project",
        "Namespace for cache mount ids, so projects do not share caches by accident.",
    ),
    arg(
        "BUILDKIT_CONTEXT_KEEP_GIT_DIR",
        ArgScope::BuildSetting,
        "1",
        "Keeps the `.git` directory when the build context is a Git repository.",
    ),
    arg(
        "BUILDKIT_INLINE_CACHE",
        ArgScope::BuildSetting,
        "1",
        "Writes cache metadata into the image config so it can serve as `--cache-from`.",
    ),
    arg(
        "BUILDKIT_MULTI_PLATFORM",
        ArgScope::BuildSetting,
        "1",
        "Produces a multi-platform result even when building for a single platform.",
    ),
    arg(
        "BUILDKIT_SANDBOX_HOSTNAME",
        ArgScope::BuildSetting,
        "builder",
        "Host name seen by RUN commands (default `buildkitsandbox`).",
    ),
    arg(
        "BUILDKIT_SYNTAX",
        ArgScope::BuildSetting,
        "docker/dockerfile:1",
        "Frontend image to build with; overrides the `# syntax=` directive.",
    ),
    arg(
        "BUILDKIT_DOCKERFILE_CHECK",
        ArgScope::BuildSetting,
        "skip=JSONArgsRecommended;error=true",
        "Configures build checks like `# check=`, replacing the directive.",
    ),
    arg(
        "BUILDKIT_SBOM_SCAN_CONTEXT",
        ArgScope::BuildSetting,
        "true",
        "Also scans the build context when generating an SBOM; never becomes an environment \
         variable.",
    ),
    arg(
        "BUILDKIT_SBOM_SCAN_STAGE",
        ArgScope::BuildSetting,
        "true",
        "Also scans this stage when generating an SBOM (declare it inside the stage); never \
         becomes an environment variable.",
    ),
    arg(
        "SOURCE_DATE_EPOCH",
        ArgScope::BuildSetting,
        "1700000000",
        "Unix timestamp used for created dates and file times, for reproducible images.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_is_case_sensitive() {
        assert_eq!(
            predefined_arg("TARGETARCH").map(|arg| arg.scope),
            Some(ArgScope::GlobalOnly)
        );
        assert_eq!(
            predefined_arg("http_proxy").map(|arg| arg.scope),
            Some(ArgScope::Everywhere)
        );
        assert_eq!(predefined_arg("targetarch"), None);
    }

    #[test]
    fn table_is_consistent() {
        for (index, arg) in predefined_args().iter().enumerate() {
            assert!(
                predefined_args()[..index]
                    .iter()
                    .all(|other| other.name != arg.name),
                "duplicate {}",
                arg.name
            );
            assert!(!arg.doc.is_empty());
            let platform = arg.name.starts_with("TARGET")
                || arg.name.starts_with("BUILD") && !arg.name.starts_with("BUILDKIT_");
            assert_eq!(platform, arg.scope == ArgScope::GlobalOnly, "{}", arg.name);
            let proxy = arg.name.to_ascii_uppercase().ends_with("_PROXY");
            assert_eq!(proxy, arg.scope == ArgScope::Everywhere, "{}", arg.name);
        }
    }
}
