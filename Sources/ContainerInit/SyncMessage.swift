import RuntimeSpec
import StackCore

/// One line of the sync protocol between `stack-runtime create` (the parent) and the container's
/// init over fd 3: a small JSON object per line.
///
/// - parent → init, before release: `config` (seccomp BPF, the state for hooks, cgroup mounts);
/// - init → parent: `hooks` (run prestart + createRuntime now), `created`, or `error`;
/// - parent → init: `continue` after the hooks ran.
public struct SyncMessage: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        case config, hooks, `continue`, created, error
    }

    public var type: Kind
    /// The failure, for `error`: `pivot_root: EINVAL (Invalid argument)`.
    public var message: String?
    /// The compiled seccomp filter as lowercase hex, for `config` (compiled by the parent).
    public var seccomp: String?
    /// `SECCOMP_FILTER_FLAG_*` bits to load it with.
    public var seccompFlags: UInt32?
    /// The state JSON hooks get on stdin, for `config`.
    public var state: String?
    /// The container's cgroup directories on the host, for `cgroup` mounts without a cgroup namespace.
    public var cgroupMounts: [CgroupMountSource]?
    /// The cgroup layout: `v1`, `v2` or `hybrid`.
    public var cgroupVersion: String?
    /// For `exec`: the process to run, as the JSON of `process`.
    public var process: String?

    public init(_ type: Kind, message: String? = nil) {
        self.type = type
        self.message = message
    }

    /// The message as one line of JSON with its newline. Written member by member rather than
    /// through Codable: both ends are fresh processes, where the first use of each Codable type
    /// costs the Swift runtime type look-ups that outweigh the message itself.
    public func line() throws(StackError) -> String {
        var members: [JSONValue.Member] = [.init("type", .string(type.rawValue))]
        func add(_ key: String, _ value: String?) {
            if let value { members.append(.init(key, .string(value))) }
        }
        add("message", message)
        add("seccomp", seccomp)
        if let seccompFlags { members.append(.init("seccompFlags", .number(String(seccompFlags)))) }
        add("state", state)
        if let cgroupMounts {
            members.append(.init("cgroupMounts", .array(cgroupMounts.map { mount in
                .object([
                    .init("name", .string(mount.name)), .init("options", .string(mount.options)),
                    .init("hostDirectory", .string(mount.hostDirectory)),
                ])
            })))
        }
        add("cgroupVersion", cgroupVersion)
        add("process", process)
        return JSONWriter.write(.object(members)) + "\n"
    }

    /// Parse one line (the members `line()` writes; others are ignored, null is absent).
    public static func parse(_ line: some Collection<UInt8>) throws(StackError) -> SyncMessage {
        let value = try JSONParser.parse(line, file: "sync message")
        func bad(_ what: String) -> StackError {
            StackError(.internalError, "sync message: \(what)")
        }
        func string(_ key: String) throws(StackError) -> String? {
            switch value[key] {
            case nil, .null?: return nil
            case .string(let text)?: return text
            default: throw bad("\(key) is not a string")
            }
        }
        guard case .object = value else { throw bad("not an object") }
        guard let typeName = try string("type"), let kind = Kind(rawValue: typeName) else { throw bad("no valid type") }
        var message = SyncMessage(kind, message: try string("message"))
        message.seccomp = try string("seccomp")
        switch value["seccompFlags"] {
        case nil, .null?: break
        case .number(let text)?:
            guard let flags = UInt32(text) else { throw bad("seccompFlags is not a 32-bit unsigned number") }
            message.seccompFlags = flags
        default: throw bad("seccompFlags is not a number")
        }
        message.state = try string("state")
        switch value["cgroupMounts"] {
        case nil, .null?: break
        case .array(let items)?:
            var mounts: [CgroupMountSource] = []
            for item in items {
                guard case .string(let name)? = item["name"], case .string(let options)? = item["options"],
                    case .string(let directory)? = item["hostDirectory"]
                else { throw bad("a cgroup mount needs name, options and hostDirectory strings") }
                mounts.append(CgroupMountSource(name: name, options: options, hostDirectory: directory))
            }
            message.cgroupMounts = mounts
        default: throw bad("cgroupMounts is not an array")
        }
        message.cgroupVersion = try string("cgroupVersion")
        message.process = try string("process")
        return message
    }
}

/// A cgroup hierarchy to show inside the container: a mount named `name` under the cgroup mount
/// point (`memory`, `cpu,cpuacct`, `systemd`; `""` for cgroup v2 itself), the hierarchy's mount
/// options (`memory`, `none,name=systemd`), and the container's directory on the host.
public struct CgroupMountSource: Codable, Sendable, Hashable {
    public var name: String
    public var options: String
    public var hostDirectory: String

    public init(name: String, options: String, hostDirectory: String) {
        self.name = name
        self.options = options
        self.hostDirectory = hostDirectory
    }
}

/// Hex for the seccomp filter bytes in a sync message.
public enum Hex {
    public static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = value(chars[index]), let low = value(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func value(_ char: UInt8) -> UInt8? {
        switch char {
        case 48...57: return char - 48
        case 97...102: return char - 87
        case 65...70: return char - 55
        default: return nil
        }
    }
}
