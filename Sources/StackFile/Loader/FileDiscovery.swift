import StackCore

/// Finds the stack files when no `-f` is given, as Compose does: `compose.yaml`, `compose.yml`,
/// `docker-compose.yml`, `docker-compose.yaml` in the working directory or the nearest parent,
/// plus the first matching `*.override.*` file next to it.
public struct FileDiscovery: Sendable {
    public static let candidateNames = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"]
    public static let overrideNames = [
        "compose.override.yml", "compose.override.yaml", "docker-compose.override.yml",
        "docker-compose.override.yaml",
    ]

    public let fileSystem: any StackFileSystem

    public init(fileSystem: any StackFileSystem) { self.fileSystem = fileSystem }

    /// The files found from `directory` upwards, with warnings for ambiguous directories.
    public func discover(from directory: String, warnings: inout [StackWarning]) throws(StackError) -> [String] {
        var current = PathName.clean(directory)
        while true {
            let found = Self.candidateNames.map { PathName.absolute($0, base: current) }.filter(fileSystem.exists)
            if let first = found.first {
                if found.count > 1 {
                    warnings.append(
                        StackWarning(
                            "found multiple stack files with supported names: \(found.joined(separator: ", ")); using \(first)"
                        ))
                }
                var files = [first]
                if let override = Self.overrideNames.map({ PathName.absolute($0, base: current) }).first(where: fileSystem.exists) {
                    files.append(override)
                }
                return files
            }
            if current == "/" { break }
            current = PathName.directory(current)
        }
        throw StackError(
            .notFound,
            "no stack file found in \(directory) or any parent directory (looked for \(Self.candidateNames.joined(separator: ", ")))"
        )
    }
}
