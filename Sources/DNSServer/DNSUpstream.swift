import StackCore

/// A resolver queries are forwarded to: an address and a port.
public struct DNSUpstream: Sendable, Hashable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(_ address: IPAddress, port: UInt16 = 53) {
        self.address = address
        self.port = port
    }

    /// Parses `IP`, `IP:PORT`, `[IPv6]` or `[IPv6]:PORT` (a bare IPv6 address has no port). Nil when invalid.
    public init?(_ text: String) {
        let text = text.trimmingSpaces
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), let address = IPAddress(String(text[text.index(after: text.startIndex)..<close]))
            else { return nil }
            let rest = text[text.index(after: close)...]
            if rest.isEmpty {
                self.init(address)
            } else {
                guard rest.hasPrefix(":"), let port = UInt16(rest.dropFirst()), port != 0 else { return nil }
                self.init(address, port: port)
            }
            return
        }
        if let address = IPAddress(text) {
            self.init(address)
            return
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress(String(parts[0])), address.isIPv4, let port = UInt16(parts[1]), port != 0
        else { return nil }
        self.init(address, port: port)
    }

    /// Parses a comma-separated list (`STACK_DNS_UPSTREAM`); empty items are skipped.
    public static func parseList(_ text: String) throws(StackError) -> [DNSUpstream] {
        var result: [DNSUpstream] = []
        for item in text.split(separator: ",") where !String(item).trimmingSpaces.isEmpty {
            guard let upstream = DNSUpstream(String(item)) else {
                throw StackError(.invalidArgument, "invalid DNS upstream \"\(item)\" (want IP or IP:PORT)")
            }
            result.append(upstream)
        }
        return result
    }

    public var description: String {
        address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs (no Foundation).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
