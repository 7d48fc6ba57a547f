import RuntimeSpec
import StackCore

/// One line of the sync protocol between the runtime (`create`, `exec`) and the container's init
/// (the C plan run in the cloned child) over fd 3: a small JSON object per line.
///
/// - runtime → init, before release, only when hooks need it: the state JSON, as one line;
/// - init → runtime: `hooks` (run prestart + createRuntime now), `created`, or `error`;
/// - runtime → init: `continue` after the hooks ran (or `error`).
public struct SyncMessage: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case hooks, `continue`, created, error
    }

    public var type: Kind
    /// The failure, for `error`: `pivot_root: EINVAL (Invalid argument)`.
    public var message: String?

    public init(_ type: Kind, message: String? = nil) {
        self.type = type
        self.message = message
    }

    /// The message as one line of JSON with its newline.
    public func line() -> String {
        var members: [JSONValue.Member] = [.init("type", .string(type.rawValue))]
        if let message { members.append(.init("message", .string(message))) }
        return JSONWriter.write(.object(members)) + "\n"
    }

    /// Parse one line (`type` and `message`; other members are ignored, null is absent).
    public static func parse(_ line: some Collection<UInt8>) throws(StackError) -> SyncMessage {
        let value = try JSONParser.parse(line, file: "sync message")
        func bad(_ what: String) -> StackError {
            StackError(.internalError, "sync message: \(what)")
        }
        guard case .object = value else { throw bad("not an object") }
        guard case .string(let typeName)? = value["type"], let kind = Kind(rawValue: typeName) else {
            throw bad("no valid type")
        }
        switch value["message"] {
        case nil, .null?: return SyncMessage(kind)
        case .string(let text)?: return SyncMessage(kind, message: text)
        default: throw bad("message is not a string")
        }
    }
}

/// A cgroup hierarchy to show inside the container: a mount named `name` under the cgroup mount
/// point (`memory`, `cpu,cpuacct`, `systemd`; `""` for cgroup v2 itself), the hierarchy's mount
/// options (`memory`, `none,name=systemd`), and the container's directory on the host.
public struct CgroupMountSource: Sendable, Hashable {
    public var name: String
    public var options: String
    public var hostDirectory: String

    public init(name: String, options: String, hostDirectory: String) {
        self.name = name
        self.options = options
        self.hostDirectory = hostDirectory
    }
}
