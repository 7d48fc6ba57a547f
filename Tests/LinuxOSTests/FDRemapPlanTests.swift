import LinuxOS
import StackCore
import Testing

/// Runs plans against a model fd table: fd number → the "open file" it refers to.
private struct FDTable {
    var files: [Int32: String] = [:]
    var cloexec: Set<Int32> = []

    mutating func lowestFree(atLeast floor: Int32) -> Int32 {
        var fd = floor
        while files[fd] != nil { fd += 1 }
        return fd
    }

    /// Apply the plan as the child does after marking everything >= 3 close-on-exec;
    /// returns what survives exec.
    mutating func run(_ plan: FDRemapPlan) -> [Int32: String] {
        for fd in files.keys where fd >= 3 { cloexec.insert(fd) }
        var slots: [Int: Int32] = [:]
        for step in plan.steps {
            switch step {
            case .stash(let slot, let fd, let floor):
                let copy = lowestFree(atLeast: floor)
                files[copy] = files[fd]
                cloexec.insert(copy)
                slots[slot] = copy
            case .dup2(let source, let to):
                let from: Int32
                switch source {
                case .fd(let fd): from = fd
                case .slot(let slot): from = slots[slot] ?? -1
                }
                files[to] = files[from]
                cloexec.remove(to)
            case .keep(let fd):
                cloexec.remove(fd)
            }
        }
        return files.filter { !cloexec.contains($0.key) }
    }
}

@Suite struct FDRemapPlanTests {
    /// Each map's target must end up with the source's file; no other fd >= 3 may survive.
    private func check(_ maps: [FDMapping], extraOpen: [Int32] = [], sourceLine: SourceLocation = #_sourceLocation)
        throws
    {
        var table = FDTable()
        for fd in Set(maps.map(\.from) + maps.map(\.to) + extraOpen + [0, 1, 2]) { table.files[fd] = "file\(fd)" }
        let before = table.files
        let plan = try FDRemapPlan(maps)
        let after = table.run(plan)
        var expected: [Int32: String] = [0: "file0", 1: "file1", 2: "file2"]
        for map in maps { expected[map.to] = before[map.from] }
        #expect(after == expected, "plan \(plan.steps) for \(maps)", sourceLocation: sourceLine)
        #expect(plan.steps.count <= 2 * maps.count, sourceLocation: sourceLine)
    }

    @Test func simpleMovesNeedNoStash() throws {
        let plan = try FDRemapPlan([FDMapping(from: 10, to: 0), FDMapping(from: 11, to: 1), FDMapping(from: 12, to: 3)])
        #expect(plan.steps == [.dup2(.fd(10), to: 0), .dup2(.fd(11), to: 1), .dup2(.fd(12), to: 3)])
        #expect(plan.floor == 13)
        try check([FDMapping(from: 10, to: 0), FDMapping(from: 11, to: 1), FDMapping(from: 12, to: 3)])
    }

    @Test func swapStashesBothSources() throws {
        let maps = [FDMapping(from: 3, to: 4), FDMapping(from: 4, to: 3)]
        let plan = try FDRemapPlan(maps)
        #expect(
            plan.steps == [
                .stash(slot: 0, fd: 3, floor: 5), .stash(slot: 1, fd: 4, floor: 5),
                .dup2(.slot(0), to: 4), .dup2(.slot(1), to: 3),
            ])
        try check(maps)
    }

    @Test func chainsAndIdentityAndSharedSources() throws {
        try check([FDMapping(from: 3, to: 4), FDMapping(from: 4, to: 5), FDMapping(from: 5, to: 6)])
        try check([FDMapping(from: 5, to: 5), FDMapping(from: 5, to: 1)])
        try check([FDMapping(from: 7, to: 3), FDMapping(from: 7, to: 4), FDMapping(from: 3, to: 7)])
        try check([FDMapping(from: 1, to: 2), FDMapping(from: 2, to: 1), FDMapping(from: 0, to: 0)])
        try check([FDMapping(from: 4, to: 3)], extraOpen: [9, 20])
        let identity = try FDRemapPlan([FDMapping(from: 6, to: 6)])
        #expect(identity.steps == [.keep(6)])
    }

    @Test func randomMappingsAllResolve() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let count = Int.random(in: 1...8, using: &generator)
            let targets = Array((0...10).map(Int32.init).shuffled(using: &generator).prefix(count))
            let maps = targets.map { FDMapping(from: Int32.random(in: 0...10, using: &generator), to: $0) }
            try check(maps, extraOpen: [Int32.random(in: 3...15, using: &generator)])
        }
    }

    @Test func invalidMappingsAreRejected() {
        #expect(throws: StackError.self) { try FDRemapPlan([FDMapping(from: 3, to: 1), FDMapping(from: 4, to: 1)]) }
        #expect(throws: StackError.self) { try FDRemapPlan([FDMapping(from: -1, to: 1)]) }
        #expect(throws: StackError.self) {
            try FDRemapPlan((0..<65).map { FDMapping(from: Int32($0), to: Int32($0)) })
        }
    }
}
