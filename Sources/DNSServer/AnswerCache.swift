#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Replies already built, keyed by the asker's IPv4 address and the query's bytes after its ID, for
/// one table version: a repeated question (containers ask the same names again and again; glibc
/// caches nothing) is answered by a hash, a compare and a copy, with no decoding, no allocation.
///
/// Direct-mapped (a new entry replaces the one in its slot), in one preallocated arena, owned by one
/// listener thread (not thread-safe). Only replies with at most one answer record are kept, so the
/// per-answer shuffling of several replicas' addresses still happens on every query.
struct AnswerCache {
    /// 2048 entries of 512 bytes: at most 1 MiB per listener, touched only as entries fill.
    static let slots = 2048
    static let stride = 512
    static let header = 24
    /// The longest query (minus its ID) and reply an entry holds (typical ones: 30–80 and 50–150 bytes).
    static let maxKey = 168
    static let maxReply = stride - header - maxKey

    private let arena: UnsafeMutableRawPointer

    /// Nil when the arena cannot be had (the listener then answers without a cache).
    init?() {
        guard let arena = calloc(Self.slots, Self.stride) else { return nil }
        self.arena = arena
    }

    func release() { free(arena) }

    /// FNV-1a over the source address and the packet without its ID.
    static func hash(source: UInt32, packet: UnsafePointer<UInt8>, length: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(source)
        hash = hash &* 0x100_0000_01b3
        for i in 2..<length {
            hash = (hash ^ UInt64(packet[i])) &* 0x100_0000_01b3
        }
        return hash
    }

    private func entry(_ hash: UInt64) -> UnsafeMutableRawPointer {
        arena + Int(truncatingIfNeeded: hash & UInt64(Self.slots - 1)) * Self.stride
    }

    /// The cached reply for this query (its ID still the old asker's), or nil.
    func lookup(hash: UInt64, source: UInt32, packet: UnsafePointer<UInt8>, length: Int, version: UInt64)
        -> UnsafeRawBufferPointer?
    {
        let slot = entry(hash)
        guard slot.load(as: UInt64.self) == hash, slot.load(fromByteOffset: 8, as: UInt64.self) == version &+ 1,
            slot.load(fromByteOffset: 16, as: UInt32.self) == source,
            Int(slot.load(fromByteOffset: 20, as: UInt16.self)) == length - 2,
            memcmp(slot + Self.header, packet + 2, length - 2) == 0
        else { return nil }
        let replyLength = Int(slot.load(fromByteOffset: 22, as: UInt16.self))
        return UnsafeRawBufferPointer(start: slot + Self.header + Self.maxKey, count: replyLength)
    }

    /// Whether a reply may be kept: small enough, at most one answer record.
    static func cacheable(queryLength: Int, reply: [UInt8]) -> Bool {
        queryLength - 2 <= maxKey && reply.count <= maxReply && reply.count >= 12 && reply[6] == 0 && reply[7] <= 1
    }

    func store(hash: UInt64, source: UInt32, packet: UnsafePointer<UInt8>, length: Int, version: UInt64, reply: [UInt8]) {
        let slot = entry(hash)
        slot.storeBytes(of: hash, as: UInt64.self)
        slot.storeBytes(of: version &+ 1, toByteOffset: 8, as: UInt64.self)
        slot.storeBytes(of: source, toByteOffset: 16, as: UInt32.self)
        slot.storeBytes(of: UInt16(length - 2), toByteOffset: 20, as: UInt16.self)
        slot.storeBytes(of: UInt16(reply.count), toByteOffset: 22, as: UInt16.self)
        memcpy(slot + Self.header, packet + 2, length - 2)
        reply.withUnsafeBytes { raw in
            (slot + Self.header + Self.maxKey).copyMemory(from: raw.baseAddress.unsafelyUnwrapped, byteCount: raw.count)
        }
    }
}
