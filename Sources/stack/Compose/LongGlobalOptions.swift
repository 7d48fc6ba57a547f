import ArgumentParser

/// The stack-file options of a command whose own flags take their short names (`rm -f` is
/// `--force`, `run -p` is `--publish`, as in Compose): only long forms here, plus the short
/// ones the user wrote before the command word (`stack -f a.yaml rm -f web`).
///
/// `GlobalArgumentOrder` moves those leading options behind the command word, where this
/// command would read `-f a.yaml` as its own flag and a service; so such a command parses the
/// words after its command word again (`ownArguments`) and takes the leading ones from here.
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

    /// The global options: those written before the command word in `commandLine` (the
    /// process's arguments, program first), these, and `extra` arguments.
    func global(commandLine: [String], extra: [String] = []) throws -> GlobalOptions {
        try GlobalOptions.parse(CommandWord.split(Array(commandLine.dropFirst())).globals + arguments + extra)
    }

    /// The words after `command` as the user wrote them, when stack-file options came before
    /// it (so they were moved behind it); nil when the arguments were parsed as written.
    static func ownArguments(_ commandLine: [String], command: String) -> [String]? {
        let split = CommandWord.split(Array(commandLine.dropFirst()))
        guard split.command == command, !split.globals.isEmpty else { return nil }
        return split.rest
    }
}

/// A command line cut at its command word, as `GlobalArgumentOrder` sees it.
enum CommandWord {
    /// The stack-file options before the command word, the word, and what follows it.
    static func split(_ arguments: [String]) -> (globals: [String], command: String?, rest: [String]) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if GlobalArgumentOrder.valued.contains(argument), index + 1 < arguments.count {
                index += 2
            } else if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "="),
                GlobalArgumentOrder.valued.contains(String(argument[..<equals]))
            {
                index += 1
            } else {
                break
            }
        }
        guard index < arguments.count else { return (Array(arguments[..<index]), nil, []) }
        return (Array(arguments[..<index]), arguments[index], Array(arguments[(index + 1)...]))
    }
}
