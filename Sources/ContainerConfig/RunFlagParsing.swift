import StackAPI
import StackCore

/// Parsers for the values of `run`/`create` flags, with Docker's rules and errors that name the flag:
/// `invalid argument "x" for "--flag" flag: reason`.
public enum RunFlagParsing {
    /// Docker's smallest memory limit: 6 MiB.
    public static let minimumMemory: Int64 = 6 * 1024 * 1024

    static func invalid(_ flag: String, _ value: String, _ reason: String) -> StackError {
        StackError(.invalidArgument, "invalid argument \"\(value)\" for \"\(flag)\" flag: \(reason)")
    }

    /// `-m, --memory 512m`: bytes, at least 6 MiB.
    public static func memory(_ text: String, flag: String = "--memory") throws(StackError) -> Int64 {
        let bytes = try byteSize(text, flag: flag)
        if bytes < minimumMemory {
            throw invalid(flag, text, "minimum memory limit allowed is 6MB")
        }
        return bytes
    }

    /// `--memory-swap -1|SIZE`: -1 is unlimited swap.
    public static func memorySwap(_ text: String) throws(StackError) -> Int64 {
        if text.trimmingSpaces() == "-1" { return -1 }
        return try byteSize(text, flag: "--memory-swap")
    }

    /// `--memory-reservation`, `--shm-size` and other plain sizes (`512m`, `1g`, `100kb`, bytes).
    public static func byteSize(_ text: String, flag: String) throws(StackError) -> Int64 {
        guard let bytes = ByteSize.parse(text) else {
            throw invalid(flag, text, "invalid size: expected a number with an optional unit (b, k, m, g)")
        }
        return bytes
    }

    /// `--cpus 1.5` → NanoCpus (1_500_000_000). At most nine decimals, not negative.
    public static func cpus(_ text: String) throws(StackError) -> Int64 {
        let body = text.trimmingSpaces()
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts.first.map(String.init) ?? ""
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        let digits: (String) -> Bool = { $0.allSatisfy { $0.isASCII && $0.isNumber } }
        guard !body.isEmpty, !(whole.isEmpty && fraction.isEmpty), digits(whole), digits(fraction) else {
            throw invalid("--cpus", text, "failed to parse \(text) as a rational number")
        }
        guard fraction.count <= 9 || fraction.dropFirst(9).allSatisfy({ $0 == "0" }) else {
            throw invalid("--cpus", text, "value is too precise")
        }
        let padded = String((fraction + "000000000").prefix(9))
        guard let units = Int64(whole.isEmpty ? "0" : whole), let nanos = Int64(padded),
            units < Int64.max / 1_000_000_000
        else {
            throw invalid("--cpus", text, "value is too large")
        }
        return units * 1_000_000_000 + nanos
    }

    /// `-c, --cpu-shares`, `--cpu-period`, `--cpu-quota`, `--pids-limit`, `--oom-score-adj`: an integer.
    public static func integer(_ text: String, flag: String) throws(StackError) -> Int64 {
        guard let value = Int64(text.trimmingSpaces()) else {
            throw invalid(flag, text, "strconv.ParseInt: parsing \"\(text)\": invalid syntax")
        }
        return value
    }

    /// `--pids-limit N`: 0 or -1 (or less) is unlimited and gives nil.
    public static func pidsLimit(_ text: String) throws(StackError) -> Int64? {
        let value = try integer(text, flag: "--pids-limit")
        return value > 0 ? value : nil
    }

    /// `--oom-score-adj`: -1000…1000.
    public static func oomScoreAdj(_ text: String) throws(StackError) -> Int {
        let value = try integer(text, flag: "--oom-score-adj")
        guard (-1000...1000).contains(value) else {
            throw invalid("--oom-score-adj", text, "invalid value, must be in the range [-1000, 1000]")
        }
        return Int(value)
    }

