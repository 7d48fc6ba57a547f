import StackCore

/// Reads `.env`-style files with the project's variable precedence.
struct EnvironmentFiles {
    let fileSystem: any StackFileSystem

    /// Reads the files in order; a later file wins over an earlier one. A value written as `${VAR}`
    /// sees `shell` first, then what earlier lines and files defined (the shell always wins).
    func read(_ paths: [String], shell: [String: String], required: Bool = true) throws(StackError) -> [String: String] {
        var values: [String: String] = [:]
        for path in paths {
            guard fileSystem.exists(path) else {
                if required { throw StackError(.notFound, "env file \(path) not found") }
                continue
            }
            let text = try decode(fileSystem.read(path), path: path)
            let known = values
            let pairs = try DotEnv.parse(text, file: path) { name in shell[name] ?? known[name] }
            for (key, value) in pairs {
                if let value { values[key] = value } else if let fromShell = shell[key] { values[key] = fromShell }
            }
        }
        return values
    }

    /// The file's text, rejecting bytes that are not UTF-8.
    func decode(_ bytes: [UInt8], path: String) throws(StackError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw StackError(.invalidStackFile, "\(path) is not valid UTF-8")
        }
        return text
    }
}
