#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// stackd's read-only file pages (its code and its libraries'), given back while it is idle. The kernel maps code in 64 KiB runs
/// around each fault, so start-up and each kind of request leave ~10 MB of stackd's text mapped
/// that an idle daemon does not touch. MADV_PAGEOUT hands those clean, file-backed pages back
/// (the next request reads what it needs again, from the page cache when it is still there);
/// the idle daemon then holds little more than its heap.
enum CodePages {
    /// MADV_PAGEOUT (Linux 5.4); older kernels answer EINVAL, which is harmless.
    static let pageOut: Int32 = 21

    static func release() {
        guard let maps = fopen("/proc/self/maps", "r") else { return }
        defer { fclose(maps) }
        var line = [CChar](repeating: 0, count: 8192)
        while fgets(&line, Int32(line.count), maps) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let fields = text.split(separator: " ", omittingEmptySubsequences: true)
            // Read-only, file-backed mappings: stackd's text and read-only data, and its libraries'.
            // (Pages other processes map too are left alone by the kernel.)
            guard fields.count >= 6, fields[1].hasPrefix("r-"), fields[5].hasPrefix("/") else { continue }
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

/// When stackd last answered a request, and whether its code pages were given back since: after
/// `quiet` without requests they are (see `CodePages`).
final class IdleReclaimer: Sendable {
    private struct State {
        var last = ContinuousClock.now
        var released = false
    }

    private let state = Mutex(State())
    let quiet: Duration

    init(quiet: Duration = .seconds(5)) { self.quiet = quiet }

    /// A request was answered.
    func touch() { state.withLock { $0 = State() } }

    /// Give the code pages back once after each quiet period (checked every second), until cancelled.
    func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let due = state.withLock { state -> Bool in
                guard !state.released, ContinuousClock.now - state.last >= quiet else { return false }
                state.released = true
                return true
            }
            if due { CodePages.release() }
        }
    }
}
