import DNS
import StackCore

/// The server's synchronous answer path for one packet, for the fuzz target (`stack-fuzz dns`):
/// what a UDP client would be sent back, nil for no reply (dropped, or forwarded upstream).
public enum DNSFuzzProbe {
    public static func udpReply(to packet: [UInt8], from source: IPAddress, table: RecordTable) -> [UInt8]? {
        switch LocalAnswerer.outcome(for: packet, from: source, table: table, overUDP: true) {
        case .reply(let bytes): return bytes
        case .forward, .drop: return nil
        }
    }
}
