import CRuntime
import LinuxOS
import StackCore
import Testing

@Suite struct ErrnoTests {
    @Test func namesAndMessages() {
        #expect(Errno.ENOENT.name == "ENOENT")
        #expect(Errno.EINVAL.description == "EINVAL (Invalid argument)")
        #expect(Errno.EPERM.description == "EPERM (Operation not permitted)")
        #expect(Errno(2) == .ENOENT)
        #expect(Errno(11).name == "EAGAIN")  // EWOULDBLOCK is the same number: the first name wins
    }

    @Test func unknownValuesStillRender() {
        let unknown = Errno(4242)
        #expect(unknown.name == nil)
        #expect(unknown.description.hasPrefix("errno 4242 ("))
    }

    @Test func stepNamesComeFromC() {
        #expect(String(cString: cr_step_name(Int32(CR_STEP_SETNS_NET.rawValue))) == "setns(net)")
        #expect(String(cString: cr_step_name(Int32(CR_STEP_EXECVE.rawValue))) == "execve")
        #expect(String(cString: cr_step_name(999)) == "unknown step")
    }

    @Test func systemErrorsRenderStepAndErrno() {
        let error = StackError.system("pivot_root", .EINVAL)
        #expect(error.description == "pivot_root: EINVAL (Invalid argument)")
        #expect(error.code == .system)
        #expect(error.errno == .EINVAL)
    }
}

@Suite struct SyscallHelperTests {
    @Test func retriesEINTRAndCapturesErrno() {
        var attempts = 0
        let result = try? syscall("read") { () -> Int32 in
            attempts += 1
            if attempts < 3 {
                cr_set_errno(Errno.EINTR.rawValue)
                return -1
            }
            return 7
        }
        #expect(result == 7)
        #expect(attempts == 3)
    }

    @Test func throwsTheErrnoOfTheFailingCall() {
        #expect {
            _ = try syscall("mkdir /x") { () -> Int32 in
                cr_set_errno(Errno.EEXIST.rawValue)
                return -1
            }
        } throws: { error in
            (error as? StackError)?.description == "mkdir /x: EEXIST (File exists)"
        }
    }

    @Test func rawSyscallReadsNegativeErrno() {
        var attempts = 0
        let value = try? rawSyscall("setns") { () -> Int in
            attempts += 1
            return attempts == 1 ? -Int(Errno.EINTR.rawValue) : 0
        }
        #expect(value == 0)
        #expect(attempts == 2)
        #expect {
            _ = try rawSyscall("setns(net)") { -Int(Errno.EINVAL.rawValue) }
        } throws: { error in
            (error as? StackError)?.description == "setns(net): EINVAL (Invalid argument)"
        }
    }

    @Test func realFailureNamesTheCall() {
        #expect {
            try LinuxSyscalls().chdir("/nonexistent/\(UInt64.random(in: 0...UInt64.max))")
        } throws: { error in
            (error as? StackError)?.errno == .ENOENT
        }
    }
}
