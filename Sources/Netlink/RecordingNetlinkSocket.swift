import StackCore

/// A fake socket for tests: records every request as sent (sequence numbers 1, 2, 3, …) and answers
/// with canned replies, or with a plain ACK when none are queued.
public final class RecordingNetlinkSocket: NetlinkSocket {
    /// The requests as they would go on the wire.
    public private(set) var requests: [NetlinkMessage] = []
    /// Per request, in order: the reply datagrams (raw bytes) to feed back.
    private var queued: [[[UInt8]]] = []

    public init() {}

    /// Queues the kernel's answer to the next unanswered request: `messages` get that request's
    /// sequence number stamped in, and go out as one datagram.
    public func enqueue(_ messages: [NetlinkMessage]) {
        let sequence = UInt32(requests.count + queued.count + 1)
        queued.append([messages.flatMap { message in
            var message = message
            message.sequence = sequence
            return message.encoded()
        }])
    }

    /// Queues raw reply datagrams for the next unanswered request (sequence numbers as written).
    public func enqueueRaw(_ datagrams: [[UInt8]]) { queued.append(datagrams) }

    public func exchange(_ message: NetlinkMessage, operation: String) throws(StackError) -> [NetlinkMessage] {
        let request = message.prepared(sequence: UInt32(requests.count + 1))
        requests.append(request)
        let datagrams = queued.isEmpty ? [NetlinkMessage.ack(for: request).encoded()] : queued.removeFirst()
        var replies = NetlinkReplies(operation: operation, sequence: request.sequence)
        for datagram in datagrams {
            for reply in try NetlinkMessage.decodeAll(datagram) { try replies.accept(reply) }
        }
        guard replies.isComplete else {
            throw StackError(.internalError, "netlink: \(operation): fake replies ended without ACK or DONE")
        }
        return replies.messages
    }
}

extension NetlinkMessage {
    /// An NLMSG_ERROR answering `request` with `errno` (0: an ACK), echoing its header as the kernel does.
    public static func ack(for request: NetlinkMessage, errno: Int32 = 0) -> NetlinkMessage {
        var payload: [UInt8] = []
        NetlinkBytes.append(-errno, to: &payload)
        payload += request.encoded().prefix(NetlinkMessage.headerSize)
        return NetlinkMessage(type: NetlinkConstant.messageError, flags: NetlinkConstant.flagCapped,
            sequence: request.sequence, payload: payload)
    }

    /// NLMSG_DONE, ending a dump.
    public static func done(sequence: UInt32 = 0) -> NetlinkMessage {
        NetlinkMessage(type: NetlinkConstant.messageDone, flags: NetlinkConstant.flagMulti, sequence: sequence,
            payload: [0, 0, 0, 0])
    }
}
