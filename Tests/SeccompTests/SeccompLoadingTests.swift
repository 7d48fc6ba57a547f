import Seccomp
import StackCore
import Testing

/// A filter is checked before it reaches the container's init (which loads it in C).
@Suite struct SeccompLoadingTests {
    @Test func emptyOrTruncatedProgramsAreRefused() throws {
        for bytes in [[UInt8](), [UInt8](repeating: 0, count: 12)] {
            do {
                _ = try BPFProgram(bytes: bytes).flagsForLoading()
                Issue.record("accepted a \(bytes.count)-byte program")
            } catch {
                #expect(error.code == .invalidArgument)
                #expect(error.message.contains("not \(bytes.count)"))
            }
        }
    }

    @Test func waitKillableRecvGoesWithoutAListener() throws {
        let alone = BPFProgram(bytes: [UInt8](repeating: 0, count: 8), flags: [.waitKillableRecv, .log])
        #expect(try alone.flagsForLoading() == [.log])
        let listener = BPFProgram(bytes: [UInt8](repeating: 0, count: 8), flags: [.waitKillableRecv, .newListener])
        #expect(try listener.flagsForLoading() == [.waitKillableRecv, .newListener])
    }
}
