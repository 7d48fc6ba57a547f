import StackAPI
import Testing
@testable import Engine

/// The healthcheck's plan and state machine: commands, Docker's defaults, streaks, start period.
@Suite struct HealthCheckPlanTests {
    func probe(_ code: Int) -> HealthProbe { HealthProbe(start: "s", end: "e", exitCode: code, output: "") }

    @Test func commandsAndDefaults() throws {
        #expect(HealthCheckPlan(nil) == nil)
        #expect(HealthCheckPlan(HealthConfig(test: ["NONE"])) == nil)
        #expect(HealthCheckPlan(HealthConfig(test: [])) == nil)
        let shell = try #require(HealthCheckPlan(HealthConfig(test: ["CMD-SHELL", "test -f /ok"])))
        #expect(shell.command == ["/bin/sh", "-c", "test -f /ok"])
        #expect(shell.interval == 30_000_000_000 && shell.timeout == 30_000_000_000 && shell.retries == 3)
        #expect(shell.startInterval == shell.interval)
        let exec = try #require(HealthCheckPlan(HealthConfig(test: ["CMD", "wget", "-q", "x"], interval: 1_000_000_000, retries: 2)))
        #expect(exec.command == ["wget", "-q", "x"])
        #expect(exec.interval == 1_000_000_000 && exec.retries == 2)
    }

    @Test func streaksAndTheStartPeriod() throws {
        let plan = try #require(HealthCheckPlan(HealthConfig(test: ["CMD", "true"], retries: 2)))
        var state = HealthState()
        state = plan.applying(probe(1), to: state, inStartPeriod: true)
        #expect(state.status == "starting" && state.failingStreak == 0, "failures in the start period do not count")
        state = plan.applying(probe(0), to: state, inStartPeriod: false)
        #expect(state.status == "healthy")
        state = plan.applying(probe(1), to: state, inStartPeriod: false)
        #expect(state.status == "healthy" && state.failingStreak == 1)
        state = plan.applying(probe(-1), to: state, inStartPeriod: false)
        #expect(state.status == "unhealthy" && state.failingStreak == 2)
        for _ in 0..<6 { state = plan.applying(probe(1), to: state, inStartPeriod: false) }
        #expect(state.log.count == 5, "the last five probes are kept")
        state = plan.applying(probe(0), to: state, inStartPeriod: false)
        #expect(state.status == "healthy" && state.failingStreak == 0)
    }
}
