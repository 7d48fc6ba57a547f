import StackCore
@testable import StackFile

/// Loads a stack from an in-memory tree of files.
func loadStack(
    _ files: [String: String], cwd: String = "/p", f: [String] = [], env: [String: String] = [:],
    projectName: String? = nil, profiles: [String] = [], envFiles: [String] = [], services: [String] = []
) throws -> LoadedStack {
    var options = LoadOptions()
    options.files = f
    options.workingDirectory = cwd
    options.environment = env
    options.projectName = projectName
    options.profiles = profiles
    options.envFiles = envFiles
    options.services = services
    return try StackLoader(fileSystem: InMemoryFileSystem(files)).load(options)
}

/// The StackError thrown by `body`, or nil.
func stackError(_ body: () throws -> Any) -> StackError? {
    do {
        _ = try body()
        return nil
    } catch let error as StackError {
        return error
    } catch {
        return nil
    }
}
