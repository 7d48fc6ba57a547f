import StackCore

extension NetlinkSession {
    /// Sets the link's hardware (MAC) address, e.g. `[0x02, 0x42, 0xac, 0x11, 0x00, 0x02]`.
    public func linkSetHardwareAddress(_ name: String, address: [UInt8]) throws(StackError) {
        _ = try socket.exchange(NetlinkRequest.setHardwareAddress(name: name, address: address),
            operation: "set link \(name) address \(HardwareAddress.format(address))")
    }
}

/// Ethernet addresses as text: `02:42:ac:11:00:02`.
public enum HardwareAddress {
    /// Six colon-separated pairs of hex digits (either case); nil for anything else.
    public static func parse(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard part.count == 2, part.allSatisfy(\.isHexDigit), let byte = UInt8(part, radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// Lower-case colon-separated hex pairs.
    public static func format(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: ":")
    }
}
