import ArgumentParser

/// The stack-file options of a command whose own flags take their short names (`rm -f` is
/// `--force`, `run -p` is `--publish`, as in Compose): long forms only. Short ones the user wrote
/// before the command word (`stack -f a.yaml rm -f web`) arrive here as long ones, since
/// `GlobalArgumentOrder` moves them behind the command word in their long form.
struct LongGlobalOptions: ParsableArguments {
    @Option(name: .customLong("file"), help: "Stack file (repeatable; -f before the command).") var file: [String] = []
    @Option(name: .customLong("project-name"), help: "Project name (-p before the command).") var projectName: String?
    @Option(name: .customLong("profile"), help: "Activate a profile (repeatable).") var profiles: [String] = []
    @Option(name: .customLong("env-file"), help: "Read variables from this file instead of .env.") var envFiles: [String] = []
    @Option(name: .customLong("project-directory"), help: "Project directory.") var projectDirectory: String?

    /// These options as arguments for `GlobalOptions`.
    var arguments: [String] {
        var result = file.flatMap { ["--file", $0] } + profiles.flatMap { ["--profile", $0] }
            + envFiles.flatMap { ["--env-file", $0] }
        if let projectName { result += ["--project-name", projectName] }
        if let projectDirectory { result += ["--project-directory", projectDirectory] }
        return result
    }

    /// The same options as `GlobalOptions`.
    func global() throws -> GlobalOptions {
        try GlobalOptions.parse(arguments)
    }
}
