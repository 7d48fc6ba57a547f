import Foundation
import Images
import StackCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct DigestAndContentStoreTests {
    @Test func sha256Vectors() {
        #expect(Digest.of([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.of(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let hasher = SHA256Hasher()
        for _ in 0..<1000 { hasher.update(Array(repeating: UInt8(ascii: "a"), count: 1000)) }
        #expect(hasher.count == 1_000_000)
        #expect(hasher.finish().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func digestParsing() throws {
        let hex = String(repeating: "ab", count: 32)
        #expect(try Digest(parsing: "sha256:" + hex).hex == hex)
        #expect(try Digest(parsing: "sha256:" + hex).description == "sha256:" + hex)
        #expect(try Digest(parsing: "sha256:" + hex).shortHex == "abababababab")
        for bad in ["", "sha256:", "sha256:" + hex.uppercased(), "sha256:" + hex + "0", hex, "md5:abc"] {
            #expect(throws: StackError.self, "\(bad)") { try Digest(parsing: bad) }
        }
        let error = #expect(throws: StackError.self) { try Digest(parsing: "sha512:" + hex) }
        #expect(error?.message.contains("unsupported digest algorithm \"sha512\"") == true)
        let json = try JSONEncoder().encode(["d": try Digest(parsing: "sha256:" + hex)])
        #expect(String(decoding: json, as: UTF8.self) == "{\"d\":\"sha256:\(hex)\"}")
        #expect(throws: (any Error).self) { try JSONDecoder().decode([String: Digest].self, from: Data("{\"d\":\"x\"}".utf8)) }
    }

    @Test func ingestReadVerifyDelete() throws {
        let dir = try TemporaryDirectory()
        let store = try ContentStore(root: dir.sub("images"))
        let bytes = Array("hello blob".utf8)
        let (digest, size) = try store.ingest(bytes: bytes)
        #expect(digest == Digest.of(bytes))
        #expect(size == Int64(bytes.count))
        #expect(store.path(for: digest) == dir.sub("images") + "/blobs/sha256/" + digest.hex)
        #expect(store.exists(digest))
        #expect(try store.read(digest) == bytes)
        #expect(store.size(of: digest) == Int64(bytes.count))
        try store.verify(digest)
        #expect(store.list() == [digest])
        // The same content again is fine; a wrong expected digest leaves nothing behind.
        #expect(try store.ingest(bytes: bytes).digest == digest)
        let wrong = Digest.of(Array("other".utf8))
        let error = #expect(throws: StackError.self) { try store.ingest(bytes: bytes, expected: wrong) }
        #expect(error?.message.contains("digest mismatch") == true)
        #expect(!store.exists(wrong))
        #expect(TestFS.listing(dir.sub("images/tmp")) == [])
        // From a file descriptor (a pipe).
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let payload = Array(repeating: UInt8(7), count: 300_000)
        let writeEnd = fds[1]
        let writerThread = Thread {
            _ = payload.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
            close(writeEnd)
        }
        writerThread.start()
        let streamed = try store.ingest(fd: fds[0], expected: Digest.of(payload))
        close(fds[0])
        #expect(streamed.size == 300_000)
        // Corruption is detected; delete removes; deleting again is fine.
        try TestFS.write(store.path(for: digest), "tampered")
        #expect(throws: StackError.self) { try store.verify(digest) }
        try store.delete(digest)
        try store.delete(digest)
        #expect(!store.exists(digest))
        #expect(throws: StackError.self) { try store.read(digest) }
    }
}
