import StackCore
import Volumes

/// `-v/--volume`, `--mount` and `--tmpfs` values → `MountRequest`, with Docker's rules and messages.
///
/// Only the text is checked here; whether a bind source exists is the engine's question (see
/// `bindSourceMissing`).
public enum MountParsing {
    /// `-v` modes Docker accepts, by group; at most one of each group.
    static let modeGroups: [Set<String>] = [
        ["rw", "ro"], ["z", "Z"], MountRequest.propagationModes, ["nocopy"], ["consistent", "cached", "delegated"],
    ]

    /// -v/--volume: `/host:/ctr[:ro|rw|z|Z|shared|…]`, `name:/ctr[:opts]`, `/ctr` (anonymous). Relative
    /// container path → error; relative host path (./x) → error as Docker ("includes invalid characters for a local volume name").
    public static func volume(_ text: String) throws(StackError) -> MountRequest {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, !first.isEmpty, parts.count <= 3 else { throw invalidSpec(text) }
        var source = ""
        var target = ""
        var mode = ""
        switch parts.count {
        case 1:
            target = first
        case 2:
            // `/ctr:ro` would be an anonymous volume with a mode: Docker refuses it.
            if isValidMode(parts[1]) { throw invalidSpec(text) }
            source = first
            target = parts[1]
        default:
            source = first
            target = parts[1]
            mode = parts[2]
        }
        guard isValidMode(mode) else { throw StackError(.invalidArgument, "invalid mode: \(mode)") }
        let options = mode.split(separator: ",").map(String.init)
        let kind: MountKind = source.hasPrefix("/") ? .bind : .volume
        let propagation = options.first { MountRequest.propagationModes.contains($0) }
        let wrap = { (reason: String) -> StackError in
            StackError(
                .invalidArgument, "invalid volume specification: '\(text)': invalid mount config for type \"\(kind.rawValue)\": \(reason)")
        }
        if let reason = targetProblem(target) { throw wrap(reason) }
        if kind == .bind && options.contains("nocopy") { throw wrap("field VolumeOptions must not be specified") }
        if kind == .volume && propagation != nil { throw wrap("field BindOptions must not be specified") }
        if kind == .volume && !source.isEmpty { try VolumeName.validate(source) }
        return MountRequest(
            kind: kind, source: kind == .bind ? cleanPath(source) : source, target: cleanPath(target),
            readOnly: options.contains("ro"), propagation: kind == .bind ? propagation : nil,
            createHostPath: kind == .bind, noCopy: options.contains("nocopy"), mode: mode)
    }

    /// --mount type=bind|volume|tmpfs,source=…,target=…,readonly,bind-propagation=…,volume-nocopy,
    /// tmpfs-size=…,tmpfs-mode=…,bind-create-host-path? (Docker's keys and errors)
    ///
    /// The type defaults to `volume`. A `source` of `.` or starting with `./` is made absolute against
    /// `workingDirectory` when given (as the Docker CLI does against its working directory).
    public static func mount(_ text: String, workingDirectory: String? = nil) throws(StackError) -> MountRequest {
        let flag = { (reason: String) -> StackError in
            StackError(.invalidArgument, "invalid argument \"\(text)\" for \"--mount\" flag: \(reason)")
        }
        var kind = "volume"
        var request = MountRequest(kind: .volume, target: "")
        var bindOptions = false
        var volumeOptions = false
        var tmpfsOptions = false
        for field in try csvFields(text, flag: flag) {
            let pair = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let key = pair[0].lowercased()
            guard pair.count == 2 else {
                switch key {
                case "readonly", "ro": request.readOnly = true
                case "volume-nocopy":
                    request.noCopy = true
                    volumeOptions = true
                case "bind-nonrecursive": bindOptions = true
                case "bind-create-host-path":
                    request.createHostPath = true
                    bindOptions = true
                default: throw flag("invalid field '\(field)' must be a key=value pair")
                }
                continue
            }
            let value = pair[1]
            switch key {
            case "type": kind = value.lowercased()
            case "source", "src":
                request.source = value
                if let workingDirectory, value == "." || value.hasPrefix("./") {
                    request.source = cleanPath(workingDirectory + "/" + value)
                }
            case "target", "dst", "destination": request.target = value
            case "readonly", "ro":
                guard let flagValue = parseBool(value) else { throw flag("invalid value for \(key): \(value)") }
                request.readOnly = flagValue
            case "consistency": break
            case "bind-propagation":
                request.propagation = value.lowercased()
                bindOptions = true
            case "bind-nonrecursive": bindOptions = true
            case "bind-create-host-path":
                guard let flagValue = parseBool(value) else { throw flag("invalid value for \(key): \(value)") }
                request.createHostPath = flagValue
                bindOptions = true
            case "volume-nocopy":
                guard let flagValue = parseBool(value) else { throw flag("invalid value for volume-nocopy: \(value)") }
                request.noCopy = flagValue
                volumeOptions = true
            case "volume-label", "volume-opt", "volume-subpath": volumeOptions = true
            case "volume-driver":
                volumeOptions = true
                guard value == "local" || value.isEmpty else {
                    throw StackError(.unsupported, "volume driver \"\(value)\" is not supported (only \"local\")")
                }
            case "tmpfs-size":
                guard let bytes = ByteSize.parse(value), bytes >= 0 else { throw flag("invalid value for \(key): \(value)") }
                request.tmpfsSize = bytes
                tmpfsOptions = true
            case "tmpfs-mode":
                guard let mode = UInt32(value, radix: 8) else { throw flag("invalid value for \(key): \(value)") }
                request.tmpfsMode = mode
                tmpfsOptions = true
            default: throw flag("unexpected key '\(key)' in '\(field)'")
            }
        }
        if kind.isEmpty { throw flag("type is required") }
        if request.target.isEmpty { throw flag("target is required") }
        guard let mountKind = MountKind(rawValue: kind) else {
            throw StackError(.invalidArgument, "invalid mount config: mount type unknown: \"\(kind)\"")
        }
        if volumeOptions && mountKind != .volume { throw flag("cannot mix 'volume-*' options with mount type '\(kind)'") }
        if bindOptions && mountKind != .bind { throw flag("cannot mix 'bind-*' options with mount type '\(kind)'") }
        if tmpfsOptions && mountKind != .tmpfs { throw flag("cannot mix 'tmpfs-*' options with mount type '\(kind)'") }
        request.kind = mountKind
        try validate(&request)
        return request
    }

