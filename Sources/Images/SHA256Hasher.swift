import CCrypto

/// Incremental SHA-256 through OpenSSL's EVP interface. Not thread-safe; one stream per hasher.
public final class SHA256Hasher {
    private let context: OpaquePointer?
    private var finished = false
    /// Bytes hashed so far.
    public private(set) var count: Int64 = 0

    public init() {
        context = EVP_MD_CTX_new()
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Add `buffer` to the stream.
    public func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        EVP_DigestUpdate(context, base, buffer.count)
        count += Int64(buffer.count)
    }

    /// Add `bytes` to the stream.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest of everything added; the hasher cannot be used afterwards.
    public func finish() -> Digest {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        if !finished {
            EVP_DigestFinal_ex(context, &output, &length)
            finished = true
        }
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in output {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0xf)])
        }
        // Always 64 lowercase hex characters.
        return Digest(hex: String(decoding: hex, as: UTF8.self)) ?? Digest.zeroPlaceholder
    }
}

extension Digest {
    /// Never produced by a real hash; only a type-level fallback.
    static let zeroPlaceholder = Digest(uncheckedHex: String(repeating: "0", count: 64))

    init(uncheckedHex: String) { self.hex = uncheckedHex }
}
