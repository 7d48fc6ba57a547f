import Foundation
import RuntimeSpec
import Testing

/// Limits are enforced, not only written: the kernel stops a container that exceeds them.
@Suite(.enabled(if: BusyboxBundle.privileged, "needs root and /bin/busybox"))
struct PrivilegedEnforcementTests {
    @Test func aMemoryHogIsOOMKilled() throws {
        // The container's only process is the hog: `tail` keeps the current line in memory, and
        // /dev/zero has no newline and no end, so it grows until the cgroup's limit, where the
        // kernel's OOM killer ends it (SIGKILL: status 128 + 9). Without the limit it would run on.
        let bundle = try BusyboxBundle(args: ["tail", "-n", "1", "/dev/zero"]) { spec in
            spec.linux?.resources?.memory = Spec.Linux.Memory(limit: 32 << 20, swap: 32 << 20)
        }
        defer { bundle.tearDown() }
        let result = try bundle.run()
        #expect(result.status == 137, "\(result.stderr)")
        #expect(bundle.leftovers() == [])
    }

    @Test func aPidsLimitStopsAForkBomb() throws {
        // With pids.max 8, starting 20 background sleeps must fail partway.
        let bundle = try BusyboxBundle(args: [
            "sh", "-c", "n=0; while [ $n -lt 20 ]; do sleep 5 & n=$((n+1)); done; echo started",
        ]) { spec in
            spec.linux?.resources?.pids = Spec.Linux.Pids(limit: 8)
        }
        defer { bundle.tearDown() }
        let result = try bundle.run()
        #expect(result.stderr.contains("can't fork"), "stdout: \(result.stdout) stderr: \(result.stderr)")
        #expect(bundle.leftovers() == [])
    }
}
