import CRuntime
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An AF_NETLINK/NETLINK_ROUTE socket (close-on-exec) in the network namespace of the thread that
/// opens it. Not thread-safe: use one per thread or serialize calls.
public final class RouteNetlinkSocket: NetlinkSocket {
    public let fd: Int32
    private var nextSequence: UInt32
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    public init() throws(StackError) {
        let fd = socket(NetlinkConstant.addressFamilyNetlink, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
            NetlinkConstant.netlinkRoute)
        guard fd >= 0 else { throw StackError(.system, "netlink: socket: \(Errno.current)") }
        var one: Int32 = 1
        // Extended ACKs carry the kernel's own explanation; older kernels lack them, which is fine.
        _ = setsockopt(fd, NetlinkConstant.solNetlink, NetlinkConstant.extendedAckOption, &one,
            socklen_t(MemoryLayout<Int32>.size))
        // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }
        var address = [UInt8](repeating: 0, count: 12)
        address[0] = UInt8(NetlinkConstant.addressFamilyNetlink)
        let bound = address.withUnsafeBytes { raw in
            bind(fd, raw.baseAddress?.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        guard bound == 0 else {
            let error = Errno.current
            close(fd)
            throw StackError(.system, "netlink: bind: \(error)")
        }
        self.fd = fd
        self.nextSequence = UInt32(truncatingIfNeeded: time(nil))
    }

    deinit { close(fd) }

    public func exchange(_ message: NetlinkMessage, operation: String) throws(StackError) -> [NetlinkMessage] {
        nextSequence &+= 1
        let request = message.prepared(sequence: nextSequence)
        let bytes = request.encoded()
        while true {
            let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            if sent == bytes.count { break }
            let error = Errno.current
            if sent < 0, error == .EINTR { continue }
            throw StackError(.system, "netlink: \(operation): send: \(sent < 0 ? error.description : "short write")")
        }
        var replies = NetlinkReplies(operation: operation, sequence: request.sequence)
        while !replies.isComplete {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                let error = Errno.current
                if error == .EINTR { continue }
                throw StackError(.system, "netlink: \(operation): recv: \(error)")
            }
            for reply in try NetlinkMessage.decodeAll(Array(buffer[0..<count])) {
                try replies.accept(reply)
            }
        }
        return replies.messages
    }
}
