import LinuxOS
import StackCore

/// Collects the replies to one request: data messages until the ACK (NLMSG_ERROR with 0) or, for
/// a dump, NLMSG_DONE; an NLMSG_ERROR with an errno becomes a StackError naming the operation.
public struct NetlinkReplies: Sendable {
    public let operation: String
    public let sequence: UInt32
    public private(set) var messages: [NetlinkMessage] = []
    public private(set) var isComplete = false

    public init(operation: String, sequence: UInt32) {
        self.operation = operation
        self.sequence = sequence
    }

    /// Takes in one received message. Messages for other sequence numbers are ignored.
    public mutating func accept(_ message: NetlinkMessage) throws(StackError) {
        guard message.sequence == sequence, !isComplete else { return }
        switch message.type {
        case NetlinkConstant.messageNoop:
            return
        case NetlinkConstant.messageDone:
            isComplete = true
        case NetlinkConstant.messageError:
            guard message.payload.count >= 4 else {
                throw StackError(.system, "netlink: \(operation): truncated error message")
            }
            let status = NetlinkBytes.int32(message.payload, at: 0)
            if status == 0 {
                isComplete = true
                return
            }
            let errno = Errno(-status)
            // Rendered as `netlink: add link br-x: EEXIST (File exists)`, the kernel's extended-ACK text in brackets.
            var text = "netlink: \(operation)"
            if let detail = NetlinkReplies.extendedMessage(message) { text += " [\(detail)]" }
            let code: StackError.Code =
                switch errno.name {
                case "EEXIST": .conflict
                case "ENODEV", "ENOENT", "ESRCH": .notFound
                default: .system
                }
            throw StackError(code, text, cause: errno)
        case NetlinkConstant.messageOverrun:
            throw StackError(.system, "netlink: \(operation): receive buffer overrun")
        default:
            if message.flags & NetlinkConstant.flagDumpInterrupted != 0 {
                throw StackError(.system, "netlink: \(operation): dump interrupted by a concurrent change; retry")
            }
            messages.append(message)
        }
    }

    /// The kernel's extended-ACK text (NLMSGERR_ATTR_MSG), when present.
    static func extendedMessage(_ message: NetlinkMessage) -> String? {
        guard message.flags & NetlinkConstant.flagAckTLVs != 0 else { return nil }
        var offset = 4 + NetlinkMessage.headerSize
        if message.flags & NetlinkConstant.flagCapped == 0, message.payload.count >= 4 + 4 {
            offset = 4 + NetlinkBytes.aligned(Int(NetlinkBytes.uint32(message.payload, at: 4)))
        }
        guard offset <= message.payload.count,
            let attributes = try? NetlinkAttribute.decode(message.payload[offset...]),
            let text = attributes.first(NetlinkConstant.errorAttributeMessage)?.stringValue, !text.isEmpty
        else { return nil }
        return text
    }
}
