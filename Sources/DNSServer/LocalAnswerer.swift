import DNS
import StackCore

/// The synchronous part of answering: decode, validate, look up in the record table, encode. No
/// allocation of tasks, no waiting; what is not ours comes back as `.forward`.
enum LocalAnswerer {
    enum Outcome {
        /// Send these bytes back.
        case reply([UInt8])
        /// Not ours: forward upstream. `questionEnd` ends the first question; `udpLimit` is the size
        /// the asker accepts over UDP.
        case forward(questionEnd: Int, udpLimit: Int)
        /// Send nothing (responses, malformed packets).
        case drop
    }

    /// The largest UDP reply we build (EDNS0 sizes above it are clamped), as DNSResolver does.
    static let maxUDPReply = 4096

    static func outcome(for packet: [UInt8], from source: IPAddress, table: RecordTable, overUDP: Bool) -> Outcome {
        // Responses never get an answer (no reflection loops), nor do packets that do not decode.
        guard let header = DNSMessage.peekHeader(packet), !header.isResponse,
            let query = try? DNSMessage(decoding: packet)
        else { return .drop }
        let udpLimit = query.edns.map { min(max(Int($0.udpPayloadSize), DNSMessage.classicUDPLimit), maxUDPReply) }
            ?? DNSMessage.classicUDPLimit
        let reply: DNSMessage
        if let refusal = QueryValidator().answer(query, from: source) {
            reply = refusal
        } else if let local = table.answer(query, from: source) {
            reply = local
        } else {
            guard let end = QuestionSpan.end(of: packet) else { return .drop }
            return .forward(questionEnd: end, udpLimit: udpLimit)
        }
        return .reply(overUDP ? reply.encoded(limit: udpLimit) : reply.encoded(limit: Int(UInt16.max)))
    }
}
