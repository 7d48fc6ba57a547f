import Testing
@testable import Reconciler

@Suite struct DownPlanTests {
    @Test func downStopsDependentsFirstAndRemovesProjectResources() throws {
        let desired = try desiredState(webApp)
        var observed = try upped(desired)
        observed = with(observed, "demo-seed-1") { $0.state = .exited }
        observed.networks.append(ObservedNetwork(id: "x", name: "unrelated"))
        let plan = Planner.planDown(desired: desired, observed: observed)
        // sidecar before web, web before seed and db, backup before db; seed has exited.
        #expect(plan.render() == """
            1. stop container demo-sidecar-1
            2. remove container demo-sidecar-1 [after 1]
            3. stop container demo-web-1 [after 1]
            4. remove container demo-web-1 [after 3]
            5. remove container demo-seed-1 [after 3]
            6. stop container demo-backup-1
            7. remove container demo-backup-1 [after 6]
            8. stop container demo-db-1 [after 3,6]
            9. remove container demo-db-1 [after 8]
            10. remove network demo_back [after 2,4,5,7,9]
            11. remove network demo_front [after 2,4,5,7,9]

            """)
    }

    @Test func downWithVolumesAndOrphans() throws {
        let desired = try desiredState("""
            services:
              app:
                image: busybox
                volumes: [data:/data, shared:/shared]
            volumes:
              data: {}
              shared:
                external: true
            """)
        let external = ObservedState(volumes: [ObservedVolume(name: "shared")])
        var observed = apply(try planned(desired, external), to: external, desired: desired)
        observed.containers.append(foreignContainer(service: "old", number: 1))
        let kept = Planner.planDown(desired: desired, observed: observed)
        #expect(kept.render() == """
            1. stop container demo-app-1
            2. remove container demo-app-1 [after 1]
            3. remove network demo_default [after 2]
            warning: found orphan containers (demo-old-1) for this project; run with --remove-orphans to remove them

            """)
        let all = Planner.planDown(
            desired: desired, observed: observed, options: DownOptions(removeVolumes: true, removeOrphans: true))
        #expect(all.render() == """
            1. stop container demo-old-1 (orphan)
            2. remove container demo-old-1 (orphan) [after 1]
            3. stop container demo-app-1
            4. remove container demo-app-1 [after 3]
            5. remove network demo_default [after 2,4]
            6. remove volume demo_data [after 2,4]

            """)
    }

    @Test func runContainersOfTheProjectGoFirst() throws {
        let desired = try desiredState("""
            services:
              app:
                image: busybox
            """)
        var observed = apply(try planned(desired), to: ObservedState(), desired: desired)
        var oneOff = try #require(observed.containers.first)
        oneOff.id = "feedfeedfeed"
        oneOff.name = "demo-app-run-0123456789ab"
        oneOff.labels["com.docker.compose.oneoff"] = "True"
        observed.containers.append(oneOff)
        let plan = Planner.planDown(desired: desired, observed: observed)
        #expect(plan.render() == """
            1. stop container demo-app-run-0123456789ab (one-off)
            2. remove container demo-app-run-0123456789ab (one-off) [after 1]
            3. stop container demo-app-1
            4. remove container demo-app-1 [after 3]
            5. remove network demo_default [after 2,4]

            """)
        #expect(plan.orphans.isEmpty)
    }
}
