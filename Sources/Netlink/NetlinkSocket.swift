import StackCore

/// Sends one rtnetlink request and gathers its replies. The real implementation is
/// `RouteNetlinkSocket`; tests use `RecordingNetlinkSocket`.
public protocol NetlinkSocket: AnyObject {
    /// Sends `message` with a fresh sequence number and NLM_F_REQUEST (plus NLM_F_ACK unless it is
    /// a dump), then returns the data replies: none for an acknowledged change, every part of a
    /// multipart dump. A kernel error becomes a StackError naming `operation` and the errno.
    func exchange(_ message: NetlinkMessage, operation: String) throws(StackError) -> [NetlinkMessage]
}

extension NetlinkMessage {
    /// The request as sent: sequence number stamped, NLM_F_REQUEST set, NLM_F_ACK for non-dumps.
    public func prepared(sequence: UInt32) -> NetlinkMessage {
        var message = self
        message.sequence = sequence
        message.flags |= NetlinkConstant.flagRequest
        if !isDump { message.flags |= NetlinkConstant.flagAck }
        return message
    }

    /// Whether this request asks for a dump (NLM_F_DUMP).
    public var isDump: Bool { flags & NetlinkConstant.flagDump == NetlinkConstant.flagDump }
}
