#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Timing of engine phases, printed to stderr (stackd.log) when STACK_PHASE_TIMES is set:
/// how `bench/container-run.sh` finds where a run's time goes.
enum PhaseClock {
    static let enabled = getenv("STACK_PHASE_TIMES") != nil

    static func mark(_ id: String, _ phase: String) {
        guard enabled else { return }
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        let milliseconds = Double(spec.tv_sec) * 1000 + Double(spec.tv_nsec) / 1e6
        let line = "phase \(id.prefix(8)) \(phase) \(String(milliseconds))\n"
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
