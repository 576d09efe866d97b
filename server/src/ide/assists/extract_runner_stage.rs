//! Extract runner stage: splits a stage that both builds and runs the app into a `builder` and
//! a slim final `runner` that gets only the build output, production dependencies, the runtime
//! instructions (CMD, ENTRYPOINT, EXPOSE, HEALTHCHECK, STOPSIGNAL, VOLUME, LABEL, runtime ENV)
//! and a non-root user.
//!
//! ```text
//! FROM node:20-alpine                  FROM node:20-alpine AS builder
//! WORKDIR /app                         WORKDIR /app
//! COPY . .                             COPY . .
//! RUN npm install                      RUN npm install
//! RUN npm run build            →       RUN npm run build
//! ENV PORT=3000
//! CMD ["node", "dist/server.js"]       FROM node:20-alpine AS runner
//!                                      WORKDIR /app
//!                                      COPY --from=builder /app/package*.json ./
//!                                      RUN npm ci --omit=dev
//!                                      COPY --from=builder /app/dist ./dist
//!                                      USER node
//!                                      ENV PORT=3000
//!                                      CMD ["node", "dist/server.js"]
//! ```
//!
//! The runner depends on what the builder runs: Node servers keep the node image, static front
//! ends move to `nginx:alpine`, Go binaries to distroless, Rust binaries to a slim Debian, Python
//! apps to `python:*-slim` with their venv or packages, Java jars to a JRE. Anything else gets a
//! runner on the same image that copies the build output (or, failing that, the WORKDIR, with a
//! comment saying so). Offered anywhere in a single-stage file and in a final stage that builds.

use super::add_non_root_user::user_lines;
use super::facts::{self, UserSetup};
use super::{Assist, AssistContext, AssistKind};
use crate::config::Config;
use crate::ide::diagnostics::Fix;
use crate::ide::{SourceChange, TextEdit, apply_edits};
use crate::knowledge::{self, ImageFamily, ImageRef};
use crate::model::outputs::{
    OutputKind, OutputOrigin, ShellCommand, StageOutput, join, stage_outputs, stage_workdir,
};
use crate::model::{Model, Stage, VarResolution};
use crate::syntax::{Args, Instruction, InstructionKind, Span, SyntaxTree};

pub(super) fn extract_runner_stage(ctx: &AssistContext<'_>, acc: &mut Vec<Assist>) -> Option<()> {
    // A single-stage file offers it anywhere, even in comments above the FROM.
    let stage = match ctx.model.stages.as_slice() {
        [only] => only,
        _ => ctx.model.stage_at(ctx.offset())?,
    };
    let change = extract(ctx.tree, ctx.model, stage.index, ctx.config)?;
    acc.push(Assist {
        id: "extract_runner_stage",
        label: "Extract runner stage".to_string(),
        kind: AssistKind::RefactorExtract,
        change,
    });
    Some(())
}

/// The quick fix BuildToolsInFinalStage offers: the same extraction on the final stage.
pub fn extract_runner_stage_fix(tree: &SyntaxTree, model: &Model, config: &Config) -> Option<Fix> {
    let stage = model.final_stage()?.index;
    Some(Fix {
        title: "Extract runner stage".to_string(),
        change: extract(tree, model, stage, config)?,
        preferred: false,
    })
}

fn extract(
    tree: &SyntaxTree,
    model: &Model,
    stage: usize,
    config: &Config,
) -> Option<SourceChange> {
    let builder = Builder::new(tree, model, stage)?;
    let toolchain = builder.toolchain();
    if model.stages.len() > 1
        && matches!(toolchain, Toolchain::Generic)
        && !builder.has_build_output()
    {
        return None;
    }
    let recipe = builder.recipe(&toolchain, config)?;
    Some(builder.change(&recipe))
}

/// The stage being split and what we know about it.
struct Builder<'a> {
    tree: &'a SyntaxTree,
    model: &'a Model,
    stage: &'a Stage,
    /// The root image, global ARGs expanded.
    image: String,
    image_ref: ImageRef,
    workdir: String,
    outputs: Vec<StageOutput>,
    commands: Vec<(usize, ShellCommand)>,
    body: Vec<(usize, &'a Instruction)>,
    name: String,
}

/// Which runtime the runner gets, decided from the commands the builder runs.
enum Toolchain {
    Node {
        manager: NodeManager,
        build: String,
        static_site: bool,
    },
    Go {
        binaries: Vec<String>,
        add_output: Option<(usize, String)>,
        cgo: bool,
    },
    Rust {
        binary: String,
        name: String,
        guessed: bool,
    },
    Python(PythonDeps),
    Java {
        jar: String,
    },
    Generic,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum NodeManager {
    Npm,
    Yarn,
    Pnpm,
    Bun,
}

enum PythonDeps {
    /// A virtual environment copied as is.
    Venv(String),
    /// A `pip install --prefix/--user` tree copied onto `/usr/local`.
    Prefix(String),
    /// Wheels installed in the runner from a mount of the builder.
    Wheels(String),
    /// Plain `pip install`: the interpreter's site-packages of version `0`.
    SitePackages(String),
}

/// What the runner is made of.
struct Recipe {
    base: String,
    /// Comment lines right after FROM.
    notes: Vec<String>,
    /// WORKDIR, COPY and install lines.
    setup: Vec<String>,
    user: Vec<String>,
    /// What happens to the builder's CMD/ENTRYPOINT/EXPOSE… lines.
    runtime: RuntimePolicy,
    /// A command for the runner when the builder has none to move (or its own no longer fits).
    default_command: Option<String>,
    /// Changes the builder itself needs (a `-o` for `go build`, `ENV CGO_ENABLED=0`).
    builder_edits: Vec<TextEdit>,
}

enum RuntimePolicy {
    /// Move runtime instructions as they are.
    Move,
    /// Move them, but CMD/ENTRYPOINT must be exec form; those naming the build output are
    /// replaced by `default_command` with their arguments.
    MoveExec {
        output_names: Vec<String>,
        replacement: Vec<String>,
    },
    /// A different kind of server (nginx): drop the dev server's runtime lines, move labels.
    DropServer,
}

impl<'a> Builder<'a> {
    fn new(tree: &'a SyntaxTree, model: &'a Model, stage: usize) -> Option<Builder<'a>> {
        let stage_info = model.stages.get(stage)?;
        if model.final_stage()?.index != stage {
            return None;
        }
        let image = facts::base_image(tree, model, stage)?;
        let setup = facts::user_setup(&image, (0, 0));
        if image.eq_ignore_ascii_case("scratch") || setup == UserSetup::Windows {
            return None;
        }
        let from = tree.instructions.get(stage_info.from_instruction)?;
        let name = match &stage_info.name {
            Some(name) => name.text.clone(),
            None if from.words().len() == 1 => free_name(model, &["builder", "build", "compile"])?,
            None => return None,
        };
        Some(Builder {
            tree,
            model,
            stage: stage_info,
            image_ref: knowledge::parse_image_ref(&image),
            image,
            workdir: stage_workdir(tree, model, stage),
            outputs: stage_outputs(tree, model, stage),
            commands: facts::stage_commands(tree, model, stage),
            body: facts::stage_body(tree, model, stage),
            name,
        })
    }

    fn has_build_output(&self) -> bool {
        self.own_outputs(OutputOrigin::Build).next().is_some()
    }

