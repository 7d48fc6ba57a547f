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

    /// The message as one line of JSON with its newline.
    public func line() throws(StackError) -> String {
        try JSONValueEncoder().encodeString(self) + "\n"
    }

    /// Parse one line.
    public static func parse(_ line: some Collection<UInt8>) throws(StackError) -> SyncMessage {
        try JSONValueDecoder(file: "sync message").decode(SyncMessage.self, from: line)
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
