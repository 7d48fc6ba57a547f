import ArgumentParser
import StackCore
import StackFile

#if canImport(Glibc)
import Glibc
#endif

/// The options every stack command shares, as `docker compose` names them.
struct GlobalOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Stack file (repeatable; later files override earlier ones).")
    var file: [String] = []

    @Option(name: [.short, .customLong("project-name")], help: "Project name.")
    var projectName: String?

    @Option(name: .customLong("profile"), help: "Activate a profile (repeatable).")
    var profiles: [String] = []

    @Option(name: .customLong("env-file"), help: "Read variables from this file instead of .env (repeatable).")
    var envFiles: [String] = []

    @Option(name: .customLong("project-directory"), help: "Project directory (default: the first stack file's directory).")
    var projectDirectory: String?

    /// Loader options from the flags and the process environment.
    func loadOptions(interpolate: Bool = true, services: [String] = []) -> LoadOptions {
        var options = LoadOptions()
        options.files = file
        options.projectName = projectName
        options.profiles = profiles.flatMap { $0.split(separator: ",").map(String.init) }
        options.envFiles = envFiles
        options.projectDirectory = projectDirectory
        options.environment = ProcessEnvironment.current()
        options.workingDirectory = LocalFileSystem.currentDirectory()
        options.interpolate = interpolate
        options.services = services
        if options.projectName == nil, let name = options.environment["STACK_PROJECT_NAME"], !name.isEmpty {
            options.projectName = name
        }
        return options
    }
}

/// The process environment as a dictionary.
enum ProcessEnvironment {
    static func current() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer = pointer.advanced(by: 1)
        }
        return result
    }
}
