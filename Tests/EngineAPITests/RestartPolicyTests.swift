import Foundation
import StackAPI
import Testing
@testable import Engine

/// Restart policies: moby's decision rules (pure), and the engine carrying them out against the
/// fake runtime — restarts with back-off, counts, limits, manual stops, and the daemon's start.
@Suite struct RestartPolicyTests {
    func decide(_ name: String, max: Int = 0, exit: Int32 = 1, count: Int = 0, manual: Bool = false,
                previous: Double? = nil, ranFor: Double = 1) -> Double? {
        RestartPolicyDecision(
            policy: HostConfig.RestartPolicy(name: name, maximumRetryCount: max), exitCode: exit, restartCount: count,
            manuallyStopped: manual, previousDelay: previous, ranFor: ranFor
        ).delay
    }

    @Test func deployDelayIsFixedAndWindowSetsTheReset() {
        func decide(delay: Double?, window: Double?, previous: Double?, ranFor: Double) -> Double? {
            RestartPolicyDecision(
                policy: HostConfig.RestartPolicy(
                    name: "on-failure", delay: delay.map { Int64($0 * 1e9) }, window: window.map { Int64($0 * 1e9) }),
                exitCode: 1, restartCount: 3, manuallyStopped: false, previousDelay: previous, ranFor: ranFor
            ).delay
        }
        #expect(decide(delay: 2, window: nil, previous: nil, ranFor: 1) == 2)
        #expect(decide(delay: 2, window: nil, previous: 2, ranFor: 1) == 2)
        // A 5 s run: with a 3 s window a success (back-off starts over), with moby's 10 s not.
        #expect(decide(delay: nil, window: 3, previous: 0.4, ranFor: 5) == 0.1)
        #expect(decide(delay: nil, window: nil, previous: 0.4, ranFor: 5) == 0.8)
    }

    @Test func mobysRules() {
        #expect(decide("no") == nil)
        #expect(decide("") == nil)
        #expect(decide("always", exit: 0) == 0.1)
        #expect(decide("always", manual: true) == nil)
        #expect(decide("unless-stopped", exit: 0) == 0.1)
        #expect(decide("unless-stopped", manual: true) == nil)
        #expect(decide("on-failure", exit: 0) == nil)
        #expect(decide("on-failure", exit: 2) == 0.1)
        #expect(decide("on-failure", max: 2, exit: 2, count: 1) == 0.1)
        #expect(decide("on-failure", max: 2, exit: 2, count: 2) == nil)
        #expect(decide("on-failure", max: 0, exit: 2, count: 50) != nil, "0 means no limit")
        // Back-off doubles from 100 ms up to a minute, and starts over after a run of 10 s.
        #expect(decide("always", previous: 0.1) == 0.2)
        #expect(decide("always", previous: 12.8) == 25.6)
        #expect(decide("always", previous: 51.2) == 60)
        #expect(decide("always", previous: 60) == 60)
        #expect(decide("always", previous: 60, ranFor: 10) == 0.1)
        #expect(RestartPolicyDecision.startsWithDaemon(.init(name: "always"), manuallyStopped: true))
        #expect(RestartPolicyDecision.startsWithDaemon(.init(name: "unless-stopped"), manuallyStopped: false))
        #expect(!RestartPolicyDecision.startsWithDaemon(.init(name: "unless-stopped"), manuallyStopped: true))
        #expect(!RestartPolicyDecision.startsWithDaemon(.init(name: "on-failure"), manuallyStopped: false))
    }

    func restartCount(_ harness: EngineAPIHarness, _ id: String) async throws -> Int {
        try await harness.inspect(id)["RestartCount"] as? Int ?? -1
    }

    @Test func onFailureRestartsUpToItsLimitThenStays() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.run(
            name: "flaky", ["HostConfig": ["RestartPolicy": ["Name": "on-failure", "MaximumRetryCount": 2]]])
        for round in 1...2 {
            harness.runtime.end(id, code: 3)
            #expect(try await harness.eventually {
                let running = try await harness.state(id)["Running"] as? Bool == true
                let count = try await restartCount(harness, id)
                return running && count == round
            }, "restart \(round)")
        }
        harness.runtime.end(id, code: 3)
        #expect(try await harness.eventually { try await harness.state(id)["Status"] as? String == "exited" })
        try await Task.sleep(nanoseconds: 600_000_000)
        #expect(try await harness.state(id)["Status"] as? String == "exited", "no third restart")
        #expect(try await restartCount(harness, id) == 2)
    }

    @Test func alwaysRestartsAfterACleanExitButNotAfterAManualStop() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.run(name: "always", ["HostConfig": ["RestartPolicy": ["Name": "always"]]])
        harness.runtime.end(id, code: 0)
        #expect(try await harness.eventually {
            let count = try await restartCount(harness, id)
            let running = try await harness.state(id)["Running"] as? Bool == true
            return count == 1 && running
        })
        let stop = try await harness.send("POST", "/containers/\(id)/stop", query: [("t", "0")])
        #expect(stop.status == 204)
        try await Task.sleep(nanoseconds: 500_000_000)
        #expect(try await harness.state(id)["Status"] as? String == "exited")
        #expect(try await restartCount(harness, id) == 1)
        // A manual start clears the manual stop: the policy applies again.
        #expect(try await harness.send("POST", "/containers/\(id)/start").status == 204)
        harness.runtime.end(id, code: 1)
        #expect(try await harness.eventually { try await restartCount(harness, id) == 2 })
    }

    @Test func theDaemonsStartBringsBackAlwaysAndUnlessStoppedContainers() async throws {
        let harness = try EngineAPIHarness()
        let always = try await harness.run(name: "keeper", ["HostConfig": ["RestartPolicy": ["Name": "always"]]])
        let unless = try await harness.run(name: "unless", ["HostConfig": ["RestartPolicy": ["Name": "unless-stopped"]]])
        let plain = try await harness.run(name: "plain")
        for id in [always, unless, plain] {
            #expect(try await harness.send("POST", "/containers/\(id)/stop", query: [("t", "0")]).status == 204)
        }
        await harness.engine.resumeSupervision()
        #expect(try await harness.eventually { try await harness.state(always)["Running"] as? Bool == true })
        #expect(try await harness.state(unless)["Running"] as? Bool == false, "stopped by hand")
        #expect(try await harness.state(plain)["Running"] as? Bool == false)
    }

    @Test func restartAndRmConflict() async throws {
        let harness = try EngineAPIHarness()
        let reply = try await harness.send(
            "POST", "/containers/create",
            body: ["Image": "tiny", "HostConfig": ["AutoRemove": true, "RestartPolicy": ["Name": "always"]]])
        #expect(reply.status == 400)
        #expect(reply.text.contains("--restart and --rm"))
    }
}
