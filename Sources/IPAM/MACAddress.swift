import StackCore

/// Container MAC addresses derived from their IPv4 address, as Docker does.
public enum MACAddress {
    /// `02:42` (locally administered, unicast) followed by the address's four bytes: `172.17.0.2` →
    /// `02:42:ac:11:00:02`. An IPv6 address uses its last four bytes.
    public static func forIPv4(_ address: IPAddress) -> String {
        let tail = address.bytes.suffix(4)
        return ([0x02, 0x42] + tail).map(hex).joined(separator: ":")
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }
}
