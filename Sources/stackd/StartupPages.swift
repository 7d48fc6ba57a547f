#if canImport(Glibc)
import Glibc
#endif

/// Once the daemon is up, the code only start-up ran (argument parsing, migrations, the Swift
/// runtime's first-use work, …) need not stay resident: the kernel maps executable pages in
/// 64 KiB runs around each fault, so start-up leaves ~10 MB of stackd's text mapped that an
/// idle daemon never touches again. MADV_PAGEOUT hands those clean pages back (they are read
/// again from the file if ever needed); the idle daemon then holds only what it uses.
enum StartupPages {
    /// MADV_PAGEOUT (Linux 5.4); older kernels answer EINVAL, which is harmless.
    static let pageOut: Int32 = 21

    static func release() {
        guard let maps = fopen("/proc/self/maps", "r") else { return }
        defer { fclose(maps) }
        var exe = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &exe, exe.count - 1)
        guard count > 0 else { return }
        let executable = String(decoding: exe[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var line = [CChar](repeating: 0, count: 8192)
        while fgets(&line, Int32(line.count), maps) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let fields = text.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1].hasPrefix("r-x"),
                fields[5].trimmingCharacters(in: "\n") == executable
            else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                let address = UnsafeMutableRawPointer(bitPattern: start)
            else { continue }
            _ = madvise(address, Int(end - start), pageOut)
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var text = self
        while text.last == set { text = text.dropLast() }
        return String(text)
    }
}
