import CDNSSocket
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An IPv4 or IPv6 socket address in kernel form.
struct SocketAddress: @unchecked Sendable {
    var storage = sockaddr_storage()
    var length: socklen_t = 0

    init() {}

    init(_ address: IPAddress, port: UInt16) {
        if address.isIPv4 {
            withUnsafeMutableBytes(of: &storage) { raw in
                let sin = raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: sockaddr_in.self)
                sin.pointee.sin_family = sa_family_t(AF_INET)
                sin.pointee.sin_port = port.bigEndian
                withUnsafeMutableBytes(of: &sin.pointee.sin_addr) { $0.copyBytes(from: address.bytes) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        } else {
            withUnsafeMutableBytes(of: &storage) { raw in
                let sin6 = raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: sockaddr_in6.self)
                sin6.pointee.sin6_family = sa_family_t(AF_INET6)
                sin6.pointee.sin6_port = port.bigEndian
                withUnsafeMutableBytes(of: &sin6.pointee.sin6_addr) { $0.copyBytes(from: address.bytes) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
    }

    init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    var family: Int32 { Int32(storage.ss_family) }

    /// The port in host order.
    var port: UInt16 {
        withUnsafeBytes(of: storage) { raw in
            UInt16(raw[2]) << 8 | UInt16(raw[3])  // sin_port and sin6_port sit at the same offset
        }
    }

    /// The address bytes (4 or 16), empty for other families.
    var addressBytes: [UInt8] {
        withUnsafeBytes(of: storage) { raw in
            switch Int32(storage.ss_family) {
            case AF_INET: Array(raw[4..<8])
            case AF_INET6: Array(raw[8..<24])
            default: []
            }
        }
    }

    var ipAddress: IPAddress? {
        let bytes = addressBytes
        return bytes.isEmpty ? nil : IPAddress(bytes: bytes)
    }

    /// Same family, address and port.
    func sameEndpoint(as other: SocketAddress) -> Bool {
        family == other.family && port == other.port && addressBytes == other.addressBytes
    }

    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        withUnsafeBytes(of: storage) { raw in
            body(raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: sockaddr.self), length)
        }
    }
}

/// Raw socket helpers shared by the listeners and the forwarders.
enum Sockets {
    static let udp = Int32(SOCK_DGRAM.rawValue)
    static let tcp = Int32(SOCK_STREAM.rawValue)
    static let closeOnExec = Int32(SOCK_CLOEXEC.rawValue)
    static let nonBlocking = Int32(SOCK_NONBLOCK.rawValue)
    static let dontWait = cdns_msg_dontwait()
    static let noSignal = cdns_msg_nosignal()

    /// A bound socket of `type` on address:port (0 = any free port), close-on-exec; SO_REUSEADDR for TCP.
    static func bound(_ type: Int32, _ address: IPAddress, port: UInt16, flags: Int32 = 0) throws(StackError) -> Int32 {
        let family = address.isIPv4 ? AF_INET : AF_INET6
        let fd = socket(family, type | closeOnExec | flags, 0)
        guard fd >= 0 else { throw StackError.system("socket", .current) }
        if type == tcp { setInt(fd, SOL_SOCKET, SO_REUSEADDR, 1) }
        if !address.isIPv4 { setInt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1) }
        let target = SocketAddress(address, port: port)
        let result = target.withSockaddr { bind(fd, $0, $1) }
        if result != 0 {
            let error = Errno.current
            close(fd)
            let proto = type == tcp ? "tcp" : "udp"
            let where_ = address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)"
            let code: StackError.Code = error == Errno(EADDRINUSE) ? .conflict : .system
            throw StackError(code, "DNS: cannot bind \(where_)/\(proto)", cause: error)
        }
        return fd
    }

    /// The port a socket is bound to.
    static func localPort(_ fd: Int32) -> UInt16 {
        var address = SocketAddress()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutableBytes(of: &address.storage) { raw in
            getsockname(fd, raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: sockaddr.self), &length)
        }
        address.length = length
        return address.port
    }

    static func setInt(_ fd: Int32, _ level: Int32, _ option: Int32, _ value: Int32) {
        var value = value
        _ = setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    /// SO_RCVTIMEO / SO_SNDTIMEO.
    static func setTimeout(_ fd: Int32, _ option: Int32, milliseconds: Int) {
        var value = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        _ = setsockopt(fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Monotonic nanoseconds.
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

extension Duration {
    /// Whole milliseconds, at least 1.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
