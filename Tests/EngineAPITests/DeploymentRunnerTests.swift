import Engine
import StackAPI
import StackCore
import Synchronization
import Testing

/// A deployment target in memory: records each operation, can be slowed or made to fail, and
/// answers container states from a table the test sets.
final class FakeDeploymentTarget: DeploymentTarget {
    struct State {
        var log: [String] = []
        var inFlight = 0
        var maxInFlight = 0
        var containers: [String: DeploymentContainerStatus] = [:]
        var failing: [String: StackError] = [:]
    }
    let state = Mutex(State())
    /// Seconds each operation takes.
    let delay: Double

    init(delay: Double = 0) { self.delay = delay }

    var log: [String] { state.withLock { $0.log } }

    func set(_ name: String, _ status: DeploymentContainerStatus?) { state.withLock { $0.containers[name] = status } }

    private func operation(_ text: String, _ effect: @Sendable (inout State) -> Void = { _ in }) async throws {
        state.withLock {
            $0.inFlight += 1
            $0.maxInFlight = max($0.maxInFlight, $0.inFlight)
        }
        if delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
        let failure: StackError? = state.withLock {
            $0.inFlight -= 1
            if let failure = $0.failing[text] { return failure }
            $0.log.append(text)
            effect(&$0)
            return nil
        }
        if let failure { throw failure }
    }

    func createNetwork(_ request: NetworkCreateRequest) async throws { try await operation("network \(request.name)") }
    func createVolume(_ request: VolumeCreateRequest) async throws { try await operation("volume \(request.name)") }
    func createContainer(_ request: ContainerCreateRequest, name: String) async throws {
        try await operation("create \(name)") { $0.containers[name] = DeploymentContainerStatus(status: "created", labels: request.labels) }
    }
    func startContainer(_ name: String) async throws {
        try await operation("start \(name)") { $0.containers[name]?.status = "running" }
    }
    func unpauseContainer(_ name: String) async throws { try await operation("unpause \(name)") }
    func stopContainer(_ reference: String, timeout: Int?) async throws {
        try await operation("stop \(reference)") { $0.containers[reference]?.status = "exited" }
    }
    func removeContainer(_ reference: String, volumes: Bool) async throws {
        try await operation("remove \(reference)\(volumes ? " -v" : "")") { $0.containers[reference] = nil }
    }
    func renameContainer(_ reference: String, to name: String) async throws {
        try await operation("rename \(reference) \(name)") {
            $0.containers[name] = $0.containers[reference]
            $0.containers[reference] = nil
        }
    }
    func removeNetwork(_ name: String) async throws { try await operation("rm network \(name)") }
    func removeVolume(_ name: String) async throws { try await operation("rm volume \(name)") }
    func containerStatus(_ name: String) async -> DeploymentContainerStatus? { state.withLock { $0.containers[name] } }
}

@Suite struct DeploymentRunnerTests {
    func step(_ id: Int, _ action: DeploymentAction, after: [Int] = [], waits: [DeploymentWait] = []) -> DeploymentStep {
        DeploymentStep(id: id, after: after, line: "\(id). step", action: action, waits: waits)
    }

    func create(_ name: String, hash: String = "h1") -> DeploymentAction {
        .createContainer(
            name: name, display: name,
            request: ContainerCreateRequest(image: "busybox", labels: ["com.docker.compose.config-hash": hash]))
    }

    @Test func independentStepsRunTogetherAndAfterIsRespected() async throws {
        let target = FakeDeploymentTarget(delay: 0.05)
        let request = DeploymentRequest(project: "p", steps: [
            step(1, .createNetwork(NetworkCreateRequest(name: "p_default"))),
            step(2, create("p-a-1"), after: [1]), step(3, create("p-b-1"), after: [1]), step(4, create("p-c-1"), after: [1]),
            step(5, .startContainer(name: "p-a-1"), after: [2]), step(6, .startContainer(name: "p-b-1"), after: [3, 5]),
        ])
        let lines = Mutex<[String]>([])
        let error = await DeploymentRunner(target: target).run(request) { _, line in
            lines.withLock { $0.append(line ?? "") }
        }
        #expect(error == nil)
        let log = target.log
        #expect(log.first == "network p_default")
        #expect(Set(log[1...3]) == ["create p-a-1", "create p-b-1", "create p-c-1"])
        #expect((log.firstIndex(of: "start p-a-1") ?? 99) < (log.firstIndex(of: "start p-b-1") ?? -1))
        // The three creates ran at the same time.
        #expect(target.state.withLock { $0.maxInFlight } >= 3)
        #expect(lines.withLock { $0.contains("✔ Container p-a-1  Started") })
    }

