import StackCore

/// A normalized image reference, as Docker parses them: `busybox` is `docker.io/library/busybox:latest`;
/// `localhost:5000/a/b:t`; `name@sha256:…` (tag and digest may both be present).
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    public static let defaultDomain = "docker.io"
    public static let defaultTag = "latest"

    /// Registry host (with port), e.g. `docker.io`, `localhost:5000`.
    public let domain: String
    /// Repository path inside the registry, e.g. `library/busybox`.
    public let path: String
    public let tag: String?
    public let digest: Digest?

    /// The full repository name, `docker.io/library/busybox`.
    public var name: String { domain + "/" + path }

    /// Parse and normalize; a reference without tag or digest gets `latest`.
    public init(parsing text: String) throws(StackError) {
        try self.init(parsing: text, defaultTag: true)
    }

    /// Parse; `defaultTag` false leaves a missing tag nil (for matching `rmi busybox` style lookups).
    public init(parsing text: String, defaultTag: Bool) throws(StackError) {
        func invalid(_ why: String) -> StackError {
            StackError(.invalidArgument, "invalid reference format \"\(text)\": \(why)")
        }
        guard !text.isEmpty else { throw invalid("empty") }
        var rest = Substring(text)
        var digest: Digest?
        if let at = rest.firstIndex(of: "@") {
            digest = try Digest(parsing: String(rest[rest.index(after: at)...]))
            rest = rest[..<at]
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[rest.index(after: colon)...].contains("/") {
            let candidate = String(rest[rest.index(after: colon)...])
            guard ImageReference.isValidTag(candidate) else { throw invalid("invalid tag \"\(candidate)\"") }
            tag = candidate
            rest = rest[..<colon]
        }
        let remote = String(rest)
        guard !remote.isEmpty else { throw invalid("missing repository name") }
        if Digest.isHex64(remote) {
            throw invalid("repository name cannot be a 64-byte hexadecimal string")
        }
        var domain = ImageReference.defaultDomain
        var path = remote
        if let slash = remote.firstIndex(of: "/") {
            let first = remote[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first {
                domain = String(first)
                path = String(remote[remote.index(after: slash)...])
            }
        }
        if domain == "index.docker.io" { domain = ImageReference.defaultDomain }
        guard ImageReference.isValidDomain(domain) else { throw invalid("invalid registry \"\(domain)\"") }
        if domain == ImageReference.defaultDomain && !path.contains("/") { path = "library/" + path }
        guard path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy(ImageReference.isValidComponent)
        else {
            if path.contains(where: { $0.isUppercase }) { throw invalid("repository name must be lowercase") }
            throw invalid("invalid repository name \"\(path)\"")
        }
        guard domain.count + 1 + path.count <= 255 else { throw invalid("repository name longer than 255 characters") }
        if tag == nil && digest == nil && defaultTag { tag = ImageReference.defaultTag }
        self.domain = domain
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    /// A reference from its parts (assumed valid).
    public init(domain: String, path: String, tag: String?, digest: Digest?) {
        self.domain = domain
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    /// `docker.io/library/busybox:latest`, `name@sha256:…`, `name:tag@sha256:…`.
    public var description: String {
        var text = name
        if let tag { text += ":" + tag }
        if let digest { text += "@" + digest.description }
        return text
    }

    /// The repository as Docker shows it: `busybox`, `user/app`, `localhost:5000/a/b`.
    public var familiarName: String {
        guard domain == ImageReference.defaultDomain else { return name }
        if path.hasPrefix("library/") && path.split(separator: "/").count == 2 { return String(path.dropFirst(8)) }
        return path
    }

    /// The reference as Docker shows it: `busybox:latest`.
    public var familiar: String {
        var text = familiarName
        if let tag { text += ":" + tag }
        if let digest { text += "@" + digest.description }
        return text
    }

    /// The same repository with another tag (and no digest).
    public func with(tag: String) -> ImageReference {
        ImageReference(domain: domain, path: path, tag: tag, digest: nil)
    }

    /// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    public static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard let first = bytes.first, bytes.count <= 128, isWord(first) else { return false }
        return bytes.allSatisfy { isWord($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`.
    static func isValidComponent(_ component: Substring) -> Bool {
        let bytes = Array(component.utf8)
        guard let first = bytes.first, let last = bytes.last, isLowerAlnum(first), isLowerAlnum(last) else {
            return false
        }
        var index = 0
        while index < bytes.count {
            if isLowerAlnum(bytes[index]) { index += 1; continue }
            var end = index
            while end < bytes.count && !isLowerAlnum(bytes[end]) { end += 1 }
            let separator = String(decoding: bytes[index..<end], as: UTF8.self)
            let ok = separator == "." || separator == "_" || separator == "__" || separator.allSatisfy { $0 == "-" }
            if !ok { return false }
            index = end
        }
        return true
    }

    /// Host labels (`[A-Za-z0-9-]` with dots) and an optional numeric port; `[v6]` hosts accepted.
    static func isValidDomain(_ domain: String) -> Bool {
        var host = Substring(domain)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let after = host[host.index(after: close)...]
            if after.isEmpty { return true }
            return after.hasPrefix(":") && after.dropFirst().allSatisfy(\.isNumber) && after.count > 1
        }
        if let colon = host.lastIndex(of: ":") {
            let port = host[host.index(after: colon)...]
            guard !port.isEmpty, port.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            host = host[..<colon]
        }
        guard !host.isEmpty else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.first, let last = label.last, first != "-", last != "-" else { return false }
            return label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    private static func isWord(_ byte: UInt8) -> Bool {
        isLowerAlnum(byte) || (65...90).contains(byte) || byte == UInt8(ascii: "_")
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool { (48...57).contains(byte) || (97...122).contains(byte) }
}
