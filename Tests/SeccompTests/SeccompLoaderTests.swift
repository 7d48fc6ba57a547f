import Seccomp
import StackCore
import Testing

/// Only failure paths run in the test process: a filter that loaded would stay on the test runner.
@Suite struct SeccompLoaderTests {
    @Test func emptyOrTruncatedProgramsAreRefusedBeforeTheKernel() throws {
        for bytes in [[UInt8](), [UInt8](repeating: 0, count: 12)] {
            do {
                try SeccompLoader.load(BPFProgram(bytes: bytes))
                Issue.record("loaded a \(bytes.count)-byte program")
            } catch {
                #expect(error.code == .invalidArgument)
                #expect(error.message.contains("not \(bytes.count)"))
            }
        }
    }

    @Test func theKernelRejectsAProgramWithoutReturnAndTheErrorSaysSo() throws {
        // One `ld #0` instruction (code 0x0000, k 0): classic BPF must end in a return, so the kernel
        // refuses it (EINVAL; EACCES first when unprivileged without no_new_privs).
        let program = BPFProgram(bytes: [0, 0, 0, 0, 0, 0, 0, 0])
        do {
            try SeccompLoader.load(program)
            Issue.record("the kernel accepted an invalid filter")
        } catch {
            #expect(error.code == .system)
            #expect(
                error.message.hasPrefix("seccomp(SECCOMP_SET_MODE_FILTER): EINVAL")
                    || error.message.hasPrefix("seccomp(SECCOMP_SET_MODE_FILTER): EACCES"))
        }
    }

    @Test func noNewPrivilegesCanBeRead() throws {
        _ = try SeccompLoader.noNewPrivileges()
    }
}
