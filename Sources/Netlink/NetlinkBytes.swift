import StackCore

/// Native-endian integer packing and 4-byte alignment for netlink's C structs.
enum NetlinkBytes {
    static func aligned(_ length: Int) -> Int { (length + 3) & ~3 }

    static func pad(_ bytes: inout [UInt8]) {
        bytes += [UInt8](repeating: 0, count: aligned(bytes.count) - bytes.count)
    }

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value) { bytes += $0 }
    }

    static func uint16<C: Collection<UInt8>>(_ bytes: C, at offset: Int) -> UInt16 where C.Index == Int {
        load(bytes, at: offset, as: UInt16.self)
    }

    static func uint32<C: Collection<UInt8>>(_ bytes: C, at offset: Int) -> UInt32 where C.Index == Int {
        load(bytes, at: offset, as: UInt32.self)
    }

    static func int32<C: Collection<UInt8>>(_ bytes: C, at offset: Int) -> Int32 where C.Index == Int {
        Int32(bitPattern: uint32(bytes, at: offset))
    }

    private static func load<C: Collection<UInt8>, T: FixedWidthInteger>(_ bytes: C, at offset: Int, as: T.Type) -> T
    where C.Index == Int {
        var value = T.zero
        withUnsafeMutableBytes(of: &value) { raw in
            for i in 0..<MemoryLayout<T>.size { raw[i] = bytes[offset + i] }
        }
        return value
    }

    /// An IPv4 or IPv6 address from 4 or 16 bytes (StackCore's byte initializer is internal: go through text).
    static func address<C: Collection<UInt8>>(_ bytes: C) -> IPAddress? {
        let bytes = Array(bytes)
        if bytes.count == 4 { return IPAddress(bytes.map(String.init).joined(separator: ".")) }
        guard bytes.count == 16 else { return nil }
        var groups: [String] = []
        for i in stride(from: 0, to: 16, by: 2) { groups.append(String(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]), radix: 16)) }
        return IPAddress(groups.joined(separator: ":"))
    }
}