    /// `--tmpfs /path[:size=64m,mode=1777,…]` → a tmpfs request (other options are left to the mount).
    public static func tmpfs(_ text: String) throws(StackError) -> MountRequest {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let invalid = { (reason: String) -> StackError in
            StackError(.invalidArgument, "invalid argument \"\(text)\" for \"--tmpfs\" flag: \(reason)")
        }
        if let reason = targetProblem(parts[0]) { throw invalid(reason) }
        var request = MountRequest(kind: .tmpfs, target: cleanPath(parts[0]))
        for option in parts.count > 1 ? parts[1].split(separator: ",").map(String.init) : [] {
            if option == "ro" { request.readOnly = true }
            if option.hasPrefix("size=") {
                guard let bytes = ByteSize.parse(String(option.dropFirst(5))) else { throw invalid("invalid size: \(option)") }
                request.tmpfsSize = bytes
            } else if option.hasPrefix("mode=") {
                guard let mode = UInt32(option.dropFirst(5), radix: 8) else { throw invalid("invalid mode: \(option)") }
                request.tmpfsMode = mode
            }
        }
        return request
    }

    /// Docker's error for a `--mount type=bind` (or `create_host_path: false`) source that does not exist.
    public static func bindSourceMissing(_ path: String) -> StackError {
        StackError(.invalidArgument, "invalid mount config for type \"bind\": bind source path does not exist: \(path)")
    }

    // MARK: Helpers

    /// The daemon's checks of a `--mount` request (`invalid mount config for type "…": …`).
    static func validate(_ request: inout MountRequest) throws(StackError) {
        let kind = request.kind.rawValue
        let fail = { (reason: String) -> StackError in
            StackError(.invalidArgument, "invalid mount config for type \"\(kind)\": \(reason)")
        }
        if let reason = targetProblem(request.target) { throw fail(reason) }
        request.target = cleanPath(request.target)
        switch request.kind {
        case .bind:
            if request.source.isEmpty { throw fail("field Source must not be empty") }
            if !request.source.hasPrefix("/") {
                throw fail("invalid mount path: '\(request.source)' mount path must be absolute")
            }
            request.source = cleanPath(request.source)
            if let propagation = request.propagation, !MountRequest.propagationModes.contains(propagation) {
                throw fail("invalid propagation mode: \(propagation)")
            }
        case .volume:
            if request.source.isEmpty && request.readOnly {
                throw fail("must not set ReadOnly mode when using anonymous volumes")
            }
            if !request.source.isEmpty { try VolumeName.validate(request.source) }
        case .tmpfs:
            if !request.source.isEmpty { throw fail("field Source must not be specified") }
        }
    }

    /// Why `target` cannot be a container mount path, or nil.
    static func targetProblem(_ target: String) -> String? {
        if target.isEmpty { return "field Target must not be empty" }
        if !target.hasPrefix("/") { return "invalid mount path: '\(target)' mount path must be absolute" }
        if cleanPath(target) == "/" { return "invalid specification: destination can't be '/'" }
        return nil
    }

    static func invalidSpec(_ text: String) -> StackError {
        StackError(.invalidArgument, "invalid volume specification: '\(text)'")
    }

    /// Empty, or comma-separated options with at most one of each group and nothing unknown.
    static func isValidMode(_ mode: String) -> Bool {
        if mode.isEmpty { return true }
        var counts = [Int](repeating: 0, count: modeGroups.count)
        for option in mode.split(separator: ",", omittingEmptySubsequences: false) {
            guard let group = modeGroups.firstIndex(where: { $0.contains(String(option)) }) else { return false }
            counts[group] += 1
            if counts[group] > 1 { return false }
        }
        return true
    }

    /// Go's `strconv.ParseBool`.
    static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": true
        case "0", "f", "F", "false", "FALSE", "False": false
        default: nil
        }
    }

    /// Lexical clean of an absolute path (Go's `filepath.Clean`): no `//`, `.`, `..` or trailing `/`.
    public static func cleanPath(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// One CSV record (Go's `encoding/csv`): commas separate fields, `"…"` quotes a field, `""` is a quote.
    static func csvFields(_ text: String, flag: (String) -> StackError) throws(StackError) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var characters = Array(text)[...]
        var atFieldStart = true
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        current.append("\"")
                        characters = characters.dropFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "," {
                fields.append(current)
                current = ""
                atFieldStart = true
                continue
            } else if character == "\"" && atFieldStart {
                quoted = true
            } else {
                current.append(character)
            }
            atFieldStart = false
        }
        if quoted { throw flag("parse error: extraneous or missing \" in quoted-field") }
        fields.append(current)
        return fields.filter { !$0.isEmpty }
    }
}
