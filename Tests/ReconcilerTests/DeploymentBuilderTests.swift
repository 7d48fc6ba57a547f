import StackAPI
import StackCore
import Testing
@testable import Reconciler

/// A plan becomes the deployment stackd runs: requests built, waits resolved to containers.
@Suite struct DeploymentBuilderTests {
    let yaml = """
        services:
          db:
            image: busybox
            deploy: {replicas: 2}
            healthcheck: {test: ["CMD", "true"]}
          web:
            image: busybox
            depends_on:
              db: {condition: service_healthy}
              cache: {condition: service_started, required: false}
        """

    @Test func requestsAreBuiltAndWaitsNameTheDependencysContainers() throws {
        let desired = try desiredState(yaml)
        let project = try loadProject(yaml)
        let plan = try planned(desired)
        let request = try DeploymentBuilder.request(
            for: plan, desired: desired, project: project, options: DeploymentBuilder.Options(stopTimeout: 3, waitTimeout: 30))
        #expect(request.project == "demo")
        #expect(request.waitTimeout == 30)
        #expect(request.steps.map(\.id) == plan.steps.map(\.id))
        #expect(request.steps.map(\.after) == plan.steps.map(\.after))
        let startWeb = try #require(request.steps.first { $0.action == .startContainer(name: "demo-web-1") })
        // The optional dependency that is not in the project is dropped; db's two replicas are waited for.
        #expect(startWeb.waits == [DeploymentWait(service: "db", containers: ["demo-db-1", "demo-db-2"], condition: .healthy)])
        guard case .createContainer(let name, let display, let create)? = request.steps.first(where: {
            if case .createContainer(_, "demo-web-1", _) = $0.action { return true }
            return false
        })?.action else {
            Issue.record("no create step for demo-web-1")
            return
        }
        #expect(name == "demo-web-1" && display == "demo-web-1")
        #expect(create.labels["com.docker.compose.service"] == "web")
        #expect(create.image == "busybox")
    }

    @Test func downCarriesTheTimeoutAndVolumeRemoval() throws {
        let desired = try desiredState(yaml)
        let project = try loadProject(yaml)
        let observed = apply(try planned(desired), to: ObservedState(), desired: desired)
        let plan = Planner.planDown(desired: desired, observed: observed)
        let request = try DeploymentBuilder.request(
            for: plan, desired: desired, project: project, options: DeploymentBuilder.Options(stopTimeout: 0, removeVolumes: true))
        let actions = request.steps.map(\.action)
        #expect(actions.contains { if case .stopContainer(_, "demo-web-1", 0) = $0 { return true } else { return false } })
        #expect(actions.contains { if case .removeContainer(_, "demo-db-2", true) = $0 { return true } else { return false } })
    }
}
