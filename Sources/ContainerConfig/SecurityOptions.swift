import StackCore

/// What `--security-opt` values (HostConfig.SecurityOpt) ask for.
///
/// Forms (`=` or the older `:` separator): `seccomp=unconfined`, `seccomp=builtin`, `seccomp=<profile JSON>`
/// (the CLI reads `seccomp=PROFILE.json` and sends the file's content, as Docker's does),
/// `no-new-privileges[=true|false]`, `apparmor=…`, `label=…` (recorded, not applied), `systempaths=unconfined`.
public struct SecurityOptions: Sendable, Hashable {
    /// Which seccomp filter the container gets.
    public enum SeccompChoice: Sendable, Hashable {
        /// Docker's default profile.
        case builtin
        /// No filter.
        case unconfined
        /// A Docker-format profile, as JSON text.
        case profile(String)
    }

    public var seccomp: SeccompChoice = .builtin
    public var noNewPrivileges = false
    public var apparmor: String?
    public var labels: [String] = []
    /// `systempaths=unconfined`: no masked or read-only /proc paths.
    public var unmaskSystemPaths = false

    public init() {}

    /// Parses the request's `SecurityOpt` entries; `path` names the field in errors.
    public static func parse(_ options: [String], path: String = "HostConfig.SecurityOpt") throws(StackError)
        -> SecurityOptions
    {
        var result = SecurityOptions()
        for (index, option) in options.enumerated() {
            try result.apply(option, path: "\(path)[\(index)]")
        }
        return result
    }

    /// The key and value of one option, split at the first `=` (or `:` for the legacy form).
    static func split(_ option: String) -> (key: String, value: String?) {
        let equals = option.firstIndex(of: "=")
        let colon = option.firstIndex(of: ":")
        guard let separator = [equals, colon].compactMap({ $0 }).min() else { return (option, nil) }
        return (String(option[..<separator]), String(option[option.index(after: separator)...]))
    }

    mutating func apply(_ option: String, path: String) throws(StackError) {
        let (key, value) = Self.split(option)
        switch key {
        case "seccomp":
            guard let value, !value.isEmpty else {
                throw StackError(.invalidArgument, "invalid --security-opt \"\(option)\": seccomp needs a value", path: path)
            }
            switch value {
            case "unconfined": seccomp = .unconfined
            case "builtin", "default": seccomp = .builtin
            default:
                guard value.trimmingSpaces().hasPrefix("{") else {
                    throw StackError(
                        .invalidArgument,
                        "invalid --security-opt seccomp value: expected unconfined, builtin or a profile's JSON (the CLI reads the file)",
                        path: path)
                }
                seccomp = .profile(value)
            }
        case "no-new-privileges":
            switch value {
            case nil, "true": noNewPrivileges = true
            case "false": noNewPrivileges = false
            default:
                throw StackError(
                    .invalidArgument, "invalid --security-opt \"\(option)\": no-new-privileges takes true or false",
                    path: path)
            }
        case "apparmor":
            apparmor = value
        case "label":
            if let value { labels.append(value) }
        case "systempaths":
            guard value == "unconfined" else {
                throw StackError(
                    .invalidArgument, "invalid --security-opt \"\(option)\": systempaths only takes unconfined", path: path)
            }
            unmaskSystemPaths = true
        default:
            throw StackError(.invalidArgument, "invalid --security-opt \"\(option)\": unknown option \(key)", path: path)
        }
    }
}

extension RunFlagParsing {
    /// What a `--security-opt` flag value means for the CLI.
    public enum SecurityOptFlag: Sendable, Hashable {
        /// Send as is.
        case option(String)
        /// `seccomp=FILE`: the CLI reads FILE and sends `seccomp=<its content>`.
        case seccompProfileFile(String)
    }

    /// `--security-opt seccomp=PROFILE.json|unconfined|builtin`, `no-new-privileges[:true]`, `apparmor=…`,
    /// `label=…`, `systempaths=unconfined`. A seccomp file is returned for the CLI to read.
    public static func securityOpt(_ text: String) throws(StackError) -> SecurityOptFlag {
        let (key, value) = SecurityOptions.split(text)
        if key == "seccomp", let value, !["unconfined", "builtin", "default", ""].contains(value),
            !value.hasPrefix("{")
        {
            return .seccompProfileFile(value)
        }
        var probe = SecurityOptions()
        do {
            try probe.apply(text, path: "")
        } catch {
            throw invalid("--security-opt", text, error.message)
        }
        return .option(text)
    }
}
