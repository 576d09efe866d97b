//! Which files are Dockerfiles: shared by the server (documents it accepts) and the CLI (files
//! `stagesmith check` discovers).

use tower_lsp_server::ls_types::Uri;

/// `Dockerfile`, `Containerfile`, `*.Dockerfile`, `*.dockerfile`, `Dockerfile.*`, `Containerfile.*`
/// (names compared without case), but not BuildKit's per-Dockerfile ignore files
/// (`Dockerfile.dockerignore`).
pub fn is_dockerfile_name(file_name: &str) -> bool {
    let name = file_name.to_ascii_lowercase();
    if name.ends_with(".dockerignore") {
        return false;
    }
    let is_base = |stem: &str| stem == "dockerfile" || stem == "containerfile";
    if is_base(&name) {
        return true;
    }
    let prefixed = name
        .split_once('.')
        .is_some_and(|(stem, rest)| is_base(stem) && !rest.is_empty());
    let suffixed = name
        .rsplit_once('.')
        .is_some_and(|(stem, extension)| extension == "dockerfile" && !stem.is_empty());
    prefixed || suffixed
}

/// Documents the server analyses: language id `dockerfile`, or a Dockerfile name whatever the
/// client called the language.
pub fn is_dockerfile_document(uri: &Uri, language_id: &str) -> bool {
    language_id.eq_ignore_ascii_case("dockerfile")
        || uri
            .path()
            .decode()
            .to_string_lossy()
            .rsplit('/')
            .next()
            .is_some_and(is_dockerfile_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        let accepted = [
            "Dockerfile",
            "dockerfile",
            "Containerfile",
            "api.Dockerfile",
            "api.dockerfile",
            "Dockerfile.dev",
            "Containerfile.prod",
            "a.b.Dockerfile",
        ];
        let rejected = [
            "Dockerfile.dockerignore",
            ".dockerignore",
            ".Dockerfile",
            "Dockerfile.",
            "Dockerfiles",
            "MyDockerfile",
            "docker-compose.yml",
            "",
        ];
        for name in accepted {
            assert!(is_dockerfile_name(name), "{name} should be a Dockerfile");
        }
        for name in rejected {
            assert!(
                !is_dockerfile_name(name),
                "{name} should not be a Dockerfile"
            );
        }
    }
}
