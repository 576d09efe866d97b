//! Image references and an offline list of common base images: what OS family an image is built
//! on and which user it runs as, for completion, UnknownStage, FinalStageRunsAsRoot and the
//! add-non-root-user and extract-runner assists.

use std::fmt;

/// `[registry/]repository[:tag][@digest]`, split as written. Variable references such as
/// `${VERSION}` are kept verbatim and never split inside their braces.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageRef {
    /// `ghcr.io`, `localhost:5000`, `${REGISTRY}`; `None` for Docker Hub short names.
    pub registry: Option<String>,
    /// The path without registry, tag or digest: `node`, `library/node`,
    /// `distroless/static-debian12`.
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:…`, without the `@`.
    pub digest: Option<String>,
}

impl ImageRef {
    /// The name the offline list uses: Docker Hub images without `docker.io/` and `library/`,
    /// others with their registry (`mcr.microsoft.com/dotnet/sdk`). Lower-cased.
    pub fn canonical_name(&self) -> String {
        let hub = match self.registry.as_deref() {
            None => true,
            Some(registry) => {
                registry.eq_ignore_ascii_case("docker.io")
                    || registry.eq_ignore_ascii_case("index.docker.io")
            }
        };
        let name = match &self.registry {
            Some(registry) if !hub => format!("{registry}/{}", self.repository),
            _ => {
                let repository = self.repository.as_str();
                repository
                    .strip_prefix("library/")
                    .unwrap_or(repository)
                    .to_string()
            }
        };
        name.to_lowercase()
    }

    pub fn has_variables(&self) -> bool {
        self.to_string().contains('$')
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(registry) = &self.registry {
            write!(f, "{registry}/")?;
        }
        f.write_str(&self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

/// Splits an image reference following the Docker reference grammar: the digest after the first
/// `@`, the tag after a `:` in the last path component, and the first component as registry when
/// it looks like a host (contains `.` or `:`, is `localhost`, has upper-case letters) or is a
/// variable (`${REGISTRY}/app`). Never fails; a malformed reference is split as far as it goes.
pub fn parse_image_ref(text: &str) -> ImageRef {
    let outside = outside_braces(text);
    let find = |needle: u8, from: usize| {
        (from..text.len()).find(|&i| outside.get(i) == Some(&true) && text.as_bytes()[i] == needle)
    };
    let (name_and_tag, digest) = match find(b'@', 0) {
        Some(at) => (&text[..at], Some(text[at + 1..].to_string())),
        None => (text, None),
    };
    let last_slash = (0..name_and_tag.len())
        .rev()
        .find(|&i| outside.get(i) == Some(&true) && name_and_tag.as_bytes()[i] == b'/');
    let tag_colon = find(b':', last_slash.map_or(0, |slash| slash + 1))
        .filter(|&colon| colon < name_and_tag.len());
    let (name, tag) = match tag_colon {
        Some(colon) => (
            &name_and_tag[..colon],
            Some(name_and_tag[colon + 1..].to_string()),
        ),
        None => (name_and_tag, None),
    };
    let first_slash = find(b'/', 0).filter(|&slash| slash < name.len());
    let (registry, repository) = match first_slash {
        Some(slash) if looks_like_registry(&name[..slash]) => {
            (Some(name[..slash].to_string()), &name[slash + 1..])
        }
        _ => (None, name),
    };
    ImageRef {
        registry,
        repository: repository.to_string(),
        tag,
        digest,
    }
}

fn looks_like_registry(component: &str) -> bool {
    component.contains(['.', ':', '$'])
        || component == "localhost"
        || component.chars().any(|c| c.is_ascii_uppercase())
}

/// For each byte of `text`: is it outside every `${…}`?
fn outside_braces(text: &str) -> Vec<bool> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut outside = Vec::with_capacity(bytes.len());
    for (index, &byte) in bytes.iter().enumerate() {
        if byte == b'{' && index > 0 && bytes.get(index - 1) == Some(&b'$') {
            depth += 1;
        }
        outside.push(depth == 0);
        if byte == b'}' && depth > 0 {
            depth -= 1;
        }
    }
    outside
}

/// The OS family an image is built on: decides how users are created and which packages exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFamily {
    /// `apk`, busybox `adduser -S`.
    Alpine,
    /// busybox `adduser`, no package manager.
    Busybox,
    /// `apt-get`, `useradd`.
    Debian,
    /// `apt-get`, `useradd`.
    Ubuntu,
    /// Google's distroless images and Ubuntu "chiseled" ones: no shell, no package manager.
    Distroless,
    /// Chainguard / Wolfi images: minimal, non-root by default; `-dev` tags add a shell and `apk`.
    Chainguard,
    /// The empty image: no files, no users.
    Scratch,
    /// Windows Server Core / Nano Server.
    Windows,
    /// RHEL-like: UBI, Fedora, CentOS, Rocky, Alma, Oracle and Amazon Linux (`dnf`/`yum`).
    RedHat,
    Unknown,
}

/// What a family-specific hint found in a tag or name means.
const FAMILY_HINTS: [(&str, ImageFamily); 27] = [
    ("alpine", ImageFamily::Alpine),
    ("windowsservercore", ImageFamily::Windows),
    ("nanoserver", ImageFamily::Windows),
    ("ltsc", ImageFamily::Windows),
    ("chiseled", ImageFamily::Distroless),
    ("distroless", ImageFamily::Distroless),
    ("busybox", ImageFamily::Busybox),
    ("ubuntu", ImageFamily::Ubuntu),
    ("noble", ImageFamily::Ubuntu),
    ("jammy", ImageFamily::Ubuntu),
    ("focal", ImageFamily::Ubuntu),
    ("bionic", ImageFamily::Ubuntu),
    ("debian", ImageFamily::Debian),
    ("trixie", ImageFamily::Debian),
    ("bookworm", ImageFamily::Debian),
    ("bullseye", ImageFamily::Debian),
    ("buster", ImageFamily::Debian),
    ("slim", ImageFamily::Debian),
    ("ubi", ImageFamily::RedHat),
    ("al2", ImageFamily::RedHat),
    ("al2023", ImageFamily::RedHat),
    ("amazonlinux", ImageFamily::RedHat),
    ("fedora", ImageFamily::RedHat),
    ("centos", ImageFamily::RedHat),
    ("rockylinux", ImageFamily::RedHat),
    ("almalinux", ImageFamily::RedHat),
    ("oraclelinux", ImageFamily::RedHat),
];

/// The OS family of `image`, from its name and tag: `node:20-alpine` → Alpine,
/// `python:3.12-slim` → Debian, `node:20` → Debian (the list knows node's default),
/// `gcr.io/distroless/static-debian12` → Distroless.
pub fn image_family(image: &ImageRef) -> ImageFamily {
    let name = image.canonical_name();
    if name == "scratch" {
        return ImageFamily::Scratch;
    }
    if name.starts_with("gcr.io/distroless/") {
        return ImageFamily::Distroless;
    }
    if name.starts_with("cgr.dev/") || name.starts_with("chainguard/") {
        return ImageFamily::Chainguard;
    }
    if name.starts_with("mcr.microsoft.com/windows") {
        return ImageFamily::Windows;
    }
    let tag = image.tag.as_deref().unwrap_or_default().to_lowercase();
    if let Some(family) = family_hint(&tag) {
        return family;
    }
    if let Some(known) = base_image(&name) {
        return known.family;
    }
    // Unlisted OS images such as `ubi9/ubi-minimal` or `oraclelinux` name their family.
    let last_segment = name.rsplit('/').next().unwrap_or_default();
    family_hint(last_segment).unwrap_or(ImageFamily::Unknown)
}

/// The family a tag (or repository name) names: one of its `-`/`.`/`_`-separated tokens is a
/// hint, possibly followed by a version number (`alpine3.20`, `ubi9`).
fn family_hint(tag: &str) -> Option<ImageFamily> {
    let tokens: Vec<&str> = tag.split(['-', '_', '.']).collect();
    FAMILY_HINTS
        .iter()
        .find(|(hint, _)| {
            tokens.iter().any(|token| {
                token.strip_prefix(hint).is_some_and(|rest| {
                    rest.is_empty() || rest.bytes().all(|byte| byte.is_ascii_digit())
                })
            })
        })
        .map(|(_, family)| *family)
}

/// Which user a container of the image runs as when the Dockerfile sets no USER.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultUser {
    Root,
    /// The image already runs as a non-root user.
    NonRoot {
        name: &'static str,
        uid: u32,
    },
    /// The image runs as root but ships a non-root user to switch to (`USER node`).
    ReadyUser {
        name: &'static str,
        uid: u32,
    },
}

/// What `image` runs as: distroless `:nonroot`/`:debug-nonroot` and Chainguard images are
/// non-root, `node` images ship the `node` user, .NET 8+ images the `app` user, scratch and
/// unknown images run as root.
pub fn default_user(image: &ImageRef) -> DefaultUser {
    let name = image.canonical_name();
    let tag = image.tag.as_deref().unwrap_or_default().to_lowercase();
    let tag_says = |word: &str| tag.split(['-', '_', '.']).any(|token| token == word);
    if name.starts_with("gcr.io/distroless/") {
        return if tag_says("nonroot") {
            DISTROLESS_NONROOT
        } else {
            DISTROLESS_READY
        };
    }
    if name.starts_with("mcr.microsoft.com/dotnet/") {
        return if tag_says("chiseled") {
            DOTNET_APP_NONROOT
        } else if older_than_dotnet_8(&tag) {
            DefaultUser::Root
        } else {
            DOTNET_APP
        };
    }
    match base_image(&name) {
        Some(known) => known.user,
        None if image_family(image) == ImageFamily::Chainguard => DISTROLESS_NONROOT,
        None => DefaultUser::Root,
    }
}

/// .NET images got the `app` user in version 8.
fn older_than_dotnet_8(tag: &str) -> bool {
    tag.split('.')
        .next()
        .and_then(|major| major.parse::<u32>().ok())
        .is_some_and(|major| major < 8)
}

/// True when `text` (a `--from=` or `from=` operand that is no stage) reads like an image rather
/// than a misspelt stage name: it has a `/`, `:` or `@`, or it is a known image such as `alpine`.
/// A bare unknown word like `buidler` does not.
pub fn looks_like_image_ref(text: &str) -> bool {
    text.contains(['/', ':', '@']) || text == "scratch" || base_image(text).is_some()
}

/// Where a base image belongs, for ecosystem-aware assists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ecosystem {
    Node,
    Python,
    Go,
    Rust,
    Java,
    Dotnet,
    /// Serves static files or runs prebuilt static binaries (nginx, caddy, distroless/static).
    Static,
    Other,
}

/// One entry of the offline base image list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaseImage {
    /// As written in a FROM line, lower-case: `node`, `gcr.io/distroless/static-debian12`.
    pub name: &'static str,
    /// Typical tags, the most recommended first.
    pub tags: &'static [&'static str],
    pub description: &'static str,
    pub ecosystem: Ecosystem,
    /// The family of the default tags.
    pub family: ImageFamily,
    /// The user of the default tags.
    pub user: DefaultUser,
}

pub fn base_images() -> &'static [BaseImage] {
    &BASE_IMAGES
}

/// The list entry for `name` (as written or canonical, case-insensitive, without tag).
pub fn base_image(name: &str) -> Option<&'static BaseImage> {
    let canonical = parse_image_ref(name).canonical_name();
    BASE_IMAGES.iter().find(|image| image.name == canonical)
}

const DISTROLESS_NONROOT: DefaultUser = DefaultUser::NonRoot {
    name: "nonroot",
    uid: 65532,
};
const DISTROLESS_READY: DefaultUser = DefaultUser::ReadyUser {
    name: "nonroot",
    uid: 65532,
};
const DOTNET_APP_NONROOT: DefaultUser = DefaultUser::NonRoot {
    name: "app",
    uid: 1654,
};
const DOTNET_APP: DefaultUser = DefaultUser::ReadyUser {
    name: "app",
    uid: 1654,
};

const fn image(
    name: &'static str,
    tags: &'static [&'static str],
    ecosystem: Ecosystem,
    family: ImageFamily,
    description: &'static str,
) -> BaseImage {
    BaseImage {
        name,
        tags,
        description,
        ecosystem,
        family,
        user: DefaultUser::Root,
    }
}

const fn with_user(user: DefaultUser, image: BaseImage) -> BaseImage {
    BaseImage { user, ..image }
}

const fn ready(name: &'static str, uid: u32, image: BaseImage) -> BaseImage {
    with_user(DefaultUser::ReadyUser { name, uid }, image)
}

const fn distroless(
    name: &'static str,
    tags: &'static [&'static str],
    ecosystem: Ecosystem,
    description: &'static str,
) -> BaseImage {
    with_user(
        DISTROLESS_READY,
        image(name, tags, ecosystem, ImageFamily::Distroless, description),
    )
}

const fn chainguard(
    name: &'static str,
    tags: &'static [&'static str],
    ecosystem: Ecosystem,
    description: &'static str,
) -> BaseImage {
    with_user(
        DISTROLESS_NONROOT,
        image(name, tags, ecosystem, ImageFamily::Chainguard, description),
    )
}

use Ecosystem as E;
use ImageFamily as F;

static BASE_IMAGES: [BaseImage; 66] = [
    ready(
        "node",
        1000,
        image(
            "node",
            &[
                "22-alpine",
                "22-slim",
                "22",
                "20-alpine",
                "20-slim",
                "20",
                "lts-alpine",
                "lts",
            ],
            E::Node,
            F::Debian,
            "Node.js with npm and yarn; `-alpine` and `-slim` variants are much smaller.",
        ),
    ),
    image(
        "python",
        &[
            "3.13-slim",
            "3.12-slim",
            "3.13",
            "3.12",
            "3.12-alpine",
            "3.13-slim-bookworm",
        ],
        E::Python,
        F::Debian,
        "CPython with pip; `-slim` is the usual runtime base.",
    ),
    image(
        "golang",
        &[
            "1.24",
            "1.24-alpine",
            "1.23",
            "1.23-alpine",
            "1.24-bookworm",
        ],
        E::Go,
        F::Debian,
        "The Go toolchain, for build stages; ship the binary on a minimal image.",
    ),
    image(
        "rust",
        &["1", "1-slim", "1-alpine", "1-slim-bookworm", "1.85"],
        E::Rust,
        F::Debian,
        "The Rust toolchain with cargo, for build stages.",
    ),
    image(
        "openjdk",
        &["21-jdk-slim", "17-jdk-slim", "21"],
        E::Java,
        F::Debian,
        "Deprecated OpenJDK builds; prefer eclipse-temurin or amazoncorretto.",
    ),
    image(
        "eclipse-temurin",
        &[
            "21-jre",
            "21-jdk",
            "21-jre-alpine",
            "17-jre",
            "17-jdk",
            "21-jre-ubi9-minimal",
        ],
        E::Java,
        F::Ubuntu,
        "Adoptium's OpenJDK builds; `-jre` tags are the runtime-only images.",
    ),
    image(
        "amazoncorretto",
        &["21", "21-alpine", "17", "21-al2023-headless"],
        E::Java,
        F::RedHat,
        "Amazon's OpenJDK distribution on Amazon Linux.",
    ),
    image(
        "maven",
        &[
            "3.9-eclipse-temurin-21",
            "3.9-eclipse-temurin-17",
            "3-amazoncorretto-21",
        ],
        E::Java,
        F::Ubuntu,
        "Apache Maven on a JDK, for build stages.",
    ),
    ready(
        "gradle",
        1000,
        image(
            "gradle",
            &["8-jdk21", "8-jdk17", "jdk21-alpine"],
            E::Java,
            F::Ubuntu,
            "Gradle on a JDK, for build stages.",
        ),
    ),
    image(
        "tomcat",
        &["10-jre21", "9-jre17"],
        E::Java,
        F::Ubuntu,
        "Apache Tomcat servlet container for WAR files.",
    ),
    with_user(
        DOTNET_APP,
        image(
            "mcr.microsoft.com/dotnet/sdk",
            &["9.0", "8.0", "9.0-alpine", "8.0-alpine"],
            E::Dotnet,
            F::Debian,
            "The .NET SDK, for restore, build and publish stages.",
        ),
    ),
    with_user(
        DOTNET_APP,
        image(
            "mcr.microsoft.com/dotnet/aspnet",
            &[
                "9.0",
                "8.0",
                "9.0-alpine",
                "8.0-noble-chiseled",
                "8.0-alpine",
            ],
            E::Dotnet,
            F::Debian,
            "ASP.NET Core runtime for web apps.",
        ),
    ),
    with_user(
        DOTNET_APP,
        image(
            "mcr.microsoft.com/dotnet/runtime",
            &["9.0", "8.0", "9.0-alpine", "8.0-noble-chiseled"],
            E::Dotnet,
            F::Debian,
            ".NET runtime for console apps.",
        ),
    ),
    with_user(
        DOTNET_APP,
        image(
            "mcr.microsoft.com/dotnet/runtime-deps",
            &["9.0", "8.0", "9.0-alpine", "8.0-noble-chiseled"],
            E::Dotnet,
            F::Debian,
            "Only the native dependencies, for self-contained .NET apps.",
        ),
    ),
    image(
        "nginx",
        &["alpine", "stable-alpine", "1.27-alpine", "stable", "1.27"],
        E::Static,
        F::Debian,
        "The nginx web server; serves files from /usr/share/nginx/html.",
    ),
    with_user(
        DefaultUser::NonRoot {
            name: "nginx",
            uid: 101,
        },
        image(
            "nginxinc/nginx-unprivileged",
            &["alpine", "stable-alpine", "stable"],
            E::Static,
            F::Debian,
            "nginx running as a non-root user on port 8080.",
        ),
    ),
    image(
        "caddy",
        &["2", "2-alpine"],
        E::Static,
        F::Alpine,
        "The Caddy web server with automatic HTTPS.",
    ),
    image(
        "httpd",
        &["2.4", "2.4-alpine"],
        E::Static,
        F::Debian,
        "The Apache HTTP server; serves files from /usr/local/apache2/htdocs.",
    ),
    image(
        "traefik",
        &["v3", "v3.3"],
        E::Other,
        F::Alpine,
        "The Traefik reverse proxy.",
    ),
    image(
        "haproxy",
        &["3.0", "3.0-alpine"],
        E::Other,
        F::Debian,
        "The HAProxy load balancer.",
    ),
    image(
        "alpine",
        &["3.21", "3.20", "latest"],
        E::Other,
        F::Alpine,
        "A 5 MB Linux with musl libc and the apk package manager.",
    ),
    image(
        "debian",
        &["bookworm-slim", "bookworm", "trixie-slim", "stable-slim"],
        E::Other,
        F::Debian,
        "Debian; `-slim` drops documentation and rarely used files.",
    ),
    image(
        "ubuntu",
        &["24.04", "22.04", "noble", "jammy"],
        E::Other,
        F::Ubuntu,
        "Ubuntu LTS releases.",
    ),
    image(
        "busybox",
        &["stable", "musl", "glibc", "uclibc"],
        E::Other,
        F::Busybox,
        "A single binary with the basic Unix tools, about 1 MB.",
    ),
    image(
        "fedora",
        &["41", "latest"],
        E::Other,
        F::RedHat,
        "Fedora Linux with dnf.",
    ),
    image(
        "rockylinux/rockylinux",
        &["9", "9-minimal"],
        E::Other,
        F::RedHat,
        "Rocky Linux, a RHEL rebuild.",
    ),
    image(
        "almalinux",
        &["9", "9-minimal"],
        E::Other,
        F::RedHat,
        "AlmaLinux, a RHEL rebuild.",
    ),
    image(
        "amazonlinux",
        &["2023", "2"],
        E::Other,
        F::RedHat,
        "Amazon Linux, as used on AWS.",
    ),
    image(
        "redhat/ubi9",
        &["latest"],
        E::Other,
        F::RedHat,
        "Red Hat Universal Base Image 9, freely redistributable.",
    ),
    image(
        "redhat/ubi9-minimal",
        &["latest"],
        E::Other,
        F::RedHat,
        "Red Hat UBI 9 with microdnf only.",
    ),
    image(
        "scratch",
        &[],
        E::Static,
        F::Scratch,
        "The empty image: only what you copy in, for static binaries.",
    ),
    distroless(
        "gcr.io/distroless/static-debian12",
        &["nonroot", "latest", "debug", "debug-nonroot"],
        E::Static,
        "CA certificates, tzdata and /etc/passwd only, for static binaries (Go with CGO off).",
    ),
    distroless(
        "gcr.io/distroless/base-debian12",
        &["nonroot", "latest", "debug", "debug-nonroot"],
        E::Static,
        "static plus glibc and OpenSSL, for dynamically linked binaries.",
    ),
    distroless(
        "gcr.io/distroless/base-nossl-debian12",
        &["nonroot", "latest"],
        E::Static,
        "static plus glibc, without OpenSSL.",
    ),
    distroless(
        "gcr.io/distroless/cc-debian12",
        &["nonroot", "latest", "debug", "debug-nonroot"],
        E::Rust,
        "base plus libgcc, for Rust and C/C++ binaries.",
    ),
    distroless(
        "gcr.io/distroless/java17-debian12",
        &["nonroot", "latest", "debug", "debug-nonroot"],
        E::Java,
        "A Java 17 runtime without shell or package manager.",
    ),
    distroless(
        "gcr.io/distroless/java21-debian12",
        &["nonroot", "latest", "debug", "debug-nonroot"],
        E::Java,
        "A Java 21 runtime without shell or package manager.",
    ),
    distroless(
        "gcr.io/distroless/nodejs20-debian12",
        &["nonroot", "latest", "debug", "debug-nonroot"],
        E::Node,
        "Node.js 20 without shell or npm; the entrypoint is `node`.",
    ),
    distroless(
        "gcr.io/distroless/nodejs22-debian12",
        &["nonroot", "latest", "debug", "debug-nonroot"],
        E::Node,
        "Node.js 22 without shell or npm; the entrypoint is `node`.",
    ),
    distroless(
        "gcr.io/distroless/python3-debian12",
        &["nonroot", "latest", "debug", "debug-nonroot"],
        E::Python,
        "Python 3 without shell or pip.",
    ),
    chainguard(
        "cgr.dev/chainguard/static",
        &["latest"],
        E::Static,
        "Chainguard's minimal image for static binaries, non-root by default.",
    ),
    chainguard(
        "cgr.dev/chainguard/wolfi-base",
        &["latest"],
        E::Other,
        "Wolfi with a shell and apk, non-root by default.",
    ),
    with_user(
        DefaultUser::NonRoot {
            name: "node",
            uid: 65532,
        },
        chainguard(
            "cgr.dev/chainguard/node",
            &["latest", "latest-dev"],
            E::Node,
            "Minimal Node.js image; `-dev` adds a shell and npm.",
        ),
    ),
    chainguard(
        "cgr.dev/chainguard/python",
        &["latest", "latest-dev"],
        E::Python,
        "Minimal Python image; `-dev` adds a shell and pip.",
    ),
    chainguard(
        "cgr.dev/chainguard/go",
        &["latest", "latest-dev"],
        E::Go,
        "Go toolchain on Wolfi, for build stages.",
    ),
    chainguard(
        "cgr.dev/chainguard/jre",
        &["latest", "latest-dev"],
        E::Java,
        "Minimal Java runtime.",
    ),
    chainguard(
        "cgr.dev/chainguard/nginx",
        &["latest", "latest-dev"],
        E::Static,
        "Minimal nginx listening on port 8080.",
    ),
    ready(
        "redis",
        999,
        image(
            "redis",
            &["7-alpine", "7", "alpine"],
            E::Other,
            F::Debian,
            "The Redis in-memory data store.",
        ),
    ),
    ready(
        "postgres",
        999,
        image(
            "postgres",
            &["17-alpine", "17", "16-alpine", "16"],
            E::Other,
            F::Debian,
            "The PostgreSQL database server.",
        ),
    ),
    ready(
        "mysql",
        999,
        image(
            "mysql",
            &["8.4", "9"],
            E::Other,
            F::RedHat,
            "The MySQL database server.",
        ),
    ),
    ready(
        "mysql",
        999,
        image(
            "mariadb",
            &["11", "lts"],
            E::Other,
            F::Ubuntu,
            "The MariaDB database server.",
        ),
    ),
    ready(
        "mongodb",
        999,
        image(
            "mongo",
            &["8", "7"],
            E::Other,
            F::Ubuntu,
            "The MongoDB database server.",
        ),
    ),
    ready(
        "rabbitmq",
        999,
        image(
            "rabbitmq",
            &["4-management", "4-alpine"],
            E::Other,
            F::Ubuntu,
            "The RabbitMQ message broker.",
        ),
    ),
    ready(
        "www-data",
        33,
        image(
            "php",
            &["8.4-fpm", "8.4-apache", "8.4-cli", "8.4-fpm-alpine"],
            E::Other,
            F::Debian,
            "PHP as FPM, Apache module or CLI.",
        ),
    ),
    image(
        "composer",
        &["2"],
        E::Other,
        F::Alpine,
        "PHP's Composer, for dependency stages.",
    ),
    image(
        "ruby",
        &["3.4-slim", "3.4", "3.4-alpine"],
        E::Other,
        F::Debian,
        "Ruby with bundler.",
    ),
    ready(
        "bun",
        1000,
        image(
            "oven/bun",
            &["1", "1-slim", "1-alpine", "1-distroless"],
            E::Node,
            F::Debian,
            "The Bun JavaScript runtime and package manager.",
        ),
    ),
    ready(
        "deno",
        1993,
        image(
            "denoland/deno",
            &["latest", "alpine", "distroless"],
            E::Node,
            F::Debian,
            "The Deno JavaScript and TypeScript runtime.",
        ),
    ),
    image(
        "elixir",
        &["1.18", "1.18-slim", "1.18-alpine"],
        E::Other,
        F::Debian,
        "Elixir on Erlang/OTP.",
    ),
    image(
        "erlang",
        &["27", "27-slim", "27-alpine"],
        E::Other,
        F::Debian,
        "Erlang/OTP.",
    ),
    image(
        "perl",
        &["5", "5-slim"],
        E::Other,
        F::Debian,
        "Perl 5 with cpanm.",
    ),
    image(
        "swift",
        &["6.0", "6.0-slim"],
        E::Other,
        F::Ubuntu,
        "The Swift toolchain.",
    ),
    image(
        "gcc",
        &["14", "13"],
        E::Other,
        F::Debian,
        "GCC for C and C++ build stages.",
    ),
    image(
        "buildpack-deps",
        &["bookworm", "bookworm-curl", "noble"],
        E::Other,
        F::Debian,
        "Debian or Ubuntu with the common build dependencies preinstalled.",
    ),
    image(
        "docker",
        &["27", "27-dind", "27-cli"],
        E::Other,
        F::Alpine,
        "The Docker CLI and daemon, e.g. for CI jobs.",
    ),
    image(
        "mcr.microsoft.com/windows/servercore",
        &["ltsc2022", "ltsc2019"],
        E::Other,
        F::Windows,
        "Windows Server Core, for Windows containers.",
    ),
];

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    #[test]
    fn parses_references() {
        let shown: Vec<String> = [
            "node",
            "node:20-alpine",
            "docker.io/library/node:20",
            "localhost:5000/app:1.0",
            "localhost:5000",
            "ghcr.io/owner/repo/sub@sha256:abc",
            "alpine:3.20@sha256:def",
            "gcr.io/distroless/static-debian12:nonroot",
            "node:${NODE_VERSION:-20}-alpine",
            "${REGISTRY}/app:${TAG}",
            "${IMAGE}",
            "owner/app",
            "Registry/app",
            "",
        ]
        .into_iter()
        .map(|text| {
            let image = parse_image_ref(text);
            assert_eq!(image.to_string(), text);
            format!(
                "{text:?}: {:?} {:?} {:?} {:?} => {}",
                image.registry,
                image.repository,
                image.tag,
                image.digest,
                image.canonical_name()
            )
        })
        .collect();
        expect![[r#"
            [
                "\"node\": None \"node\" None None => node",
                "\"node:20-alpine\": None \"node\" Some(\"20-alpine\") None => node",
                "\"docker.io/library/node:20\": Some(\"docker.io\") \"library/node\" Some(\"20\") None => node",
                "\"localhost:5000/app:1.0\": Some(\"localhost:5000\") \"app\" Some(\"1.0\") None => localhost:5000/app",
                "\"localhost:5000\": None \"localhost\" Some(\"5000\") None => localhost",
                "\"ghcr.io/owner/repo/sub@sha256:abc\": Some(\"ghcr.io\") \"owner/repo/sub\" None Some(\"sha256:abc\") => ghcr.io/owner/repo/sub",
                "\"alpine:3.20@sha256:def\": None \"alpine\" Some(\"3.20\") Some(\"sha256:def\") => alpine",
                "\"gcr.io/distroless/static-debian12:nonroot\": Some(\"gcr.io\") \"distroless/static-debian12\" Some(\"nonroot\") None => gcr.io/distroless/static-debian12",
                "\"node:${NODE_VERSION:-20}-alpine\": None \"node\" Some(\"${NODE_VERSION:-20}-alpine\") None => node",
                "\"${REGISTRY}/app:${TAG}\": Some(\"${REGISTRY}\") \"app\" Some(\"${TAG}\") None => ${registry}/app",
                "\"${IMAGE}\": None \"${IMAGE}\" None None => ${image}",
                "\"owner/app\": None \"owner/app\" None None => owner/app",
                "\"Registry/app\": Some(\"Registry\") \"app\" None None => registry/app",
                "\"\": None \"\" None None => ",
            ]
        "#]]
        .assert_debug_eq(&shown);
    }

    #[test]
    fn families() {
        let shown: Vec<String> = [
            "node:20-alpine",
            "node:20",
            "node:20-slim",
            "python:3.12-slim",
            "python:3.12-alpine3.20",
            "golang:1.23-bookworm",
            "eclipse-temurin:21-jre",
            "eclipse-temurin:21-jre-ubi9-minimal",
            "ubuntu:24.04",
            "debian",
            "alpine",
            "busybox:musl",
            "scratch",
            "gcr.io/distroless/static-debian12:nonroot",
            "cgr.dev/chainguard/node:latest",
            "mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled",
            "mcr.microsoft.com/dotnet/aspnet:8.0-jammy",
            "mcr.microsoft.com/windows/nanoserver:ltsc2022",
            "registry.access.redhat.com/ubi9/ubi-minimal",
            "mycorp/app:1.0",
            "node:${NODE_VERSION}-alpine",
        ]
        .into_iter()
        .map(|text| format!("{text}: {:?}", image_family(&parse_image_ref(text))))
        .collect();
        expect![[r#"
            [
                "node:20-alpine: Alpine",
                "node:20: Debian",
                "node:20-slim: Debian",
                "python:3.12-slim: Debian",
                "python:3.12-alpine3.20: Alpine",
                "golang:1.23-bookworm: Debian",
                "eclipse-temurin:21-jre: Ubuntu",
                "eclipse-temurin:21-jre-ubi9-minimal: RedHat",
                "ubuntu:24.04: Ubuntu",
                "debian: Debian",
                "alpine: Alpine",
                "busybox:musl: Busybox",
                "scratch: Scratch",
                "gcr.io/distroless/static-debian12:nonroot: Distroless",
                "cgr.dev/chainguard/node:latest: Chainguard",
                "mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled: Distroless",
                "mcr.microsoft.com/dotnet/aspnet:8.0-jammy: Ubuntu",
                "mcr.microsoft.com/windows/nanoserver:ltsc2022: Windows",
                "registry.access.redhat.com/ubi9/ubi-minimal: RedHat",
                "mycorp/app:1.0: Unknown",
                "node:${NODE_VERSION}-alpine: Alpine",
            ]
        "#]]
        .assert_debug_eq(&shown);
    }

    #[test]
    fn default_users() {
        let shown: Vec<String> = [
            "node:20-alpine",
            "python:3.12-slim",
            "gcr.io/distroless/static-debian12:nonroot",
            "gcr.io/distroless/base-debian12:debug-nonroot",
            "gcr.io/distroless/static-debian12",
            "cgr.dev/chainguard/static",
            "cgr.dev/chainguard/node:latest-dev",
            "cgr.dev/chainguard/unknown-image",
            "mcr.microsoft.com/dotnet/aspnet:8.0",
            "mcr.microsoft.com/dotnet/aspnet:6.0",
            "mcr.microsoft.com/dotnet/runtime:8.0-noble-chiseled",
            "nginxinc/nginx-unprivileged:alpine",
            "nginx:alpine",
            "denoland/deno:distroless",
            "scratch",
            "mycorp/app",
        ]
        .into_iter()
        .map(|text| format!("{text}: {:?}", default_user(&parse_image_ref(text))))
        .collect();
        expect![[r#"
            [
                "node:20-alpine: ReadyUser { name: \"node\", uid: 1000 }",
                "python:3.12-slim: Root",
                "gcr.io/distroless/static-debian12:nonroot: NonRoot { name: \"nonroot\", uid: 65532 }",
                "gcr.io/distroless/base-debian12:debug-nonroot: NonRoot { name: \"nonroot\", uid: 65532 }",
                "gcr.io/distroless/static-debian12: ReadyUser { name: \"nonroot\", uid: 65532 }",
                "cgr.dev/chainguard/static: NonRoot { name: \"nonroot\", uid: 65532 }",
                "cgr.dev/chainguard/node:latest-dev: NonRoot { name: \"node\", uid: 65532 }",
                "cgr.dev/chainguard/unknown-image: NonRoot { name: \"nonroot\", uid: 65532 }",
                "mcr.microsoft.com/dotnet/aspnet:8.0: ReadyUser { name: \"app\", uid: 1654 }",
                "mcr.microsoft.com/dotnet/aspnet:6.0: Root",
                "mcr.microsoft.com/dotnet/runtime:8.0-noble-chiseled: NonRoot { name: \"app\", uid: 1654 }",
                "nginxinc/nginx-unprivileged:alpine: NonRoot { name: \"nginx\", uid: 101 }",
                "nginx:alpine: Root",
                "denoland/deno:distroless: ReadyUser { name: \"deno\", uid: 1993 }",
                "scratch: Root",
                "mycorp/app: Root",
            ]
        "#]]
        .assert_debug_eq(&shown);
    }

    #[test]
    fn image_like_operands() {
        let verdicts: Vec<(&str, bool)> = [
            "alpine",
            "node",
            "scratch",
            "owner/app",
            "app:1",
            "app@sha256:x",
            "buidler",
            "builder",
            "deps",
            "3",
        ]
        .into_iter()
        .map(|text| (text, looks_like_image_ref(text)))
        .collect();
        expect![[r#"
            [
                (
                    "alpine",
                    true,
                ),
                (
                    "node",
                    true,
                ),
                (
                    "scratch",
                    true,
                ),
                (
                    "owner/app",
                    true,
                ),
                (
                    "app:1",
                    true,
                ),
                (
                    "app@sha256:x",
                    true,
                ),
                (
                    "buidler",
                    false,
                ),
                (
                    "builder",
                    false,
                ),
                (
                    "deps",
                    false,
                ),
                (
                    "3",
                    false,
                ),
            ]
        "#]]
        .assert_debug_eq(&verdicts);
    }

    #[test]
    fn list_is_consistent() {
        for (index, known) in base_images().iter().enumerate() {
            assert!(
                base_images()[..index]
                    .iter()
                    .all(|other| other.name != known.name),
                "duplicate {}",
                known.name
            );
            assert_eq!(known.name, known.name.to_lowercase());
            let parsed = parse_image_ref(known.name);
            assert_eq!(parsed.canonical_name(), known.name);
            assert_eq!(parsed.tag, None, "{}", known.name);
            assert_eq!(base_image(known.name), Some(known));
            assert!(looks_like_image_ref(known.name));
            assert!(!known.description.is_empty());
            assert_eq!(known.tags.is_empty(), known.name == "scratch");
        }
        assert!(base_images().len() >= 60);
    }
}