    /// `--cpuset-cpus 0-1,3` / `--cpuset-mems`: a list of numbers and ascending ranges.
    public static func cpuset(_ text: String, flag: String = "--cpuset-cpus") throws(StackError) -> String {
        let body = text.trimmingSpaces()
        guard !body.isEmpty else { throw invalid(flag, text, "empty list") }
        for item in body.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            let numbers = bounds.compactMap { UInt32($0) }
            guard numbers.count == bounds.count, !numbers.isEmpty, numbers.count == 1 || numbers[0] <= numbers[1] else {
                throw invalid(flag, text, "invalid format: \(item)")
            }
        }
        return body
    }

    /// `--blkio-weight`: 10…1000 (0 leaves it unset).
    public static func blkioWeight(_ text: String) throws(StackError) -> UInt16 {
        let value = try integer(text, flag: "--blkio-weight")
        guard value == 0 || (10...1000).contains(value) else {
            throw invalid("--blkio-weight", text, "range of blkio weight is from 10 to 1000")
        }
        return UInt16(value)
    }

    /// `--device-read-bps` / `--device-write-bps`: `/dev/sda:1mb` (a size per second).
    public static func deviceRate(_ text: String, flag: String) throws(StackError) -> HostConfig.ThrottleDevice {
        let (path, rate) = try deviceAndRate(text, flag: flag)
        guard let bytes = ByteSize.parse(rate) else {
            throw invalid(flag, text, "invalid rate for device: \(rate). The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb")
        }
        return HostConfig.ThrottleDevice(path: path, rate: UInt64(bytes))
    }

    /// `--device-read-iops` / `--device-write-iops`: `/dev/sda:1000` (a plain number).
    public static func deviceIOps(_ text: String, flag: String) throws(StackError) -> HostConfig.ThrottleDevice {
        let (path, rate) = try deviceAndRate(text, flag: flag)
        guard let number = UInt64(rate) else {
            throw invalid(flag, text, "invalid rate for device: \(rate). The correct format is <device-path>:<number>. Number must be a positive integer")
        }
        return HostConfig.ThrottleDevice(path: path, rate: number)
    }

    private static func deviceAndRate(_ text: String, flag: String) throws(StackError) -> (String, String) {
        guard let colon = text.lastIndex(of: ":") else {
            throw invalid(flag, text, "bad format for device: \(text), expected <device-path>:<rate>")
        }
        let path = String(text[..<colon])
        let rate = String(text[text.index(after: colon)...])
        guard path.hasPrefix("/dev/") else {
            throw invalid(flag, text, "bad format for device path: \(path)")
        }
        return (path, rate)
    }

    /// The `--ulimit` names Docker accepts (RLIMIT_* without the prefix, lower case).
    public static let ulimitNames: Set<String> = [
        "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss",
        "rtprio", "rttime", "sigpending", "stack",
    ]

    /// `--ulimit nofile=1024:2048` or `--ulimit nofile=1024` (soft = hard). -1 is unlimited.
    public static func ulimit(_ text: String) throws(StackError) -> HostConfig.Ulimit {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw invalid("--ulimit", text, "invalid ulimit argument: \(text)") }
        let name = String(parts[0])
        guard ulimitNames.contains(name) else {
            throw invalid("--ulimit", text, "invalid ulimit type: \(name)")
        }
        let limits = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard limits.count <= 2, let soft = Int64(limits[0]) else {
            throw invalid("--ulimit", text, "invalid ulimit argument: \(text)")
        }
        var hard = soft
        if limits.count == 2 {
            guard let value = Int64(limits[1]) else {
                throw invalid("--ulimit", text, "invalid ulimit argument: \(text)")
            }
            hard = value
        }
        if soft < -1 || hard < -1 {
            throw invalid("--ulimit", text, "ulimit values must be non-negative or -1 (unlimited)")
        }
        if hard != -1 && (soft == -1 || soft > hard) {
            throw invalid("--ulimit", text, "ulimit soft limit must be less than or equal to hard limit: \(soft) > \(hard)")
        }
        return HostConfig.Ulimit(name: name, soft: soft, hard: hard)
    }

    /// `-e K=V` stays as it is; `-e K` takes K's value from `environment`, and stays a bare `K`
    /// (which removes the variable, as in Docker) when `environment` has none.
    public static func env(_ text: String, environment: [String: String]) throws(StackError) -> String {
        let name = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
        if name.isEmpty { throw invalid("--env", text, "invalid environment variable: \(text)") }
        if text.contains("=") { return text }
        if let value = environment[text] { return text + "=" + value }
        return text
    }

    /// The lines of an `--env-file` (the caller reads the file): blank lines and `#` comments are skipped,
    /// `K=V` is kept verbatim (no quote processing, as Docker), a bare `K` is looked up in `environment`.
    public static func envFile(_ text: String, file: String, environment: [String: String]) throws(StackError) -> [String] {
        var result: [String] = []
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            while let first = line.first, first == " " || first == "\t" { line = line.dropFirst() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0]
            if name.isEmpty {
                throw StackError(.invalidArgument, "\(file):\(lineNumber): no variable name on line '\(line)'")
            }
            if name.contains(where: { $0 == " " || $0 == "\t" }) {
                throw StackError(.invalidArgument, "\(file):\(lineNumber): variable '\(name)' contains whitespaces")
            }
            if parts.count == 2 {
                result.append(String(line))
            } else if let value = environment[String(name)] {
                result.append("\(name)=\(value)")
            }
        }
        return result
    }

    /// `-l k=v` (a bare `k` gets an empty value).
    public static func label(_ text: String) throws(StackError) -> (key: String, value: String) {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard !parts[0].isEmpty else { throw invalid("--label", text, "invalid label: empty key") }
        return (String(parts[0]), parts.count == 2 ? String(parts[1]) : "")
    }

    /// `--restart no|always|unless-stopped|on-failure[:N]`.
    public static func restartPolicy(_ text: String) throws(StackError) -> HostConfig.RestartPolicy {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        var retries = 0
        if parts.count == 2 {
            guard let count = Int(parts[1]), count >= 0 else {
                throw invalid("--restart", text, "maximum retry count must be a non-negative integer")
            }
            retries = count
        }
        switch name {
        case "", "no":
            if parts.count == 2 { throw invalid("--restart", text, "maximum retry count cannot be used with restart policy 'no'") }
            return HostConfig.RestartPolicy(name: "no")
        case "always", "unless-stopped":
            if parts.count == 2 {
                throw invalid("--restart", text, "maximum retry count cannot be used with restart policy '\(name)'")
            }
            return HostConfig.RestartPolicy(name: name)
        case "on-failure":
            return HostConfig.RestartPolicy(name: name, maximumRetryCount: retries)
        default:
            throw invalid("--restart", text, "invalid restart policy '\(name)' (no, always, unless-stopped or on-failure[:N])")
        }
    }

    /// `-u user[:group]` (names or numbers); checked for shape only, `UserResolver` resolves it.
    public static func user(_ text: String) throws(StackError) -> String {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty, parts.count == 1 || !parts[1].isEmpty else {
            throw invalid("--user", text, "expected user[:group] (names or numeric ids)")
        }
        return text
    }

    /// The built-in `--network` modes; anything else is `container:<name|id>` or a network's name.
    public static let networkModes: Set<String> = ["none", "host", "default", "bridge"]

    /// `--network none|host|default|bridge|container:NAME|NETWORK`; the value is recorded as given.
    ///
    /// A network name is any non-empty text without whitespace; whether the network exists is the engine's
    /// question.
    public static func network(_ text: String) throws(StackError) -> String {
        guard isValidNetworkMode(text) else {
            throw invalid(
                "--network", text,
                "expected none, host, bridge, container:<name|id> or a network name (no spaces)")
        }
        return text
    }

    /// True for a built-in mode, `container:X` with a non-empty X, or a network name (non-empty, no whitespace).
    public static func isValidNetworkMode(_ text: String) -> Bool {
        if networkModes.contains(text) { return true }
        let name = text.hasPrefix("container:") ? text.dropFirst("container:".count) : Substring(text)
        return !name.isEmpty && !name.contains(where: \.isWhitespace)
    }

    /// `--tmpfs /path[:options]` → (path, options).
    public static func tmpfs(_ text: String) throws(StackError) -> (path: String, options: String) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts[0])
        guard path.hasPrefix("/") else {
            throw invalid("--tmpfs", text, "invalid mount path \(path): it must be absolute")
        }
        guard path != "/" else { throw invalid("--tmpfs", text, "invalid mount path /: cannot mount over /") }
        return (path, parts.count == 2 ? String(parts[1]) : "")
    }
}
