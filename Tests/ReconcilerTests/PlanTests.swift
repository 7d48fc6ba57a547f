import Testing
import StackCore
@testable import Reconciler

/// A web app: a database with a volume and a healthcheck, a seeding job, a web server waiting
/// for both, a sidecar in the web server's network namespace, and a backup service that mounts
/// the database's volumes.
let webApp = """
    services:
      db:
        image: postgres:16
        environment:
          POSTGRES_PASSWORD: secret
        volumes:
          - data:/var/lib/postgresql/data
        networks: [back]
        healthcheck:
          test: ["CMD", "pg_isready"]
        restart: always
      seed:
        image: busybox
        command: ["sh", "-c", "echo seeded"]
        depends_on:
          db:
            condition: service_healthy
        networks: [back]
      web:
        image: nginx:1.27
        environment:
          MODE: prod
        depends_on:
          db:
            condition: service_healthy
          seed:
            condition: service_completed_successfully
        networks: [front, back]
        ports: ["8080:80"]
        restart: always
      sidecar:
        image: busybox
        network_mode: service:web
        restart: always
      backup:
        image: busybox
        volumes_from: [db]
        network_mode: none
        restart: unless-stopped
    networks:
      front: {}
      back: {}
    volumes:
      data: {}
    """

@Suite struct FreshAndNoOpTests {
    @Test func freshProjectCreatesEverythingInDependencyOrder() throws {
        let plan = try planned(try desiredState(webApp))
        #expect(plan.render() == """
            1. create network demo_back
            2. create network demo_front
            3. create volume demo_data
            4. create container demo-db-1 (new) [after 1,3]
            5. start container demo-db-1 [after 4]
            6. create container demo-backup-1 (new) [after 4]
            7. start container demo-backup-1 [after 5,6]
            8. create container demo-seed-1 (new) [after 1]
            9. start container demo-seed-1 [after 5,8; wait db:service_healthy]
            10. create container demo-web-1 (new) [after 1,2]
            11. start container demo-web-1 [after 5,9,10; wait db:service_healthy,seed:service_completed_successfully]
            12. create container demo-sidecar-1 (new) [after 10]
            13. start container demo-sidecar-1 [after 11,12]

            """)
        #expect(plan.orphans.isEmpty && plan.warnings.isEmpty)
        // Networks and the volume first, then what each finished step releases.
        #expect(plan.runnable(finished: []).map(\.id) == [1, 2, 3])
        #expect(plan.runnable(finished: [1, 2, 3]).map(\.id) == [4, 8, 10])
        #expect(plan.runnable(finished: [1, 2, 3, 4, 8, 10]).map(\.id) == [5, 6, 12])
    }

    @Test func secondRunDoesNothing() throws {
        let desired = try desiredState(webApp)
        let observed = try upped(desired)
        #expect(observed.containers.count == 5)
        let plan = try planned(desired, observed)
        #expect(plan.render() == "nothing to do\n")
        #expect(plan.upToDate == ["demo-db-1", "demo-backup-1", "demo-seed-1", "demo-web-1", "demo-sidecar-1"])
    }

    @Test func containersCarryComposeLabels() throws {
        let desired = try desiredState(webApp, imageIDs: ["web": "sha256:abc"])
        let web = try #require(desired.service(named: "web")).container(number: 2)
        #expect(web.name == "demo-web-2")
        #expect(web.labels[ComposeLabel.project] == "demo")
        #expect(web.labels[ComposeLabel.service] == "web")
        #expect(web.labels[ComposeLabel.containerNumber] == "2")
        #expect(web.labels[ComposeLabel.oneOff] == "False")
        #expect(web.labels[ComposeLabel.configHash]?.count == 64)
        #expect(web.labels[ComposeLabel.configFiles] == "/demo/compose.yaml")
        #expect(web.labels[ComposeLabel.workingDir] == "/demo")
        #expect(web.labels[ComposeLabel.dependsOn] == "db:service_healthy:false,seed:service_completed_successfully:false")
        #expect(web.labels[ComposeLabel.image] == "sha256:abc")
        #expect(web.labels[ComposeLabel.version] == "test")
        let db = try #require(desired.service(named: "db"))
        #expect(db.container(number: 1).labels[ComposeLabel.image] == "postgres:16")
        #expect(db.volumes == ["demo_data"] && db.networks == ["demo_back"])
        let network = try #require(desired.networks.first { $0.key == "back" })
        #expect(network.name == "demo_back")
        #expect(network.labels[ComposeLabel.project] == "demo" && network.labels[ComposeLabel.network] == "back")
        #expect(network.labels[ComposeLabel.version] == "test" && network.labels[ComposeLabel.configHash]?.count == 64)
        let volume = try #require(desired.volumes.first)
        #expect(volume.labels[ComposeLabel.volume] == "data" && volume.labels[ComposeLabel.project] == "demo")
    }

    @Test func defaultNetworkAndNamedResources() throws {
        let desired = try desiredState("""
            services:
              app:
                image: busybox
                labels:
                  com.docker.compose.project: spoofed
                  team: a
                volumes: [cache:/cache]
            volumes:
              cache:
                name: shared-cache
            """)
        #expect(desired.networks.map(\.name) == ["demo_default"])
        #expect(desired.volumes.map(\.name) == ["shared-cache"])
        let app = try #require(desired.service(named: "app")).container(number: 1)
        #expect(app.labels[ComposeLabel.project] == "demo" && app.labels["team"] == "a")
        #expect(try planned(desired).render() == """
            1. create network demo_default
            2. create volume shared-cache
            3. create container demo-app-1 (new) [after 1,2]
            4. start container demo-app-1 [after 3]

            """)
    }
}

@Suite struct RecreateTests {
    @Test func changedEnvironmentRecreatesTheServiceAndItsNamespaceAndVolumeChildren() throws {
        let before = try desiredState(webApp)
        let observed = try upped(before)
        let after = try desiredState(webApp.replacing("POSTGRES_PASSWORD: secret", with: "POSTGRES_PASSWORD: other"))
        let db = shortID("demo-db-1"), backup = shortID("demo-backup-1")
        // web and seed only depend_on db: they are left alone; backup mounts db's volumes.
        #expect(try planned(after, observed).render() == """
            1. recreate container demo-db-1 as \(db)_demo-db-1 (changed: environment)
            2. stop container demo-db-1 (replaced) [after 1]
            3. start container \(db)_demo-db-1 [after 2; on failure: remove container \(db)_demo-db-1, start container demo-db-1]
            4. remove container demo-db-1 (replaced) [after 3]
            5. rename container \(db)_demo-db-1 to demo-db-1 [after 4]
            6. recreate container demo-backup-1 as \(backup)_demo-backup-1 (db recreated) [after 5]
            7. stop container demo-backup-1 (replaced) [after 6]
            8. start container \(backup)_demo-backup-1 [after 5,7; on failure: remove container \(backup)_demo-backup-1, start container demo-backup-1]
            9. remove container demo-backup-1 (replaced) [after 8]
            10. rename container \(backup)_demo-backup-1 to demo-backup-1 [after 9]

            """)
    }

    @Test func networkModeChildIsRecreatedWithItsParent() throws {
        let observed = try upped(try desiredState(webApp))
        let after = try desiredState(webApp.replacing("MODE: prod", with: "MODE: test"))
        let plan = try planned(after, observed)
        let web = shortID("demo-web-1"), sidecar = shortID("demo-sidecar-1")
        #expect(plan.render() == """
            1. recreate container demo-web-1 as \(web)_demo-web-1 (changed: environment)
            2. stop container demo-web-1 (replaced) [after 1]
            3. start container \(web)_demo-web-1 [after 2; wait db:service_healthy,seed:service_completed_successfully; on failure: remove container \(web)_demo-web-1, start container demo-web-1]
            4. remove container demo-web-1 (replaced) [after 3]
            5. rename container \(web)_demo-web-1 to demo-web-1 [after 4]
            6. recreate container demo-sidecar-1 as \(sidecar)_demo-sidecar-1 (web recreated) [after 5]
            7. stop container demo-sidecar-1 (replaced) [after 6]
            8. start container \(sidecar)_demo-sidecar-1 [after 5,7; on failure: remove container \(sidecar)_demo-sidecar-1, start container demo-sidecar-1]
            9. remove container demo-sidecar-1 (replaced) [after 8]
            10. rename container \(sidecar)_demo-sidecar-1 to demo-sidecar-1 [after 9]

            """)
        #expect(plan.upToDate == ["demo-db-1", "demo-backup-1", "demo-seed-1"])
        // Applying the plan converges.
        let next = apply(plan, to: observed, desired: after)
        #expect(try planned(after, next).isEmpty)
        #expect(next.containers.map(\.name).sorted() == [
            "demo-backup-1", "demo-db-1", "demo-seed-1", "demo-sidecar-1", "demo-web-1",
        ])
    }

    @Test func newImageIDMissingNetworkAndMissingVolumeRecreate() throws {
        let desired = try desiredState(webApp, imageIDs: ["web": "sha256:new"])
        var observed = try upped(try desiredState(webApp, imageIDs: ["web": "sha256:old"]))
        observed = with(observed, "demo-seed-1") { $0.networks = [] }
        observed = with(observed, "demo-db-1") { $0.volumes = [] }
        let plan = try planned(desired, observed)
        let reasons = plan.steps.compactMap { step -> String? in
            guard case .createContainer(let container, _?) = step.action else { return nil }
            return "\(container.name): \(step.reason ?? "")"
        }
        #expect(reasons == [
            "demo-db-1: volume demo_data not mounted", "demo-backup-1: db recreated",
            "demo-seed-1: not attached to network demo_back", "demo-web-1: image updated",
            "demo-sidecar-1: web recreated",
        ])
    }

    @Test func aContainerWithoutFieldLabelsStillSaysItsConfigChanged() throws {
        let desired = try desiredState("services:\n  app:\n    image: busybox\n")
        let observed = ObservedState(
            containers: [foreignContainer(service: "app", number: 1)],
            networks: [ObservedNetwork(id: "n1", name: "demo_default")])
        let id = shortID("demo-app-1")
        #expect(try planned(desired, observed).render() == """
            1. recreate container demo-app-1 as \(id)_demo-app-1 (configuration changed)
            2. stop container demo-app-1 (replaced) [after 1]
            3. start container \(id)_demo-app-1 [after 2; on failure: remove container \(id)_demo-app-1, start container demo-app-1]
            4. remove container demo-app-1 (replaced) [after 3]
            5. rename container \(id)_demo-app-1 to demo-app-1 [after 4]

            """)
    }

    @Test func forceRecreateRecreatesEverythingSelected() throws {
        let desired = try desiredState(webApp)
        let observed = try upped(desired)
        let plan = try planned(desired, observed, PlanOptions(recreate: .force))
        let recreated = plan.steps.compactMap { step -> String? in
            guard case .createContainer(let container, _?) = step.action else { return nil }
            return "\(container.name) (\(step.reason ?? ""))"
        }
        #expect(recreated == [
            "demo-db-1 (forced)", "demo-backup-1 (forced)", "demo-seed-1 (forced)", "demo-web-1 (forced)",
            "demo-sidecar-1 (forced)",
        ])
        #expect(plan.steps.count == 25)
        #expect(apply(plan, to: observed, desired: desired).containers.count == 5)
    }

    @Test func noRecreateOnlyStartsWhatIsStopped() throws {
        let observed = with(try upped(try desiredState(webApp)), "demo-web-1") {
            $0.state = .exited
            $0.exitCode = 137
        }
        let changed = try desiredState(webApp.replacing("MODE: prod", with: "MODE: test"))
        let plan = try planned(changed, observed, PlanOptions(recreate: .never))
        #expect(plan.render() == """
            1. start container demo-web-1 (exited 137) [wait db:service_healthy,seed:service_completed_successfully]

            """)
    }

    @Test func noStartCreatesWithoutStarting() throws {
        let plan = try planned(try desiredState("services:\n  app:\n    image: busybox\n"), ObservedState(),
                               PlanOptions(noStart: true))
        #expect(plan.render() == """
            1. create network demo_default
            2. create container demo-app-1 (new) [after 1]

            """)
    }
}

@Suite struct DependencyRestartTests {
    let stack = """
        services:
          db:
            image: postgres
            environment: {V: "1"}
            restart: always
          api:
            image: busybox
            restart: always
            depends_on:
              db:
                condition: service_started
                restart: true
          report:
            image: busybox
            restart: always
            depends_on: [db]
        """

    @Test func restartTrueDependentsAreRestartedWhenTheDependencyIsRecreated() throws {
        let observed = try upped(try desiredState(stack))
        let changed = try desiredState(stack.replacing(#"V: "1""#, with: #"V: "2""#))
        let id = shortID("demo-db-1")
        // report depends on db without restart: true and keeps running.
        #expect(try planned(changed, observed).render() == """
            1. recreate container demo-db-1 as \(id)_demo-db-1 (changed: environment)
            2. stop container demo-db-1 (replaced) [after 1]
            3. start container \(id)_demo-db-1 [after 2; on failure: remove container \(id)_demo-db-1, start container demo-db-1]
            4. remove container demo-db-1 (replaced) [after 3]
            5. rename container \(id)_demo-db-1 to demo-db-1 [after 4]
            6. stop container demo-api-1 (db recreated) [after 5]
            7. start container demo-api-1 (db recreated) [after 5,6; wait db:service_started]

            """)
    }

    @Test func aCompletedOneShotRunsAgainWhenItsRestartDependencyIsRecreated() throws {
        let stack = self.stack + """

              migrate:
                image: busybox
                depends_on:
                  db: {condition: service_healthy, restart: true}
            """
        let observed = with(try upped(try desiredState(stack)), "demo-migrate-1") {
            $0.state = .exited
            $0.exitCode = 0
        }
        let changed = try desiredState(stack.replacing(#"V: "1""#, with: #"V: "2""#))
        let lines = try planned(changed, observed).steps.map(\.line).filter { $0.contains("migrate") }
        #expect(lines == ["8. start container demo-migrate-1 (db recreated) [after 5; wait db:service_healthy]"])
    }

    @Test func anInterruptedRecreateIsCleanedUp() throws {
        // A recreate stopped after creating the replacement: two containers hold number 1.
        let desired = try desiredState(stack)
        var observed = try upped(desired)
        var leftover = try #require(observed.containers.first { $0.name == "demo-db-1" })
        leftover.id = "ffff0000ffff0000"
        leftover.name = "0123456789ab_demo-db-1"
        leftover.state = .created
        observed.containers.append(leftover)
        let plan = try planned(desired, observed)
        #expect(plan.render() == "1. remove container 0123456789ab_demo-db-1 (duplicate of number 1)\n")
    }
}

@Suite struct ResourceDivergenceTests {
    @Test func aChangedNetworkOrVolumeDefinitionIsReportedNotRecreated() throws {
        let stack = """
            services:
              app:
                image: busybox
                networks: [back]
                volumes: [data:/data]
            networks:
              back: {}
            volumes:
              data: {}
            """
        let observed = try upped(try desiredState(stack))
        let changed = try desiredState(
            stack.replacing("back: {}", with: "back: {internal: true}")
                .replacing("data: {}", with: "data: {driver_opts: {type: tmpfs, device: tmpfs}}"))
        #expect(try planned(changed, observed).render() == """
            nothing to do
            warning: network demo_back exists with another configuration; `down` and `up` again to apply it
            warning: volume demo_data exists with another configuration; it is kept as it is (its data too)

            """)
        #expect(try planned(try desiredState(stack), observed).render() == "nothing to do\n")
    }

    @Test func aResourceOfAnotherProjectIsUsedWithAWarning() throws {
        let desired = try desiredState("services:\n  app:\n    image: busybox\n")
        let observed = ObservedState(networks: [
            ObservedNetwork(id: "n", name: "demo_default", labels: [ComposeLabel.project: "someone-else"])
        ])
        let plan = try planned(desired, observed)
        #expect(plan.warnings == ["network demo_default belongs to project someone-else; using it"])
        #expect(plan.steps.count == 2)
    }
}