    /// Outputs of this stage's own instructions (not its parents') of one origin.
    fn own_outputs(&self, origin: OutputOrigin) -> impl Iterator<Item = &StageOutput> {
        self.outputs
            .iter()
            .filter(move |o| o.origin == origin && self.stage.instructions.contains(&o.produced_by))
    }

    fn runs(&self, program: &str, sub: Option<&str>) -> bool {
        self.commands
            .iter()
            .any(|(_, c)| c.program() == program && sub.is_none_or(|sub| c.arg(1) == Some(sub)))
    }

    /// `node` for `docker.io/library/node:20`.
    fn image_name(&self) -> &str {
        let repository = self.image_ref.repository.as_str();
        repository.rsplit('/').next().unwrap_or(repository)
    }

    fn image_tag(&self) -> &str {
        self.image_ref.tag.as_deref().unwrap_or("")
    }

    fn is_alpine(&self) -> bool {
        matches!(
            knowledge::image_family(&self.image_ref),
            ImageFamily::Alpine | ImageFamily::Busybox
        )
    }

    /// The text of the builder's CMD/ENTRYPOINT lines (for evidence of paths and programs).
    fn command_text(&self) -> String {
        self.body
            .iter()
            .filter(|(_, i)| matches!(i.kind, InstructionKind::Cmd | InstructionKind::Entrypoint))
            .map(|(_, i)| self.tree.slice(i.span))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The program the builder's CMD/ENTRYPOINT starts, by base name.
    fn started_program(&self) -> Option<String> {
        self.body
            .iter()
            .filter(|(_, i)| matches!(i.kind, InstructionKind::Cmd | InstructionKind::Entrypoint))
            .find_map(|(_, i)| facts::command_items(i)?.into_iter().next())
            .map(|first| first.rsplit('/').next().unwrap_or(&first).to_string())
    }

    fn toolchain(&self) -> Toolchain {
        if self.runs("go", Some("build")) || self.runs("go", Some("install")) {
            if let Some(go) = self.go() {
                return go;
            }
        }
        if self.runs("cargo", Some("build")) || self.runs("cargo", Some("install")) {
            if let Some(rust) = self.rust() {
                return rust;
            }
        }
        if let Some(jar) = self
            .own_outputs(OutputOrigin::Build)
            .find(|o| o.path.ends_with("*.jar"))
        {
            return Toolchain::Java {
                jar: jar.path.clone(),
            };
        }
        if let Some(node) = self.node() {
            return node;
        }
        if self.image_name() == "python"
            && let Some(deps) = self.python_deps()
        {
            return Toolchain::Python(deps);
        }
        Toolchain::Generic
    }

    fn node(&self) -> Option<Toolchain> {
        const NODE_TOOLS: [&str; 12] = [
            "npm",
            "yarn",
            "pnpm",
            "bun",
            "npx",
            "tsc",
            "vite",
            "ng",
            "react-scripts",
            "next",
            "pnpx",
            "bunx",
        ];
        let build = self.own_outputs(OutputOrigin::Build).find(|o| {
            self.commands
                .iter()
                .any(|(index, c)| *index == o.produced_by && NODE_TOOLS.contains(&c.program()))
        })?;
        let manager = [
            ("pnpm", NodeManager::Pnpm),
            ("yarn", NodeManager::Yarn),
            ("bun", NodeManager::Bun),
        ]
        .into_iter()
        .find(|(program, _)| self.runs(program, None))
        .map_or(NodeManager::Npm, |(_, manager)| manager);
        let commands = self.command_text();
        let static_tools = [
            "vite",
            "ng",
            "react-scripts",
            "vue-cli-service",
            "serve",
            "http-server",
        ];
        let static_site = self
            .commands
            .iter()
            .any(|(_, c)| static_tools.contains(&c.program()) || c.words.iter().any(|w| w == "react-scripts"))
            || ["serve", "http-server", "preview", "nginx"]
                .iter()
                .any(|word| commands.split(|c: char| !c.is_alphanumeric() && c != '-').any(|w| w == *word))
            || self.body.iter().any(|(_, i)| {
                matches!(&i.args, Args::Pairs(pairs) if pairs.iter().any(|p| {
                    ["VITE_", "REACT_APP_", "NG_", "VUE_APP_"].iter().any(|prefix| p.key.text.starts_with(prefix))
                }))
            });
        // create-react-app and `serve -s build` use build/, most other tools dist/.
        let says_build = self.runs("react-scripts", Some("build"))
            || self
                .commands
                .iter()
                .any(|(_, c)| c.words.iter().any(|w| w == "react-scripts"))
            || commands
                .split(|c: char| c.is_whitespace() || "\"',[]".contains(c))
                .collect::<Vec<_>>()
                .windows(2)
                .any(|pair| {
                    let word = pair[1].trim_start_matches("./");
                    (word == "build" || word.starts_with("build/")) && pair[0] != "run"
                });
        let build = if says_build && build.path.ends_with("/dist") {
            join(&self.workdir, "build")
        } else {
            build.path.clone()
        };
        Some(Toolchain::Node {
            manager,
            build,
            static_site,
        })
    }

    fn go(&self) -> Option<Toolchain> {
        let text = self.tree.slice(self.stage.span);
        let cgo = text.contains("CGO_ENABLED=1")
            || ["gcc", "musl-dev", "build-base", "libc-dev"]
                .iter()
                .any(|package| {
                    self.commands.iter().any(|(_, c)| {
                        matches!(c.program(), "apk" | "apt-get" | "apt")
                            && c.words.iter().any(|w| w == package)
                    })
                });
        let binaries: Vec<String> = self
            .own_outputs(OutputOrigin::Build)
            .filter(|o| o.kind == OutputKind::File)
            .map(|o| o.path.clone())
            .collect();
        if !binaries.is_empty() {
            return Some(Toolchain::Go {
                binaries,
                add_output: None,
                cgo,
            });
        }
        // `go build` without `-o` names the binary after the module; give it a known path.
        let (index, _) = self
            .commands
            .iter()
            .find(|(_, c)| c.program() == "go" && c.arg(1) == Some("build"))?;
        let instruction = self.tree.instructions.get(*index)?;
        let source = self.tree.slice(instruction.span);
        let at = instruction.span.start + source.find("go build")? + "go build".len();
        let name = self
            .started_program()
            .filter(|p| p != "go")
            .unwrap_or_else(|| "app".to_string());
        let binary = join(&self.workdir, &name);
        Some(Toolchain::Go {
            binaries: vec![binary.clone()],
            add_output: Some((at, binary)),
            cgo,
        })
    }

    fn rust(&self) -> Option<Toolchain> {
        let output = self.own_outputs(OutputOrigin::Build).next()?;
        if output.kind == OutputKind::File {
            let name = output.path.rsplit('/').next()?.to_string();
            return Some(Toolchain::Rust {
                binary: output.path.clone(),
                name,
                guessed: false,
            });
        }
        let started = self.started_program().filter(|p| p != "cargo");
        let guessed = started.is_none();
        let name = started.or_else(|| {
            let dir = self.workdir.rsplit('/').next()?;
            (!dir.is_empty()).then(|| dir.to_string())
        })?;
        Some(Toolchain::Rust {
            binary: join(&output.path, &name),
            name,
            guessed,
        })
    }

    fn python_deps(&self) -> Option<PythonDeps> {
        let deps: Vec<&StageOutput> = self.own_outputs(OutputOrigin::Dependencies).collect();
        let produced_by = |dep: &&StageOutput, programs: &[&str]| {
            self.commands.iter().any(|(index, c)| {
                *index == dep.produced_by && programs.iter().any(|p| c.words.iter().any(|w| w == p))
            })
        };
        if let Some(wheels) = deps.iter().find(|d| produced_by(d, &["wheel"])) {
            return Some(PythonDeps::Wheels(wheels.path.clone()));
        }
        if let Some(venv) = deps
            .iter()
            .find(|d| produced_by(d, &["venv", "virtualenv", "sync", "poetry"]))
        {
            return Some(PythonDeps::Venv(venv.path.clone()));
        }
        if let Some(prefix) = deps.iter().find(|d| produced_by(d, &["pip", "pip3"])) {
            return Some(PythonDeps::Prefix(prefix.path.clone()));
        }
        let pip_installs = self.commands.iter().any(|(_, c)| {
            matches!(c.program(), "pip" | "pip3") && c.arg(1) == Some("install")
                || c.words
                    .windows(3)
                    .any(|w| w[0] == "-m" && w[1] == "pip" && w[2] == "install")
        });
        let version = self.python_version()?;
        pip_installs.then_some(PythonDeps::SitePackages(version))
    }

    /// `3.12` from `python:3.12-slim`.
    fn python_version(&self) -> Option<String> {
        let tag = self.image_tag();
        let version: String = tag
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let mut parts = version.split('.');
        let (major, minor) = (parts.next()?, parts.next()?);
        (!major.is_empty() && !minor.is_empty()).then(|| format!("{major}.{minor}"))
    }

    fn recipe(&self, toolchain: &Toolchain, config: &Config) -> Option<Recipe> {
        let ids = (config.user_id, config.group_id);
        let from = &self.name;
        let workdir_line = format!("WORKDIR {}", self.workdir);
        let mut recipe = Recipe {
            base: self.stage.base.as_ref()?.text.clone(),
            notes: Vec::new(),
            setup: Vec::new(),
            user: Vec::new(),
            runtime: RuntimePolicy::Move,
            default_command: None,
            builder_edits: Vec::new(),
        };
        match toolchain {
            Toolchain::Node {
                build,
                static_site: true,
                ..
            } => {
                recipe.base = "nginx:alpine".to_string();
                recipe
                    .setup
                    .push(format!("COPY --from={from} {build} /usr/share/nginx/html"));
                recipe.notes.push(
                    "# nginx binds port 80 as root and serves as its own unprivileged user; for a fully\n# non-root image use nginxinc/nginx-unprivileged:alpine and port 8080."
                        .to_string(),
                );
                recipe.runtime = RuntimePolicy::DropServer;
                recipe.setup.push("EXPOSE 80".to_string());
                recipe.default_command = Some(r#"CMD ["nginx", "-g", "daemon off;"]"#.to_string());
                return Some(recipe);
            }
            Toolchain::Node { manager, build, .. } => {
                recipe.setup.extend(self.runtime_packages());
                recipe.setup.push(workdir_line);
                let manifests = self.node_manifests(*manager);
                recipe.setup.push(copy_line(from, &manifests, "./"));
                recipe.setup.push(self.node_install(*manager, &manifests));
                let destination = match relative(build, &self.workdir) {
                    Some(inside) => format!("./{inside}"),
                    None => build.clone(),
                };
                recipe
                    .setup
                    .push(copy_line(from, std::slice::from_ref(build), &destination));
                recipe.user = user_lines(&facts::user_setup(&self.image, ids), config);
            }
            Toolchain::Go {
                binaries,
                add_output,
                cgo,
            } => {
                let exec_only = !*cgo && self.commands_convert_to_exec();
                recipe.base = if exec_only {
                    "gcr.io/distroless/static-debian12:nonroot".to_string()
                } else if self.is_alpine() {
                    "alpine:3".to_string()
                } else {
                    "debian:bookworm-slim".to_string()
                };
                if let Some((at, binary)) = add_output {
                    recipe
                        .builder_edits
                        .push(TextEdit::insert(*at, format!(" -o {binary}")));
                }
                if !*cgo && !self.tree.slice(self.stage.span).contains("CGO_ENABLED=0") {
                    let run = self.commands.iter().find(|(_, c)| c.program() == "go")?.0;
                    let run = self.tree.instructions.get(run)?;
                    let at = facts::start_with_comments(self.tree, run);
                    let newline = facts::line_break(self.tree.text());
                    recipe
                        .builder_edits
                        .push(TextEdit::insert(at, format!("ENV CGO_ENABLED=0{newline}")));
                }
                self.binary_recipe(&mut recipe, binaries, config);
            }
            Toolchain::Rust {
                binary,
                name,
                guessed,
            } => {
                recipe.base = if self.is_alpine() {
                    "alpine:3"
                } else {
                    "debian:bookworm-slim"
                }
                .to_string();
                if *guessed {
                    recipe.notes.push(format!(
                        "# `{name}` is a guess from the WORKDIR: use your package's binary name."
                    ));
                }
                recipe.notes.push("# Add the runtime libraries the binary links to (e.g. ca-certificates, libssl3).".to_string());
                self.binary_recipe(&mut recipe, std::slice::from_ref(binary), config);
            }
            Toolchain::Python(deps) => {
                recipe.base = self.python_runtime_image();
                recipe.setup.push(workdir_line);
                let copied_env = self.python_env_lines();
                match deps {
                    PythonDeps::Venv(venv) => {
                        if !venv.starts_with(&format!("{}/", self.workdir)) {
                            recipe.setup.push(format!("COPY --from={from} {venv} {venv}"));
                        }
                    }
                    PythonDeps::Prefix(prefix) => {
                        recipe.setup.push(format!("COPY --from={from} {prefix} /usr/local"));
                    }
                    PythonDeps::Wheels(wheels) => recipe.setup.push(format!(
                        "RUN --mount=type=bind,from={from},source={wheels},target=/tmp/wheels \\\n    pip install --no-cache-dir /tmp/wheels/*"
                    )),
                    PythonDeps::SitePackages(version) => {
                        let packages = format!("/usr/local/lib/python{version}/site-packages");
                        recipe.setup.push(format!("COPY --from={from} {packages} {packages}"));
                        recipe.setup.push(format!("COPY --from={from} /usr/local/bin /usr/local/bin"));
                    }
                }
                recipe.setup.extend(copied_env);
                if self.workdir == "/" {
                    return None;
                }
                recipe
                    .setup
                    .push(format!("COPY --from={from} {0} {0}", self.workdir));
                recipe.user = user_lines(&facts::user_setup(&recipe.base, ids), config);
            }
            Toolchain::Java { jar } => {
                recipe.base = self.jre_image();
                recipe.setup.push(workdir_line);
                let target = join(&self.workdir, "app.jar");
                recipe.notes.push(
                    "# If the build makes several jars (e.g. *-plain.jar), name the one to run."
                        .to_string(),
                );
                recipe
                    .setup
                    .push(format!("COPY --from={from} {jar} {target}"));
                recipe.user = user_lines(&facts::user_setup(&recipe.base, ids), config);
                let replacement = vec!["java".to_string(), "-jar".to_string(), target];
                recipe.default_command =
                    Some(format!("ENTRYPOINT {}", facts::exec_form(&replacement)));
                recipe.runtime = RuntimePolicy::MoveExec {
                    output_names: vec![".jar".to_string()],
                    replacement,
                };
            }
            Toolchain::Generic => {
                recipe.setup.extend(self.runtime_packages());
                recipe.setup.push(workdir_line);
                let built = self.has_build_output();
                if !built {
                    if self.workdir == "/" {
                        return None;
                    }
                    recipe.setup.push(
                        "# stagesmith could not tell which files the build produces, so this copies the\n# builder's whole WORKDIR: narrow it to the build output."
                            .to_string(),
                    );
                    recipe
                        .setup
                        .push(format!("COPY --from={from} {0} {0}", self.workdir));
                }
                for output in self.generic_outputs(built) {
                    let destination = match output.kind {
                        OutputKind::File if output.path.contains('*') => {
                            format!("{}/", parent(&output.path))
                        }
                        _ => output.path.clone(),
                    };
                    recipe
                        .setup
                        .push(format!("COPY --from={from} {} {destination}", output.path));
                }
                recipe.user = user_lines(&facts::user_setup(&self.image, ids), config);
            }
        }
        Some(recipe)
    }

    /// What a generic runner copies besides the WORKDIR: build outputs (when `built`, those in
    /// the WORKDIR too), and what the builder copied, wrote or installed elsewhere (config in
    /// `/etc`, binaries in `/usr/local/bin`), outermost paths only, caches and scratch space left
    /// out.
    fn generic_outputs(&self, built: bool) -> Vec<&StageOutput> {
        const SCRATCH: [&str; 8] = [
            "/tmp",
            "/var/tmp",
            "/var/lib",
            "/var/cache",
            "/var/log",
            "/root/.cache",
            "/root/.npm",
            "/run",
        ];
        let under = |path: &str, dir: &str| {
            dir == "/" || path == dir || path.starts_with(&format!("{dir}/"))
        };
        let candidates: Vec<&StageOutput> = self
            .outputs
            .iter()
            .filter(|o| self.stage.instructions.contains(&o.produced_by))
            .filter(|o| match o.origin {
                OutputOrigin::Build => built || !under(&o.path, &self.workdir),
                OutputOrigin::Dependencies | OutputOrigin::Written | OutputOrigin::Copied => {
                    !under(&o.path, &self.workdir)
                }
                OutputOrigin::Workdir => false,
            })
            .filter(|o| !SCRATCH.iter().any(|dir| under(&o.path, dir)))
            .collect();
        candidates
            .iter()
            .copied()
            .filter(|o| {
                !candidates
                    .iter()
                    .any(|other| other.path != o.path && under(&o.path, &other.path))
            })
            .collect()
    }

    /// The builder's system package installs that are not only build tools, for runners on
    /// the builder's own image (a CMD may start `tini` or call `curl`).
    fn runtime_packages(&self) -> Vec<String> {
        const BUILD_ONLY: [&str; 12] = [
            "gcc",
            "g++",
            "make",
            "build-essential",
            "build-base",
            "git",
            "musl-dev",
            "libc-dev",
            "python3",
            "cmake",
            "pkg-config",
            "autoconf",
        ];
        let mut lines = Vec::new();
        for (index, instruction) in &self.body {
            if instruction.kind != InstructionKind::Run {
                continue;
            }
            let commands: Vec<&ShellCommand> = self
                .commands
                .iter()
                .filter(|(i, _)| i == index)
                .map(|(_, c)| c)
                .collect();
            let installs: Vec<&str> = commands
                .iter()
                .filter(|c| {
                    matches!(
                        (c.program(), c.arg(1)),
                        ("apt-get" | "apt", Some("install")) | ("apk", Some("add"))
                    )
                })
                .flat_map(|c| c.operands(2, &["-t", "--repository", "-X"]))
                .collect();
            let runtime = installs
                .iter()
                .any(|p| !BUILD_ONLY.contains(p) && !p.ends_with("-dev") && !p.contains('$'));
            if runtime {
                if lines.is_empty() {
                    lines.push("# System packages from the builder: keep only those the app needs at run time.".to_string());
                }
                lines.push(self.tree.slice(instruction.span).to_string());
            }
        }
        lines
    }

    /// Go and Rust: the binary into `/usr/local/bin`, commands pointing at it.
    fn binary_recipe(&self, recipe: &mut Recipe, binaries: &[String], config: &Config) {
        let mut names = Vec::new();
        for binary in binaries {
            let name = binary.rsplit('/').next().unwrap_or(binary).to_string();
            recipe.setup.push(format!(
                "COPY --from={} {binary} /usr/local/bin/{name}",
                self.name
            ));
            names.push(name);
        }
        recipe.user = match facts::user_setup(&recipe.base, (config.user_id, config.group_id)) {
            // distroless `:nonroot` runs as nonroot already; say so where readers look for it.
            UserSetup::AlreadyNonRoot => vec!["USER nonroot:nonroot".to_string()],
            setup => user_lines(&setup, config),
        };
        if let [name] = names.as_slice() {
            let replacement = vec![format!("/usr/local/bin/{name}")];
            recipe.default_command = Some(format!("ENTRYPOINT {}", facts::exec_form(&replacement)));
            recipe.runtime = RuntimePolicy::MoveExec {
                output_names: names.clone(),
                replacement,
            };
        }
    }

    /// True when every CMD/ENTRYPOINT can run without a shell (distroless has none).
    fn commands_convert_to_exec(&self) -> bool {
        self.body
            .iter()
            .filter(|(_, i)| matches!(i.kind, InstructionKind::Cmd | InstructionKind::Entrypoint))
            .all(|(_, i)| facts::command_items(i).is_some())
    }

    /// The package manifests the builder copied in, or the usual ones for `manager`.
    fn node_manifests(&self, manager: NodeManager) -> Vec<String> {
        const MANIFESTS: [&str; 6] = [
            "package*.json",
            "package.json",
            "package-lock.json",
            "yarn.lock",
            "pnpm-lock.yaml",
            "bun.lockb",
        ];
        let copied: Vec<String> = self
            .own_outputs(OutputOrigin::Copied)
            .filter(|o| {
                o.path
                    .rsplit('/')
                    .next()
                    .is_some_and(|name| MANIFESTS.contains(&name))
            })
            .map(|o| o.path.clone())
            .collect();
        if !copied.is_empty() {
            return copied;
        }
        let names: &[&str] = match manager {
            NodeManager::Npm => &["package*.json"],
            NodeManager::Yarn => &["package.json", "yarn.lock"],
            NodeManager::Pnpm => &["package.json", "pnpm-lock.yaml"],
            NodeManager::Bun => &["package.json", "bun.lockb"],
        };
        names.iter().map(|name| join(&self.workdir, name)).collect()
    }

    fn node_install(&self, manager: NodeManager, manifests: &[String]) -> String {
        let has_lock = manifests
            .iter()
            .any(|m| m.ends_with("package*.json") || m.ends_with("package-lock.json"));
        match manager {
            NodeManager::Npm if has_lock => "RUN npm ci --omit=dev".to_string(),
            NodeManager::Npm => "RUN npm install --omit=dev".to_string(),
            NodeManager::Yarn => "RUN yarn install --production --frozen-lockfile".to_string(),
            NodeManager::Pnpm => {
                "RUN corepack enable && pnpm install --prod --frozen-lockfile".to_string()
            }
            NodeManager::Bun => "RUN bun install --production".to_string(),
        }
    }

    /// `python:3.12` → `python:3.12-slim`; slim and alpine tags stay.
    fn python_runtime_image(&self) -> String {
        let tag = self.image_tag();
        if tag.contains("slim") || tag.contains("alpine") {
            return self.image.clone();
        }
        match self.python_version() {
            Some(version) => format!("python:{version}-slim"),
            None => "python:slim".to_string(),
        }
    }

    /// ENV lines the Python runtime needs too (PATH into a venv, PYTHON* settings).
    fn python_env_lines(&self) -> Vec<String> {
        self.body
            .iter()
            .filter(|(_, i)| i.kind == InstructionKind::Env && !is_runtime_env(i))
            .filter(|(_, i)| {
                matches!(&i.args, Args::Pairs(pairs) if pairs.iter().any(|p| {
                    let key = p.key.text.as_str();
                    key == "PATH" || key == "VIRTUAL_ENV" || key.starts_with("PYTHON")
                }))
            })
            .map(|(_, i)| self.tree.slice(i.span).to_string())
            .collect()
    }

    /// `eclipse-temurin:<java>-jre[-alpine]` with the Java version the build image names: the
    /// tag's leading number for JDK images, a `jdk17`/`-21` token for maven and gradle images.
    fn jre_image(&self) -> String {
        const JDK_IMAGES: [&str; 4] =
            ["eclipse-temurin", "openjdk", "amazoncorretto", "sapmachine"];
        let tag = self.image_tag();
        let is_version =
            |token: &str| !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
        let version = if JDK_IMAGES.contains(&self.image_name()) {
            tag.split(['.', '-', '_']).next().filter(|t| is_version(t))
        } else {
            tag.split(['-', '_'])
                .map(|token| token.strip_prefix("jdk").unwrap_or(token))
                .find(|token| is_version(token))
        };
        let alpine = if self.is_alpine() { "-alpine" } else { "" };
        format!("eclipse-temurin:{}-jre{alpine}", version.unwrap_or("21"))
    }

    /// The edits: the builder keeps its build, loses its runtime lines and gets a name; the
    /// runner follows it.
    fn change(&self, recipe: &Recipe) -> SourceChange {
        let text = self.tree.text();
        let newline = facts::line_break(text);
        let Some(from) = self.tree.instructions.get(self.stage.from_instruction) else {
            return SourceChange::default();
        };
        let start = from.span.start;
        let end = self.stage.span.end;
        let mut edits: Vec<TextEdit> = recipe.builder_edits.clone();
        if self.stage.name.is_none()
            && let Some(image) = from.words().first()
        {
            edits.push(TextEdit::insert(
                image.span.end,
                format!(" AS {}", self.name),
            ));
        }
        let mut moved = Vec::new();
        let mut extra_env = Vec::new();
        for (index, instruction) in &self.body {
            match self.movement(instruction, &recipe.runtime) {
                Movement::Stay => {}
                Movement::CopyPairs(pairs) => extra_env.push(format!("ENV {}", pairs.join(" "))),
                movement => {
                    let line_start = facts::start_with_comments(self.tree, instruction);
                    let line_end = facts::line_end_with_break(text, instruction.span.end).min(end);
                    edits.push(TextEdit::delete(Span::new(line_start, line_end)));
                    if matches!(movement, Movement::Move) {
                        moved.push((
                            *index,
                            self.moved_text(instruction, line_start, &recipe.runtime),
                        ));
                    }
                }
            }
        }
        let local: Vec<TextEdit> = edits
            .into_iter()
            .filter(|e| e.span.start >= start && e.span.end <= end)
            .map(|e| {
                TextEdit::replace(
                    Span::new(e.span.start - start, e.span.end - start),
                    e.new_text,
                )
            })
            .collect();
        let mut builder_text = apply_edits(text.get(start..end).unwrap_or(""), &local);
        if self.body.iter().all(|(_, i)| i.heredocs.is_empty()) {
            let triple = format!("{newline}{newline}{newline}");
            let double = format!("{newline}{newline}");
            while builder_text.contains(&triple) {
                builder_text = builder_text.replace(&triple, &double);
            }
        }
        let builder_text = builder_text.trim_end().to_string();

        let runner_name = free_name(self.model, &["runner", "runtime", "app"])
            .unwrap_or_else(|| "runner".to_string());
        let mut runner = vec![format!("FROM {} AS {runner_name}", recipe.base)];
        runner.extend(recipe.notes.iter().cloned());
        runner.extend(recipe.setup.iter().cloned());
        runner.extend(self.variables_for(&moved));
        runner.extend(extra_env);
        runner.extend(recipe.user.iter().cloned());
        let has_command = moved.iter().any(|(index, _)| {
            self.tree.instructions.get(*index).is_some_and(|i| {
                matches!(i.kind, InstructionKind::Cmd | InstructionKind::Entrypoint)
            })
        });
        runner.extend(moved.into_iter().map(|(_, text)| text));
        if !has_command && let Some(command) = &recipe.default_command {
            runner.push(command.clone());
        }
        let runner_text = runner.join("\n").replace('\n', newline);
        SourceChange::from_edits(vec![TextEdit::replace(
            Span::new(start, end),
            format!("{builder_text}{newline}{newline}{runner_text}"),
        )])
    }

    fn movement(&self, instruction: &Instruction, policy: &RuntimePolicy) -> Movement {
        let dropping = matches!(policy, RuntimePolicy::DropServer);
        match instruction.kind {
            InstructionKind::Label => Movement::Move,
            InstructionKind::Cmd
            | InstructionKind::Entrypoint
            | InstructionKind::Expose
            | InstructionKind::Healthcheck
            | InstructionKind::Stopsignal
            | InstructionKind::Volume => {
                if dropping {
                    Movement::Drop
                } else {
                    Movement::Move
                }
            }
            InstructionKind::Env if is_runtime_env(instruction) => {
                if dropping {
                    Movement::Drop
                } else {
                    Movement::Move
                }
            }
            InstructionKind::Env if !dropping => {
                let Args::Pairs(pairs) = &instruction.args else {
                    return Movement::Stay;
                };
                let runtime: Vec<String> = pairs
                    .iter()
                    .filter(|p| is_runtime_key(&p.key.text) && p.value.is_some())
                    .map(|p| {
                        format!(
                            "{}={}",
                            p.key.text,
                            p.value.as_ref().map_or("", |v| v.text.as_str())
                        )
                    })
                    .collect();
                if runtime.is_empty() {
                    Movement::Stay
                } else {
                    Movement::CopyPairs(runtime)
                }
            }
            _ => Movement::Stay,
        }
    }

    /// A moved instruction's text with its comments, CMD/ENTRYPOINT rewritten when the runner
    /// needs exec form or a new path for the build output.
    fn moved_text(
        &self,
        instruction: &Instruction,
        line_start: usize,
        policy: &RuntimePolicy,
    ) -> String {
        let text = self.tree.text();
        let comments = text.get(line_start..instruction.span.start).unwrap_or("");
        let original = self.tree.slice(instruction.span);
        let RuntimePolicy::MoveExec {
            output_names,
            replacement,
        } = policy
        else {
            return format!("{comments}{original}");
        };
        if !matches!(
            instruction.kind,
            InstructionKind::Cmd | InstructionKind::Entrypoint
        ) {
            return format!("{comments}{original}");
        }
        let Some(mut items) = facts::command_items(instruction) else {
            return format!("{comments}{original}");
        };
        let names_output = items.first().is_some_and(|first| {
            let base = first.rsplit('/').next().unwrap_or(first);
            output_names
                .iter()
                .any(|name| base == name || first.contains(name.as_str()))
        }) || items.iter().any(|item| {
            output_names
                .iter()
                .any(|n| n.starts_with('.') && item.ends_with(n.as_str()))
        });
        if names_output {
            let jar_style = output_names.iter().any(|n| n.starts_with('.'));
            items = if jar_style {
                replacement.clone()
            } else {
                replacement
                    .iter()
                    .cloned()
                    .chain(items.into_iter().skip(1))
                    .collect()
            };
        }
        format!(
            "{comments}{} {}",
            instruction.kind.name(),
            facts::exec_form(&items)
        )
    }

    /// ARG/ENV lines of the builder that moved instructions read and that do not move.
    fn variables_for(&self, moved: &[(usize, String)]) -> Vec<String> {
        let mut lines: Vec<(usize, String)> = Vec::new();
        for (index, _) in moved {
            for var_use in self
                .model
                .var_uses
                .iter()
                .filter(|u| u.instruction == *index)
            {
                let VarResolution::Defined(def) = var_use.resolution else {
                    continue;
                };
                let Some(def) = self.model.var_defs.get(def) else {
                    continue;
                };
                let defined_here = self.stage.instructions.contains(&def.instruction);
                let also_moved = moved.iter().any(|(m, _)| *m == def.instruction);
                if defined_here
                    && !also_moved
                    && !lines.iter().any(|(i, _)| *i == def.instruction)
                    && let Some(instruction) = self.tree.instructions.get(def.instruction)
                {
                    lines.push((
                        def.instruction,
                        self.tree.slice(instruction.span).to_string(),
                    ));
                }
            }
        }
        lines.sort();
        lines.into_iter().map(|(_, line)| line).collect()
    }
}

enum Movement {
    Stay,
    Move,
    /// Removed from the builder, not wanted in the runner.
    Drop,
    /// Mixed ENV: the builder keeps it, the runner gets these runtime pairs.
    CopyPairs(Vec<String>),
}

/// ENV keys that configure the running app rather than the build.
fn is_runtime_key(key: &str) -> bool {
    matches!(
        key,
        "PORT" | "HOST" | "ASPNETCORE_URLS" | "GIN_MODE" | "ENVIRONMENT"
    ) || key.ends_with("_ENV")
        || key.ends_with("_PORT")
        || key.ends_with("_HOST")
}

fn is_runtime_env(instruction: &Instruction) -> bool {
    matches!(&instruction.args, Args::Pairs(pairs) if !pairs.is_empty() && pairs.iter().all(|p| is_runtime_key(&p.key.text)))
}

/// The first of `candidates` no stage is named.
fn free_name(model: &Model, candidates: &[&str]) -> Option<String> {
    candidates
        .iter()
        .find(|name| model.stage_by_name(name).is_none())
        .map(|name| (*name).to_string())
}

fn copy_line(from: &str, sources: &[String], destination: &str) -> String {
    format!("COPY --from={from} {} {destination}", sources.join(" "))
}

/// `path` relative to directory `base`, when it lies below it.
fn relative<'p>(path: &'p str, base: &str) -> Option<&'p str> {
    let prefix = if base.ends_with('/') {
        base.to_string()
    } else {
        format!("{base}/")
    };
    path.strip_prefix(&prefix)
}

