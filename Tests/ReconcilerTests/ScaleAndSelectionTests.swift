import Testing
import StackCore
@testable import Reconciler

let workers = """
    services:
      api:
        image: busybox
        restart: always
      worker:
        image: busybox
        restart: always
        depends_on: [api]
        deploy:
          replicas: 2
    """

@Suite struct ScaleTests {
    @Test func replicasFromDeployAndScaleOverride() throws {
        #expect(try desiredState(workers).service(named: "worker")?.containers.map(\.name) == ["demo-worker-1", "demo-worker-2"])
        #expect(try desiredState(workers, scale: ["worker": 3, "api": 0]).service(named: "worker")?.replicas == 3)
    }

    @Test func scaleUpAddsTheNextNumbersAndTouchesNothingElse() throws {
        let observed = try upped(try desiredState(workers))
        let plan = try planned(try desiredState(workers, scale: ["worker": 4]), observed)
        // Scaling is not a configuration change: the running replicas stay.
        #expect(plan.render() == """
            1. create container demo-worker-3 (scale up)
            2. start container demo-worker-3 [after 1; wait api:service_started]
            3. create container demo-worker-4 (scale up)
            4. start container demo-worker-4 [after 3; wait api:service_started]

            """)
        #expect(plan.upToDate == ["demo-api-1", "demo-worker-1", "demo-worker-2"])
    }

    @Test func scaleDownRemovesTheHighestNumbersFirst() throws {
        let observed = try upped(try desiredState(workers, scale: ["worker": 4]))
        let plan = try planned(try desiredState(workers, scale: ["worker": 1]), observed)
        #expect(plan.render() == """
            1. stop container demo-worker-4 (scale down)
            2. remove container demo-worker-4 (scale down) [after 1]
            3. stop container demo-worker-3 (scale down)
            4. remove container demo-worker-3 (scale down) [after 3]
            5. stop container demo-worker-2 (scale down)
            6. remove container demo-worker-2 (scale down) [after 5]

            """)
    }

    @Test func scaleUpFillsGapsInTheNumbers() throws {
        var observed = try upped(try desiredState(workers, scale: ["worker": 3]))
        observed.containers.removeAll { $0.name == "demo-worker-2" }
        let plan = try planned(try desiredState(workers, scale: ["worker": 3]), observed)
        #expect(plan.steps.first?.line == "1. create container demo-worker-2 (scale up)")
        #expect(plan.steps.count == 2)
    }

    @Test func scaleToZeroRemovesAnExitedReplicaWithoutStoppingIt() throws {
        let observed = with(try upped(try desiredState(workers)), "demo-worker-2") { $0.state = .exited }
        let plan = try planned(try desiredState(workers, scale: ["worker": 0]), observed)
        #expect(plan.render() == """
            1. remove container demo-worker-2 (scale down)
            2. stop container demo-worker-1 (scale down)
            3. remove container demo-worker-1 (scale down) [after 2]

            """)
    }

    @Test func badScaleRequestsAreRejected() throws {
        #expect(throws: StackError.self) { try desiredState(workers, scale: ["nope": 2]) }
        #expect(throws: StackError.self) { try desiredState(workers, scale: ["api": -1]) }
        let named = "services:\n  app:\n    image: busybox\n    container_name: the-app\n"
        #expect(try desiredState(named).service(named: "app")?.containers.map(\.name) == ["the-app"])
        #expect(throws: StackError.self) { try desiredState(named, scale: ["app": 2]) }
    }
}

@Suite struct OrphanTests {
    func observedWithOrphan() throws -> ObservedState {
        var observed = try upped(try desiredState(workers))
        observed.containers.append(foreignContainer(service: "old", number: 1))
        observed.containers.append(foreignContainer(service: "gone", number: 1, state: .exited))
        var oneOff = foreignContainer(service: "old", number: 2)
        oneOff.labels[ComposeLabel.oneOff] = "True"
        observed.containers.append(oneOff)
        var otherProject = foreignContainer(service: "x", number: 1)
        otherProject.labels[ComposeLabel.project] = "other"
        observed.containers.append(otherProject)
        return observed
    }

    @Test func orphansAreReportedAndLeftAlone() throws {
        let plan = try planned(try desiredState(workers), try observedWithOrphan())
        #expect(plan.orphans == ["demo-gone-1", "demo-old-1"])
        #expect(plan.render() == """
            nothing to do
            warning: found orphan containers (demo-gone-1, demo-old-1) for this project; \
            if you removed or renamed their service, run with --remove-orphans to clean them up

            """)
    }

    @Test func removeOrphansStopsAndRemovesThem() throws {
        let plan = try planned(try desiredState(workers), try observedWithOrphan(), PlanOptions(removeOrphans: true))
        #expect(plan.render() == """
            1. remove container demo-gone-1 (orphan)
            2. stop container demo-old-1 (orphan)
            3. remove container demo-old-1 (orphan) [after 2]

            """)
    }
}

@Suite struct OneShotTests {
    let job = """
        services:
          migrate:
            image: busybox
            command: ["true"]
          app:
            image: busybox
            restart: always
            depends_on:
              migrate:
                condition: service_completed_successfully
        """

    @Test func aCompletedUnchangedOneShotIsNotRunAgain() throws {
        let desired = try desiredState(job)
        let observed = with(try upped(desired), "demo-migrate-1") {
            $0.state = .exited
            $0.exitCode = 0
        }
        let plan = try planned(desired, observed)
        #expect(plan.render() == "nothing to do\n")
        #expect(plan.upToDate == ["demo-migrate-1", "demo-app-1"])
    }

    @Test func aFailedOneShotRunsAgain() throws {
        let desired = try desiredState(job)
        let observed = with(try upped(desired), "demo-migrate-1") {
            $0.state = .exited
            $0.exitCode = 1
        }
        #expect(try planned(desired, observed).render() == "1. start container demo-migrate-1 (exited 1)\n")
    }

    @Test func aChangedOneShotIsRecreatedAndRunAgain() throws {
        let observed = with(try upped(try desiredState(job)), "demo-migrate-1") {
            $0.state = .exited
            $0.exitCode = 0
        }
        let changed = try desiredState(job.replacing(#"["true"]"#, with: #"["sh", "-c", "true"]"#))
        let id = shortID("demo-migrate-1")
        #expect(try planned(changed, observed).render() == """
            1. recreate container demo-migrate-1 as \(id)_demo-migrate-1 (changed: command)
            2. start container \(id)_demo-migrate-1 [after 1; on failure: remove container \(id)_demo-migrate-1]
            3. remove container demo-migrate-1 (replaced) [after 2]
            4. rename container \(id)_demo-migrate-1 to demo-migrate-1 [after 3]

            """)
    }

    @Test func anExitedServiceWithARestartPolicyIsStarted() throws {
        let desired = try desiredState(job)
        let observed = with(try upped(desired), "demo-app-1") {
            $0.state = .exited
            $0.exitCode = 0
        }
        #expect(try planned(desired, observed).render() == """
            1. start container demo-app-1 (exited 0) [wait migrate:service_completed_successfully]

            """)
    }
}

@Suite struct ExternalResourceTests {
    let stack = """
        services:
          app:
            image: busybox
            networks: [shared]
            volumes: [store:/data]
        networks:
          shared:
            external: true
            name: corp-net
        volumes:
          store:
            external: true
        """

    @Test func externalResourcesAreUsedNotCreated() throws {
        let desired = try desiredState(stack)
        #expect(desired.networks.first?.labels == [:])
        let observed = ObservedState(
            networks: [ObservedNetwork(id: "n", name: "corp-net")], volumes: [ObservedVolume(name: "store")])
        #expect(try planned(desired, observed).render() == """
            1. create container demo-app-1 (new)
            2. start container demo-app-1 [after 1]

            """)
        let app = try #require(desired.service(named: "app"))
        #expect(app.networks == ["corp-net"] && app.volumes == ["store"])
    }

    @Test func aMissingExternalResourceIsAnError() throws {
        let desired = try desiredState(stack)
        do {
            _ = try Planner.plan(
                desired: desired, observed: ObservedState(networks: [ObservedNetwork(id: "n", name: "corp-net")]))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.message == "volume store declared as external, but could not be found")
        }
    }
}

@Suite struct SelectionTests {
    let stack = """
        services:
          db:
            image: postgres
            restart: always
          cache:
            image: redis
            restart: always
          web:
            image: nginx
            restart: always
            depends_on:
              db:
                condition: service_healthy
              cache:
                condition: service_started
                required: false
          other:
            image: busybox
            networks: [side]
        networks:
          side: {}
        """

    @Test func aSelectedServiceBringsItsDependencies() throws {
        let plan = try planned(try desiredState(stack), ObservedState(), PlanOptions(services: ["web"]))
        #expect(plan.render() == """
            1. create network demo_default
            2. create container demo-cache-1 (new) [after 1]
            3. start container demo-cache-1 [after 2]
            4. create container demo-db-1 (new) [after 1]
            5. start container demo-db-1 [after 4]
            6. create container demo-web-1 (new) [after 1]
            7. start container demo-web-1 [after 3,5,6; wait cache:service_started?,db:service_healthy]

            """)
    }

    @Test func noDepsStartsOnlyTheSelectedService() throws {
        let desired = try desiredState(stack)
        var observed = try upped(desired)
        observed.containers.removeAll { $0.name == "demo-web-1" }
        observed.containers = observed.containers.map { container in
            var container = container
            container.state = .exited
            return container
        }
        let plan = try planned(desired, observed, PlanOptions(noDeps: true, services: ["web"]))
        // Nothing is waited for: the dependencies are not part of this run.
        #expect(plan.render() == """
            1. create container demo-web-1 (new)
            2. start container demo-web-1 [after 1]

            """)
        let withDeps = try planned(desired, observed, PlanOptions(services: ["web"]))
        #expect(withDeps.render() == """
            1. start container demo-cache-1 (exited ?)
            2. start container demo-db-1 (exited ?)
            3. create container demo-web-1 (new)
            4. start container demo-web-1 [after 1,2,3; wait cache:service_started?,db:service_healthy]

            """)
    }

    @Test func unknownServiceIsAnError() throws {
        #expect(throws: StackError.self) { try planned(try desiredState(stack), ObservedState(), PlanOptions(services: ["nope"])) }
    }

    @Test func anOptionalDependencyOutsideTheProjectIsSkippedWithAWarning() throws {
        let project = try loadProject(stack)
        var trimmed = project
        trimmed.services.removeAll { $0.name == "cache" }
        let desired = try DesiredState(project: trimmed)
        let plan = try planned(desired, ObservedState(), PlanOptions(services: ["web"]))
        #expect(plan.warnings == ["web: optional dependency cache is not in the project"])
        #expect(plan.steps.last?.waits == [ServiceWait(service: "db", condition: .serviceHealthy)])
    }
}
