/// Cuts a byte stream into whole lines (newline included), so prefixes land at line starts and
/// lines of different containers do not interleave mid-line.
struct LineSplitter {
    private var pending: [UInt8] = []

    mutating func feed(_ bytes: some Collection<UInt8>, _ emit: ([UInt8]) -> Void) {
        pending += bytes
        var start = 0
        while let newline = pending[start...].firstIndex(of: 10) {
            emit(Array(pending[start...newline]))
            start = newline + 1
        }
        if start > 0 { pending.removeFirst(start) }
    }

    /// Emit what is left (a last line without its newline).
    mutating func flush(_ emit: ([UInt8]) -> Void) {
        if !pending.isEmpty { emit(pending) }
        pending = []
    }
}