fn parent(path: &str) -> &str {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "",
        Some((dir, _)) => dir,
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::extract_runner_stage;
    use crate::ide::assists::test_support::{check, check_not_applicable};

    /// The tutorial's TypeScript API example, written as the single stage it replaces.
    #[test]
    fn tutorial_typescript_api() {
        check(
            extract_runner_stage,
            r#"# Compile TS and run it$0
FROM node:20-alpine
WORKDIR /app
COPY . .
RUN npm install
RUN npm run build

# Set env vars, port and run
ENV PORT=3000
EXPOSE 3000
CMD ["node", "dist/server.js"]
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                # Compile TS and run it
                FROM node:20-alpine AS builder
                WORKDIR /app
                COPY . .
                RUN npm install
                RUN npm run build

                FROM node:20-alpine AS runner
                WORKDIR /app
                COPY --from=builder /app/package*.json ./
                RUN npm ci --omit=dev
                COPY --from=builder /app/dist ./dist
                USER node
                # Set env vars, port and run
                ENV PORT=3000
                EXPOSE 3000
                CMD ["node", "dist/server.js"]
            "#]],
        );
    }

    /// The tutorial's React app, built and served by a dev server in one stage.
    #[test]
    fn tutorial_react_app_to_nginx() {
        check(
            extract_runner_stage,
            r#"FROM node:20-alpine
WORKDIR /app
COPY package*.json ./
RUN npm install
COPY . .
RUN npm run build
EXPOSE 3000
CMD ["npx", "serve", "-s", "build"]$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM node:20-alpine AS builder
                WORKDIR /app
                COPY package*.json ./
                RUN npm install
                COPY . .
                RUN npm run build

                FROM nginx:alpine AS runner
                # nginx binds port 80 as root and serves as its own unprivileged user; for a fully
                # non-root image use nginxinc/nginx-unprivileged:alpine and port 8080.
                COPY --from=builder /app/build /usr/share/nginx/html
                EXPOSE 80
                CMD ["nginx", "-g", "daemon off;"]
            "#]],
        );
    }

    #[test]
    fn vite_app_to_nginx() {
        check(
            extract_runner_stage,
            r#"FROM node:20
ARG VITE_API_URL=https://api.example.com
WORKDIR /web
COPY . .
RUN npm ci && npx vite build
EXPOSE 4173
CMD ["npx", "vite", "preview", "--host"]$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM node:20 AS builder
                ARG VITE_API_URL=https://api.example.com
                WORKDIR /web
                COPY . .
                RUN npm ci && npx vite build

                FROM nginx:alpine AS runner
                # nginx binds port 80 as root and serves as its own unprivileged user; for a fully
                # non-root image use nginxinc/nginx-unprivileged:alpine and port 8080.
                COPY --from=builder /web/dist /usr/share/nginx/html
                EXPOSE 80
                CMD ["nginx", "-g", "daemon off;"]
            "#]],
        );
    }

    #[test]
    fn tutorial_full_example_final_stage_keeps_its_name_and_base() {
        check(
            extract_runner_stage,
            r#"FROM node:20-alpine3.19 as base

FROM base as builder$0
WORKDIR /home/build
COPY package*.json .
COPY tsconfig.json .
RUN npm install
COPY src/ src/
RUN npm run build
EXPOSE 8000
ENV PORT=8000
CMD [ "npm", "start" ]
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM node:20-alpine3.19 as base

                FROM base as builder
                WORKDIR /home/build
                COPY package*.json .
                COPY tsconfig.json .
                RUN npm install
                COPY src/ src/
                RUN npm run build

                FROM base AS runner
                WORKDIR /home/build
                COPY --from=builder /home/build/package*.json ./
                RUN npm ci --omit=dev
                COPY --from=builder /home/build/dist ./dist
                USER node
                EXPOSE 8000
                ENV PORT=8000
                CMD [ "npm", "start" ]
            "#]],
        );
    }

    #[test]
    fn yarn_and_pnpm() {
        check(
            extract_runner_stage,
            r#"FROM node:22-bookworm
WORKDIR /srv
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build
ENV NODE_ENV=production HOST=0.0.0.0
CMD ["node", "dist/main.js"]$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM node:22-bookworm AS builder
                WORKDIR /srv
                COPY package.json yarn.lock ./
                RUN yarn install --frozen-lockfile
                COPY . .
                RUN yarn build

                FROM node:22-bookworm AS runner
                WORKDIR /srv
                COPY --from=builder /srv/package.json /srv/yarn.lock ./
                RUN yarn install --production --frozen-lockfile
                COPY --from=builder /srv/dist ./dist
                USER node
                ENV NODE_ENV=production HOST=0.0.0.0
                CMD ["node", "dist/main.js"]
            "#]],
        );
        check(
            extract_runner_stage,
            r#"FROM node:22-slim
WORKDIR /app
RUN corepack enable
COPY . .
RUN pnpm install --frozen-lockfile && pnpm run build
CMD ["node", "dist/index.js"]$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM node:22-slim AS builder
                WORKDIR /app
                RUN corepack enable
                COPY . .
                RUN pnpm install --frozen-lockfile && pnpm run build

                FROM node:22-slim AS runner
                WORKDIR /app
                COPY --from=builder /app/package.json /app/pnpm-lock.yaml ./
                RUN corepack enable && pnpm install --prod --frozen-lockfile
                COPY --from=builder /app/dist ./dist
                USER node
                CMD ["node", "dist/index.js"]
            "#]],
        );
    }

    #[test]
    fn go_to_distroless() {
        check(
            extract_runner_stage,
            r#"FROM golang:1.22
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /bin/server ./cmd/server
EXPOSE 8080
ENTRYPOINT /bin/server --port 8080$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM golang:1.22 AS builder
                WORKDIR /src
                COPY go.mod go.sum ./
                ENV CGO_ENABLED=0
                RUN go mod download
                COPY . .
                RUN go build -o /bin/server ./cmd/server

                FROM gcr.io/distroless/static-debian12:nonroot AS runner
                COPY --from=builder /bin/server /usr/local/bin/server
                USER nonroot:nonroot
                EXPOSE 8080
                ENTRYPOINT ["/usr/local/bin/server", "--port", "8080"]
            "#]],
        );
    }

    #[test]
    fn go_without_output_path_and_with_cgo() {
        check(
            extract_runner_stage,
            r#"FROM golang:1.22-alpine
RUN apk add --no-cache gcc musl-dev
WORKDIR /app
COPY . .
RUN CGO_ENABLED=1 go build
CMD ["./myapp"]$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM golang:1.22-alpine AS builder
                RUN apk add --no-cache gcc musl-dev
                WORKDIR /app
                COPY . .
                RUN CGO_ENABLED=1 go build -o /app/myapp

                FROM alpine:3 AS runner
                COPY --from=builder /app/myapp /usr/local/bin/myapp
                RUN addgroup -S -g 1001 app && adduser -S -D -H -u 1001 -G app app
                USER app
                CMD ["/usr/local/bin/myapp"]
            "#]],
        );
    }

    #[test]
    fn rust_release_binary() {
        check(
            extract_runner_stage,
            r#"FROM rust:1.80
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release --bin api
EXPOSE 3000
CMD ["./target/release/api", "--serve"]$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM rust:1.80 AS builder
                WORKDIR /usr/src/app
                COPY . .
                RUN cargo build --release --bin api

                FROM debian:bookworm-slim AS runner
                # Add the runtime libraries the binary links to (e.g. ca-certificates, libssl3).
                COPY --from=builder /usr/src/app/target/release/api /usr/local/bin/api
                RUN groupadd --system --gid 1001 app \
                    && useradd --system --uid 1001 --gid app --no-create-home app
                USER app
                EXPOSE 3000
                CMD ["/usr/local/bin/api", "--serve"]
            "#]],
        );
        check(
            extract_runner_stage,
            r#"FROM rust:1.80
WORKDIR /usr/src/myapp
COPY . .
RUN cargo install --path .
CMD ["myapp"]$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM rust:1.80 AS builder
                WORKDIR /usr/src/myapp
                COPY . .
                RUN cargo install --path .

                FROM debian:bookworm-slim AS runner
                # Add the runtime libraries the binary links to (e.g. ca-certificates, libssl3).
                COPY --from=builder /usr/local/cargo/bin/myapp /usr/local/bin/myapp
                RUN groupadd --system --gid 1001 app \
                    && useradd --system --uid 1001 --gid app --no-create-home app
                USER app
                CMD ["/usr/local/bin/myapp"]
            "#]],
        );
    }

    #[test]
    fn python_venv_and_plain_pip() {
        check(
            extract_runner_stage,
            r#"FROM python:3.12
ENV PYTHONUNBUFFERED=1
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM python:3.12 AS builder
                ENV PYTHONUNBUFFERED=1
                RUN python -m venv /opt/venv
                ENV PATH="/opt/venv/bin:$PATH"
                WORKDIR /app
                COPY requirements.txt .
                RUN pip install -r requirements.txt
                COPY . .

                FROM python:3.12-slim AS runner
                WORKDIR /app
                COPY --from=builder /opt/venv /opt/venv
                ENV PYTHONUNBUFFERED=1
                ENV PATH="/opt/venv/bin:$PATH"
                COPY --from=builder /app /app
                RUN groupadd --system --gid 1001 app \
                    && useradd --system --uid 1001 --gid app --no-create-home app
                USER app
                EXPOSE 8000
                CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
            "#]],
        );
        check(
            extract_runner_stage,
            r#"FROM python:3.11-bookworm
WORKDIR /code
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD python main.py$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM python:3.11-bookworm AS builder
                WORKDIR /code
                COPY requirements.txt .
                RUN pip install --no-cache-dir -r requirements.txt
                COPY . .

                FROM python:3.11-slim AS runner
                WORKDIR /code
                COPY --from=builder /usr/local/lib/python3.11/site-packages /usr/local/lib/python3.11/site-packages
                COPY --from=builder /usr/local/bin /usr/local/bin
                COPY --from=builder /code /code
                RUN groupadd --system --gid 1001 app \
                    && useradd --system --uid 1001 --gid app --no-create-home app
                USER app
                CMD python main.py
            "#]],
        );
    }

    #[test]
    fn python_pip_prefix() {
        check(
            extract_runner_stage,
            r#"FROM python:3.13-alpine
WORKDIR /svc
COPY requirements.txt .
RUN pip install --no-cache-dir --prefix=/install -r requirements.txt
COPY . .
CMD ["python", "-m", "svc"]$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM python:3.13-alpine AS builder
                WORKDIR /svc
                COPY requirements.txt .
                RUN pip install --no-cache-dir --prefix=/install -r requirements.txt
                COPY . .

                FROM python:3.13-alpine AS runner
                WORKDIR /svc
                COPY --from=builder /install /usr/local
                COPY --from=builder /svc /svc
                RUN addgroup -S -g 1001 app && adduser -S -D -H -u 1001 -G app app
                USER app
                CMD ["python", "-m", "svc"]
            "#]],
        );
    }

    #[test]
    fn python_wheels() {
        check(
            extract_runner_stage,
            r#"FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip wheel --wheel-dir /wheels -r requirements.txt
CMD ["python", "-m", "app"]$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM python:3.12-slim AS builder
                WORKDIR /app
                COPY . .
                RUN pip wheel --wheel-dir /wheels -r requirements.txt

                FROM python:3.12-slim AS runner
                WORKDIR /app
                RUN --mount=type=bind,from=builder,source=/wheels,target=/tmp/wheels \
                    pip install --no-cache-dir /tmp/wheels/*
                COPY --from=builder /app /app
                RUN groupadd --system --gid 1001 app \
                    && useradd --system --uid 1001 --gid app --no-create-home app
                USER app
                CMD ["python", "-m", "app"]
            "#]],
        );
    }

    #[test]
    fn java_maven_and_gradle() {
        check(
            extract_runner_stage,
            r#"FROM maven:3.9-eclipse-temurin-21
WORKDIR /build
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests
EXPOSE 8080
CMD ["java", "-jar", "target/app.jar"]$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM maven:3.9-eclipse-temurin-21 AS builder
                WORKDIR /build
                COPY pom.xml .
                RUN mvn -B dependency:go-offline
                COPY src ./src
                RUN mvn -B package -DskipTests

                FROM eclipse-temurin:21-jre AS runner
                # If the build makes several jars (e.g. *-plain.jar), name the one to run.
                WORKDIR /build
                COPY --from=builder /build/target/*.jar /build/app.jar
                RUN groupadd --system --gid 1001 app \
                    && useradd --system --uid 1001 --gid app --no-create-home app
                USER app
                EXPOSE 8080
                CMD ["java", "-jar", "/build/app.jar"]
            "#]],
        );
        check(
            extract_runner_stage,
            r#"FROM gradle:8.10-jdk17-alpine
WORKDIR /home/gradle/project
COPY . .
RUN gradle bootJar --no-daemon$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM gradle:8.10-jdk17-alpine AS builder
                WORKDIR /home/gradle/project
                COPY . .
                RUN gradle bootJar --no-daemon

                FROM eclipse-temurin:17-jre-alpine AS runner
                # If the build makes several jars (e.g. *-plain.jar), name the one to run.
                WORKDIR /home/gradle/project
                COPY --from=builder /home/gradle/project/build/libs/*.jar /home/gradle/project/app.jar
                RUN addgroup -S -g 1001 app && adduser -S -D -H -u 1001 -G app app
                USER app
                ENTRYPOINT ["java", "-jar", "/home/gradle/project/app.jar"]
            "#]],
        );
    }

    #[test]
    fn generic_with_and_without_known_output() {
        check(
            extract_runner_stage,
            r#"FROM gcc:14
WORKDIR /src
COPY . .
RUN gcc -O2 -o /usr/local/bin/hello hello.c
CMD ["hello"]$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM gcc:14 AS builder
                WORKDIR /src
                COPY . .
                RUN gcc -O2 -o /usr/local/bin/hello hello.c

                FROM gcc:14 AS runner
                WORKDIR /src
                COPY --from=builder /usr/local/bin/hello /usr/local/bin/hello
                RUN groupadd --system --gid 1001 app \
                    && useradd --system --uid 1001 --gid app --no-create-home app
                USER app
                CMD ["hello"]
            "#]],
        );
        check(
            extract_runner_stage,
            r#"FROM ubuntu:24.04
WORKDIR /opt/site
COPY . .
RUN make
LABEL org.opencontainers.image.source="https://example.com"
CMD ["./serve"]$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM ubuntu:24.04 AS builder
                WORKDIR /opt/site
                COPY . .
                RUN make

                FROM ubuntu:24.04 AS runner
                WORKDIR /opt/site
                # stagesmith could not tell which files the build produces, so this copies the
                # builder's whole WORKDIR: narrow it to the build output.
                COPY --from=builder /opt/site /opt/site
                RUN groupadd --system --gid 1001 app \
                    && useradd --system --uid 1001 --gid app --no-create-home app
                USER app
                LABEL org.opencontainers.image.source="https://example.com"
                CMD ["./serve"]
            "#]],
        );
    }

    #[test]
    fn generic_runner_keeps_runtime_packages_and_files_outside_the_workdir() {
        check(
            extract_runner_stage,
            r#"FROM node:18-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl tini build-essential
WORKDIR /usr/local/app
COPY package*.json ./
RUN npm ci && mv /usr/local/app/node_modules /node_modules
COPY . .
COPY config.json /etc/app/config.json
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "server.js"]$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM node:18-slim AS builder
                RUN apt-get update && apt-get install -y --no-install-recommends curl tini build-essential
                WORKDIR /usr/local/app
                COPY package*.json ./
                RUN npm ci && mv /usr/local/app/node_modules /node_modules
                COPY . .
                COPY config.json /etc/app/config.json

                FROM node:18-slim AS runner
                # System packages from the builder: keep only those the app needs at run time.
                RUN apt-get update && apt-get install -y --no-install-recommends curl tini build-essential
                WORKDIR /usr/local/app
                # stagesmith could not tell which files the build produces, so this copies the
                # builder's whole WORKDIR: narrow it to the build output.
                COPY --from=builder /usr/local/app /usr/local/app
                COPY --from=builder /node_modules /node_modules
                COPY --from=builder /etc/app/config.json /etc/app/config.json
                USER node
                ENTRYPOINT ["/usr/bin/tini", "--"]
                CMD ["node", "server.js"]
            "#]],
        );
    }

    #[test]
    fn moved_instructions_take_their_variables() {
        check(
            extract_runner_stage,
            r#"FROM node:20-alpine
ARG APP_PORT=4000
WORKDIR /app
COPY . .
RUN npm ci && npm run build
EXPOSE $APP_PORT
HEALTHCHECK CMD wget -qO- http://localhost:$APP_PORT/health || exit 1
CMD ["node", "dist/server.js"]$0
"#,
            expect![[r#"
                Extract runner stage (refactor.extract)
                FROM node:20-alpine AS builder
                ARG APP_PORT=4000
                WORKDIR /app
                COPY . .
                RUN npm ci && npm run build

                FROM node:20-alpine AS runner
                WORKDIR /app
                COPY --from=builder /app/package*.json ./
                RUN npm ci --omit=dev
                COPY --from=builder /app/dist ./dist
                ARG APP_PORT=4000
                USER node
                EXPOSE $APP_PORT
                HEALTHCHECK CMD wget -qO- http://localhost:$APP_PORT/health || exit 1
                CMD ["node", "dist/server.js"]
            "#]],
        );
    }

    #[test]
    fn not_applicable() {
        // Already split: the final stage only runs.
        check_not_applicable(
            extract_runner_stage,
            "FROM node:20 AS builder\nRUN npm run build\nFROM node:20-slim\nCOPY --from=builder /app/dist ./dist\nCMD [\"node\", \"dist/index.js\"]$0\n",
        );
        // Not in the final stage.
        check_not_applicable(
            extract_runner_stage,
            "FROM node:20 AS builder\nRUN npm run build$0\nFROM node:20\nRUN npm run build\n",
        );
        check_not_applicable(extract_runner_stage, "FROM scratch\nCOPY app /app$0\n");
        check_not_applicable(extract_runner_stage, "FROM alpine\nRUN echo hi$0\n");
        check_not_applicable(extract_runner_stage, "# no stage$0\n");
    }
}