    @Test func aFailureNamesItsStepAndStopsWhatDependsOnIt() async {
        let target = FakeDeploymentTarget()
        target.state.withLock { $0.failing["start p-db-1"] = StackError(.system, "mount: EPERM") }
        let request = DeploymentRequest(project: "p", steps: [
            step(1, create("p-db-1")), step(2, .startContainer(name: "p-db-1"), after: [1]),
            step(3, create("p-web-1"), after: [2]),
        ])
        let done = Mutex<[Int]>([])
        let error = await DeploymentRunner(target: target).run(request) { id, _ in done.withLock { $0.append(id) } }
        #expect(error == "step 2. step: mount: EPERM")
        #expect(done.withLock { $0 } == [1])
        #expect(!target.log.contains("create p-web-1"))
    }

    @Test func waitsForConditionsAndFailsOnesThatCannotBeMet() async {
        let target = FakeDeploymentTarget()
        target.set("p-db-1", DeploymentContainerStatus(status: "running", health: "starting"))
        let healthy = DeploymentWait(service: "db", containers: ["p-db-1"], condition: .healthy)
        let request = DeploymentRequest(project: "p", steps: [
            step(1, create("p-web-1")), step(2, .startContainer(name: "p-web-1"), after: [1], waits: [healthy]),
        ])
        let runner = {
            var runner = DeploymentRunner(target: target)
            runner.pollInterval = 0.01
            return runner
        }()
        let started = Task { await runner.run(request) { _, _ in } }
        try? await Task.sleep(nanoseconds: 100_000_000)
        #expect(!target.log.contains("start p-web-1"))
        target.set("p-db-1", DeploymentContainerStatus(status: "running", health: "healthy"))
        #expect(await started.value == nil)
        #expect(target.log.last == "start p-web-1")

        // A one-shot dependency that failed fails the start, with its exit code.
        let other = FakeDeploymentTarget()
        other.set("p-seed-1", DeploymentContainerStatus(status: "exited", exitCode: 3))
        let completed = DeploymentWait(service: "seed", containers: ["p-seed-1"], condition: .completedSuccessfully)
        let failing = DeploymentRequest(project: "p", steps: [step(1, .startContainer(name: "p-web-1"), waits: [completed])])
        #expect(await DeploymentRunner(target: other).run(failing) { _, _ in } == "step 1. step: dependency p-seed-1 exited with 3")
        // A timeout names what it waited for.
        let slow = DeploymentRequest(project: "p", steps: [step(1, .startContainer(name: "x"), waits: [healthy])], waitTimeout: 0.05)
        let stuck = FakeDeploymentTarget()
        stuck.set("p-db-1", DeploymentContainerStatus(status: "running", health: "starting"))
        #expect(await DeploymentRunner(target: stuck).run(slow) { _, _ in } == "step 1. step: timed out waiting for p-db-1 (service_healthy)")
    }

    @Test func resumingSkipsDoneStepsAndAcceptsEffectsAlreadyThere() async {
        let target = FakeDeploymentTarget()
        // Before the crash: the new container was created (not yet journaled), the old one stopped.
        target.set("abc_p-web-1", DeploymentContainerStatus(status: "created", labels: ["com.docker.compose.config-hash": "h2"]))
        target.set("p-web-1", DeploymentContainerStatus(status: "exited"))
        target.state.withLock { $0.failing["create abc_p-web-1"] = StackError(.conflict, "name abc_p-web-1 is in use") }
        let request = DeploymentRequest(project: "p", steps: [
            step(1, create("abc_p-web-1", hash: "h2")), step(2, .stopContainer(id: "p-web-1", name: "p-web-1", timeout: nil), after: [1]),
            step(3, .removeContainer(id: "p-web-1", name: "p-web-1", volumes: false), after: [2]),
            step(4, .renameContainer(from: "abc_p-web-1", to: "p-web-1"), after: [3]),
            step(5, .startContainer(name: "p-web-1"), after: [4]),
        ])
        let error = await DeploymentRunner(target: target).run(request, done: [2], resuming: true) { _, _ in }
        #expect(error == nil)
        #expect(target.log == ["remove p-web-1", "rename abc_p-web-1 p-web-1", "start p-web-1"])
        #expect(await target.containerStatus("p-web-1")?.status == "running")

        // A container under that name with another configuration is not ours to adopt.
        let other = FakeDeploymentTarget()
        other.set("abc_p-web-1", DeploymentContainerStatus(status: "created", labels: ["com.docker.compose.config-hash": "zzz"]))
        other.state.withLock { $0.failing["create abc_p-web-1"] = StackError(.conflict, "name abc_p-web-1 is in use") }
        let first = DeploymentRequest(project: "p", steps: [request.steps[0]])
        #expect(await DeploymentRunner(target: other).run(first, resuming: true) { _, _ in } == "step 1. step: name abc_p-web-1 is in use")
        // Not resuming, the conflict is an error too.
        #expect(await DeploymentRunner(target: target).run(first) { _, _ in } != nil)
    }

    @Test func invalidOrderIsRefused() {
        let request = DeploymentRequest(project: "p", steps: [step(1, create("a"), after: [2]), step(2, create("b"))])
        #expect(throws: StackError.self) { try DeploymentRunner.validate(request) }
    }
}
