import LinuxOS
import StackCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real calls on a private temporary directory (no privileges needed).
@Suite struct LinuxSyscallsTests {
    @Test func filesystemCallsWorkAndFailWithErrno() throws {
        let sys = LinuxSyscalls()
        let base = "/tmp/linuxos-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try sys.mkdir(base, mode: 0o700)
        defer {
            unlink(base + "/link")
            unlink(base + "/file")
            rmdir(base)
        }
        #expect {
            try sys.mkdir(base, mode: 0o700)
        } throws: { error in
            (error as? StackError)?.description == "mkdir \(base): EEXIST (File exists)"
        }
        let fd = try sys.open(base + "/file", flags: O_WRONLY | O_CREAT | O_CLOEXEC, mode: 0o600)
        try sys.close(fd)
        try sys.writeFile(base + "/file", contents: "hello")
        try sys.symlink(target: "file", at: base + "/link")
        var buffer = [UInt8](repeating: 0, count: 16)
        let reader = try sys.open(base + "/link", flags: O_RDONLY | O_CLOEXEC, mode: 0)
        let count = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
        try sys.close(reader)
        #expect(String(decoding: buffer.prefix(max(0, count)), as: UTF8.self) == "hello")
        #expect(throws: StackError.self) { try sys.writeFile(base + "/missing", contents: "x") }
        let old = sys.umask(0o077)
        #expect(sys.umask(old) == 0o077)
    }

    @Test func waitpidWithoutChildrenIsECHILD() {
        #expect {
            _ = try LinuxSyscalls().waitpid(999_999, options: 0)
        } throws: { error in
            (error as? StackError)?.errno == .ECHILD
        }
    }
}
