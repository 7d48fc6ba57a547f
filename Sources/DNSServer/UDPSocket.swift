import CDNSSocket
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A listener's UDP socket as other threads see it: replies to forwarded queries are sent from the
/// forwarder's thread, so closing and sending are serialized and a closed socket's number (which the
/// kernel may hand out again) is never written to.
final class UDPSocket: Sendable {
    private let descriptor: Mutex<Int32>
    /// The descriptor for the listener's own thread, which uses it only until it is joined, before close.
    let fd: Int32

    init(fd: Int32) {
        self.fd = fd
        descriptor = Mutex(fd)
    }

    /// Sends one datagram; quietly nothing once closed or when the kernel refuses it.
    func send(_ bytes: [UInt8], to address: SocketAddress) {
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            _ = bytes.withUnsafeBytes { raw in
                address.withSockaddr { sendto(fd, raw.baseAddress, raw.count, Sockets.dontWait, $0, $1) }
            }
        }
    }

    /// Wakes a thread blocked receiving (recvmmsg returns 0 after shutdown).
    func shutdownReceiving() {
        descriptor.withLock { fd in
            if fd >= 0 { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    func close() {
        descriptor.withLock { fd in
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
        }
    }

    deinit { close() }
}
