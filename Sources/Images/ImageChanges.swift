#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import StackCore

/// Dockerfile-style changes applied by `import -c`: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL,
/// EXPOSE, VOLUME, STOPSIGNAL (JSON or shell form where Dockerfiles allow both).
public enum ImageChanges {
    /// Apply `changes` in order to `config`.
    public static func apply(_ changes: [String], to config: inout ImageConfig.ContainerConfig) throws(StackError) {
        for change in changes {
            try apply(change, to: &config)
        }
    }

    static func apply(_ change: String, to config: inout ImageConfig.ContainerConfig) throws(StackError) {
        let trimmed = change.trimmingSpaces()
        let instruction = String(trimmed.prefix { !$0.isWhitespace })
        let rest = String(trimmed.dropFirst(instruction.count)).trimmingSpaces()
        func invalid(_ why: String) -> StackError {
            StackError(.invalidArgument, "invalid change \"\(change)\": \(why)")
        }
        switch instruction.uppercased() {
        case "CMD":
            config.cmd = try command(rest)
        case "ENTRYPOINT":
            config.entrypoint = try command(rest)
        case "ENV":
            var env = config.env ?? []
            for (key, value) in try pairs(rest, allowSpaceForm: true, what: "ENV") {
                env.removeAll { $0 == key || $0.hasPrefix(key + "=") }
                env.append(key + "=" + value)
            }
            config.env = env
        case "LABEL":
            var labels = config.labels ?? [:]
            for (key, value) in try pairs(rest, allowSpaceForm: false, what: "LABEL") { labels[key] = value }
            config.labels = labels
        case "WORKDIR":
            guard !rest.isEmpty else { throw invalid("WORKDIR needs a path") }
            if rest.hasPrefix("/") || config.workingDir == nil {
                config.workingDir = rest.hasPrefix("/") ? rest : "/" + rest
            } else if let current = config.workingDir {
                config.workingDir = (current.hasSuffix("/") ? current : current + "/") + rest
            }
        case "USER":
            guard !rest.isEmpty else { throw invalid("USER needs a user") }
            config.user = rest
        case "EXPOSE":
            var ports = config.exposedPorts ?? [:]
            for port in try words(rest) {
                ports[port.contains("/") ? port.lowercased() : port + "/tcp"] = EmptyObject()
            }
            config.exposedPorts = ports
        case "VOLUME":
            var volumes = config.volumes ?? [:]
            var paths = try jsonArray(rest) ?? []
            if paths.isEmpty { paths = try words(rest) }
            for path in paths { volumes[path] = EmptyObject() }
            config.volumes = volumes
        case "STOPSIGNAL":
            guard !rest.isEmpty else { throw invalid("STOPSIGNAL needs a signal") }
            config.stopSignal = rest
        default:
            throw invalid("\(instruction.isEmpty ? "empty change" : instruction) is not a supported change command")
        }
    }

    /// JSON form (`["a","b"]`) or shell form (`/bin/sh -c "…"`).
    static func command(_ text: String) throws(StackError) -> [String] {
        if let array = try jsonArray(text) { return array }
        return ["/bin/sh", "-c", text]
    }

    /// A JSON array of strings, nil when `text` is not one (Docker then treats it as shell form).
    static func jsonArray(_ text: String) throws(StackError) -> [String]? {
        guard text.hasPrefix("[") else { return nil }
        return try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    /// `k=v k2="v 2"`, or (ENV) `k some value`.
    static func pairs(_ text: String, allowSpaceForm: Bool, what: String) throws(StackError) -> [(String, String)] {
        let parts = try words(text)
        guard let first = parts.first else { throw StackError(.invalidArgument, "\(what) needs at least one argument") }
        if !first.contains("=") {
            guard allowSpaceForm, parts.count >= 2 else {
                throw StackError(.invalidArgument, "\(what) \"\(text)\": expected key=value")
            }
            let value = String(text.dropFirst(text.prefix { !$0.isWhitespace }.count)).trimmingSpaces()
            return [(first, value)]
        }
        var result: [(String, String)] = []
        for part in parts {
            guard let equals = part.firstIndex(of: "="), equals != part.startIndex else {
                throw StackError(.invalidArgument, "\(what) \"\(text)\": \"\(part)\" is not key=value")
            }
            result.append((String(part[..<equals]), String(part[part.index(after: equals)...])))
        }
        return result
    }

    /// Split on whitespace, honouring "double" and 'single' quotes and backslash escapes.
    static func words(_ text: String) throws(StackError) -> [String] {
        var result: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            if character == "\\" && quote != "'" {
                escaped = true
                inWord = true
                continue
            }
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { result.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if quote != nil { throw StackError(.invalidArgument, "unterminated quote in \"\(text)\"") }
        if inWord { result.append(current) }
        return result
    }
}
