"""Checks editors/helix/languages.toml without Helix (no package registry here ships it): the file
parses, the dockerfile language uses a defined stagesmith server started as `stagesmith lsp`, and every
Dockerfile name the other editors recognise maps to it. Prints TAP lines; exits non-zero on failure."""

import fnmatch
import sys
import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / "languages.toml"
FILE_NAMES = ["Dockerfile", "Containerfile", "api.Dockerfile", "Dockerfile.prod", "Containerfile.dev"]


def dockerfile_language(config):
    return next(language for language in config["language"] if language["name"] == "dockerfile")


def matches(file_type, name):
    if isinstance(file_type, dict):
        return fnmatch.fnmatchcase(name, file_type["glob"])
    return name.endswith("." + file_type)


def check_server(config):
    server = config["language-server"]["stagesmith"]
    assert [server["command"], *server["args"]] == ["stagesmith", "lsp"], server
    assert "stagesmith" in dockerfile_language(config)["language-servers"]
    assert isinstance(server["config"]["stagesmith"]["rules"], dict)


def check_file_types(config):
    file_types = dockerfile_language(config)["file-types"]
    for name in FILE_NAMES:
        assert any(matches(file_type, name) for file_type in file_types), f"{name} is not a dockerfile"


def check_roots(config):
    assert {".stagesmith.toml", ".dockerignore"} <= set(dockerfile_language(config)["roots"])


def main():
    failed = 0
    try:
        config = tomllib.loads(CONFIG.read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        print(f"not ok - helix: languages.toml parses: {error}")
        return 1
    print("ok - helix: languages.toml parses")
    for name, check in [
        ("stagesmith server is defined and used", check_server),
        ("Dockerfile and Containerfile names map to dockerfile", check_file_types),
        ("root markers", check_roots),
    ]:
        try:
            check(config)
            print(f"ok - helix: {name}")
        except (AssertionError, KeyError, StopIteration) as error:
            failed += 1
            print(f"not ok - helix: {name}: {error!r}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
