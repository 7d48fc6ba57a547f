import CRuntime
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs a program to completion with `input` on its stdin and its stdout and stderr captured.
/// All three are memfds, not pipes: nothing can block on a full pipe, whatever the sizes.
struct CapturedCommand {
    struct Output: Sendable {
        /// The exit status, or 128 + the signal number when a signal ended it.
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    var path: String
    var arguments: [String]
    /// A network namespace (a bound file) the program runs in; nil: the caller's.
    var namespacePath: String?

    func run(input: String) throws(StackError) -> Output {
        let stdin = try memoryFile("stdin")
        defer { close(stdin) }
        let stdout = try memoryFile("stdout")
        defer { close(stdout) }
        let stderr = try memoryFile("stderr")
        defer { close(stderr) }
        try write(input, to: stdin)
        _ = lseek(stdin, 0, SEEK_SET)

        var request = SpawnRequest(path: path, arguments: [path] + arguments,
            environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
        request.fds = [FDMapping(from: stdin, to: 0), FDMapping(from: stdout, to: 1), FDMapping(from: stderr, to: 2)]
        if let namespacePath { request.joins = [NamespaceJoin(.network, path: namespacePath)] }
        let process = try Spawner().spawn(request)
        do {
            try process.release()
        } catch {
            throw StackError(error.code, "\(path): \(error.message)", cause: error.cause)
        }
        var status: Int32 = 0
        _ = try syscall("waitpid \(path)") { waitpid(process.pid, &status, 0) }
        let exit = cr_wifexited(status) != 0 ? cr_wexitstatus(status) : 128 + cr_wtermsig(status)
        return Output(status: exit, standardOutput: read(stdout), standardError: read(stderr))
    }

    private func memoryFile(_ name: String) throws(StackError) -> Int32 {
        // memfd_create(name, MFD_CLOEXEC): Glibc's module map does not export the wrapper.
        let fd = try rawSyscall("memfd_create") {
            name.withCString { cr_sys_syscall6(memfdCreateNumber, Int(bitPattern: $0), 1, 0, 0, 0, 0) }
        }
        return Int32(fd)
    }

    private func write(_ text: String, to fd: Int32) throws(StackError) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = try syscall("write memfd") { bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } }
            bytes = bytes.dropFirst(written)
        }
    }

    private func read(_ fd: Int32) -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var offset: off_t = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if count < 0, Errno.current == .EINTR { continue }
            guard count > 0 else { break }
            data += buffer[0..<count]
            offset += off_t(count)
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// memfd_create's system call number (asm/unistd.h; Glibc does not export SYS_memfd_create to Swift).
#if arch(x86_64)
private let memfdCreateNumber = 319
#elseif arch(arm64)
private let memfdCreateNumber = 279
#else
#error("memfd_create's system call number is unknown for this architecture")
#endif
