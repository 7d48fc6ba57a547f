import ContainerInit
import LinuxOS
import RuntimeSpec
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The runtime's state root (`--root`, default /run/stack-runtime): one directory per container
/// holding `state.json`, a copy of `config.json`, and the exec FIFO while the container is created.
public struct StateDirectory: Sendable {
    public static let defaultRoot = "/run/stack-runtime"

    public let root: String

    public init(root: String = StateDirectory.defaultRoot) {
        self.root = root
    }

    public func directory(_ id: String) -> String { root + "/" + id }
    public func statePath(_ id: String) -> String { directory(id) + "/state.json" }
    public func configPath(_ id: String) -> String { directory(id) + "/config.json" }
    public func fifoPath(_ id: String) -> String { directory(id) + "/exec.fifo" }

    /// Check a container id as runc does: letters, digits, `_`, `+`, `-`, `.`; not `.` or `..`.
    public static func validate(id: String) throws(StackError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-.")
        guard !id.isEmpty, id != ".", id != "..", id.allSatisfy(allowed.contains) else {
            throw StackError(.invalidArgument, "invalid container id format: \(id)")
        }
    }

    /// Make `<root>/<id>`; an existing one is an error.
    public func create(_ id: String) throws(StackError) {
        try Self.validate(id: id)
        try makeRoot()
        let path = directory(id)
        if mkdir(path, 0o711) != 0 {
            let error = Errno.current
            if error == .EEXIST { throw StackError(.invalidArgument, "container with id exists: \(id)") }
            throw StackError.system("mkdir \(path)", error)
        }
    }

    private func makeRoot() throws(StackError) {
        try Directories.make(root, mode: 0o711)
    }

    public func save(_ record: ContainerRecord) throws(StackError) {
        try FileIO.write(statePath(record.id), try JSONValueEncoder().encodeString(record))
    }

    /// The record of `id`; `container does not exist` when there is none.
    public func load(_ id: String) throws(StackError) -> ContainerRecord {
        try Self.validate(id: id)
        let path = statePath(id)
        guard FileIO.exists(path) else { throw StackError(.notFound, "container does not exist") }
        return try JSONValueDecoder(file: path).decode(ContainerRecord.self, from: try FileIO.read(path))
    }

    /// The saved copy of the container's config.json.
    public func loadSpec(_ id: String) throws(StackError) -> Spec {
        let path = configPath(id)
        return try SpecLoader.decode(data: try FileIO.read(path), file: path)
    }

    public func saveSpec(_ spec: Spec, id: String) throws(StackError) {
        try FileIO.write(configPath(id), try JSONValueEncoder().encodeString(spec))
    }

    /// Saves config.json as given (the bytes `create` read and validated).
    public func saveSpec(_ configBytes: [UInt8], id: String) throws(StackError) {
        try FileIO.write(configPath(id), String(decoding: configBytes, as: UTF8.self))
    }

    /// Ids with a state.json, sorted.
    public func ids() -> [String] {
        FileIO.list(root).filter { FileIO.exists(statePath($0)) }
    }

    public func remove(_ id: String) {
        FileIO.removeTree(directory(id))
    }
}
