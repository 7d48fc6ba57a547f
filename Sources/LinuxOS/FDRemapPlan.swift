import CRuntime
import StackCore

/// One fd the child gets: `to` in the child refers to what `from` refers to in the parent.
public struct FDMapping: Sendable, Hashable, CustomStringConvertible {
    public var from: Int32
    public var to: Int32

    public init(from: Int32, to: Int32) {
        self.from = from
        self.to = to
    }

    public var description: String { "\(from)->\(to)" }
}

/// The steps that remap fds in the spawned child, computed by the C planner `cr_fd_plan` (the
/// child runs the same steps). Exposed so the algorithm can be tested without spawning.
public struct FDRemapPlan: Sendable, Equatable {
    /// Where a `dup2` reads from: a parent fd, or a stash slot.
    public enum Source: Sendable, Equatable {
        case fd(Int32)
        case slot(Int)
    }

    public enum Step: Sendable, Equatable, CustomStringConvertible {
        /// `slot = fcntl(fd, F_DUPFD_CLOEXEC, floor)`
        case stash(slot: Int, fd: Int32, floor: Int32)
        /// `dup2(source, to)`
        case dup2(Source, to: Int32)
        /// clear `FD_CLOEXEC` on an fd that maps to itself
        case keep(Int32)

        public var description: String {
            switch self {
            case .stash(let slot, let fd, let floor): return "stash[\(slot)]=dupfd(\(fd),>=\(floor))"
            case .dup2(.fd(let fd), let to): return "dup2(\(fd),\(to))"
            case .dup2(.slot(let slot), let to): return "dup2(stash[\(slot)],\(to))"
            case .keep(let fd): return "keep(\(fd))"
            }
        }
    }

    public var steps: [Step]
    /// The lowest fd number no mapping mentions; stashes (and the spawn's own pipes) live at or above it.
    public var floor: Int32

    /// Plan `mappings`; throws `.invalidArgument` for negative fds, repeated targets or too many maps.
    public init(_ mappings: [FDMapping]) throws(StackError) {
        let maps = mappings.map { cr_fd_map(from: $0.from, to: $0.to) }
        var ops = [cr_fd_op](repeating: cr_fd_op(), count: max(1, 2 * maps.count))
        var floor: Int32 = 0
        let count = maps.withUnsafeBufferPointer { maps in
            ops.withUnsafeMutableBufferPointer { ops in
                cr_fd_plan(maps.baseAddress, maps.count, ops.baseAddress, &floor)
            }
        }
        guard count >= 0 else {
            throw StackError(
                .invalidArgument,
                "fd mappings \(mappings) are invalid: fds must be non-negative, targets distinct, at most \(CR_MAX_FDS)")
        }
        self.floor = floor
        self.steps = ops.prefix(Int(count)).map { op in
            switch op.kind {
            case Int32(CR_FD_OP_STASH.rawValue): return .stash(slot: Int(op.a), fd: op.b, floor: op.c)
            case Int32(CR_FD_OP_DUP2.rawValue): return .dup2(op.a >= 0 ? .slot(Int(op.a)) : .fd(op.b), to: op.c)
            default: return .keep(op.c)
            }
        }
    }
}
