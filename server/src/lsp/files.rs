//! Which files are Dockerfiles: shared by the server (documents it accepts) and the CLI (files
//! `stagesmith check` discovers).

use tower_lsp_server::ls_types::Uri;

/// `Dockerfile`, `Containerfile`, `*.Dockerfile`, `*.dockerfile`, `Dockerfile.*`, `Containerfile.*`,
/// but not BuildKit's per-Dockerfile ignore files (`Dockerfile.dockerignore`). Case matters, as it
/// does for `docker build`'s default name; other spellings still count when the client says the
/// language is `dockerfile`.
pub fn is_dockerfile_name(file_name: &str) -> bool {
    if file_name.ends_with(".dockerignore") {
        return false;
    }
    let non_empty = |rest: Option<&str>| rest.is_some_and(|rest| !rest.is_empty());
    file_name == "Dockerfile"
        || file_name == "Containerfile"
        || non_empty(file_name.strip_prefix("Dockerfile."))
        || non_empty(file_name.strip_prefix("Containerfile."))
        || non_empty(file_name.strip_suffix(".Dockerfile"))
        || non_empty(file_name.strip_suffix(".dockerfile"))
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
            "Containerfile",
            "api.Dockerfile",
            "api.dockerfile",
            "Dockerfile.dev",
            "Containerfile.prod",
            "a.b.Dockerfile",
        ];
        let rejected = [
            "dockerfile",
            "Dockerfile.dockerignore",
            "api.Dockerfile.dockerignore",
            ".dockerignore",
            ".Dockerfile",
            "Dockerfile.",
            "Dockerfiles",
            "Dockerfile_windows",
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
