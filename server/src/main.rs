fn main() -> std::process::ExitCode {
    stagesmith::cli::main()
}
