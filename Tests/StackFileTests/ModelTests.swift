import StackCore
import StackModel
import Testing

@Suite struct ModelTests {
    @Test func restartPolicyParsing() {
        #expect(RestartPolicy(parsing: "no") == RestartPolicy.no)
        #expect(RestartPolicy(parsing: "always") == .always)
        #expect(RestartPolicy(parsing: "unless-stopped") == .unlessStopped)
        #expect(RestartPolicy(parsing: "on-failure") == .onFailure(maxRetries: nil))
        #expect(RestartPolicy(parsing: "on-failure:5") == .onFailure(maxRetries: 5))
        #expect(RestartPolicy(parsing: "on-failure:x") == nil)
        #expect(RestartPolicy(parsing: "on-failure:-1") == nil)
        #expect(RestartPolicy(parsing: "sometimes") == nil)
        #expect(RestartPolicy.onFailure(maxRetries: 5).description == "on-failure:5")
        #expect(RestartPolicy.unlessStopped.description == "unless-stopped")
    }

    @Test func networkModeParsing() {
        #expect(NetworkMode(parsing: "none") == NetworkMode.none)
        #expect(NetworkMode(parsing: "host") == .host)
        #expect(NetworkMode(parsing: "service:db") == .service("db"))
        #expect(NetworkMode(parsing: "container:abc") == .container("abc"))
        #expect(NetworkMode(parsing: "my-net") == .custom("my-net"))
        #expect(NetworkMode.service("db").description == "service:db")
    }

    @Test func volumesFromParsing() {
        #expect(VolumesFrom(parsing: "web") == VolumesFrom(.service("web")))
        #expect(VolumesFrom(parsing: "web:ro") == VolumesFrom(.service("web"), readOnly: true))
        #expect(VolumesFrom(parsing: "container:c1:rw") == VolumesFrom(.container("c1")))
        #expect(VolumesFrom(parsing: "container:c1:ro")?.description == "container:c1:ro")
        #expect(VolumesFrom(parsing: "a:b:c") == nil)
        #expect(VolumesFrom(parsing: "") == nil)
    }

    @Test func portRangeParsing() {
        #expect(PortRange(parsing: "80") == PortRange(80))
        #expect(PortRange(parsing: "8000-8010")?.count == 11)
        #expect(PortRange(parsing: "8010-8000") == nil)
        #expect(PortRange(parsing: "70000") == nil)
        #expect(PortRange(parsing: "8000-8010")?.description == "8000-8010")
    }

    @Test func pullPolicyAndFileMode() {
        #expect(PullPolicy(parsing: "if_not_present") == .missing)
        #expect(PullPolicy(parsing: "every_12h") == .refresh(.seconds(12 * 3600)))
        #expect(PullPolicy(parsing: "every_2d") == .refresh(.seconds(2 * 86_400)))
        #expect(PullPolicy(parsing: "sometimes") == nil)
        #expect(PullPolicy.refresh(.seconds(3600)).description == "every_1h0m0s")
        #expect(FileMode(octal: "0440")?.rawValue == 0o440)
        #expect(FileMode(octal: "0o755")?.rawValue == 0o755)
        #expect(FileMode(octal: "9") == nil)
        #expect(FileMode(0o644).description == "0644")
        #expect(Duration.milliseconds(1500).totalNanoseconds == 1_500_000_000)
    }

    @Test func replicasPreferDeployThenScale() {
        var service = Service(name: "s")
        #expect(service.replicas == 1)
        service.scale = 3
        #expect(service.replicas == 3)
        service.deploy = DeployConfig(replicas: 5)
        #expect(service.replicas == 5)
        service.deploy = DeployConfig(replicas: 0)
        #expect(service.replicas == 0)
    }

    func service(_ name: String, dependsOn: [String] = [], mode: NetworkMode? = nil, from: [String] = []) -> Service {
        var service = Service(name: name)
        for dependency in dependsOn { service.dependsOn[dependency] = Dependency() }
        service.networkMode = mode
        service.volumesFrom = from.map { VolumesFrom(.service($0)) }
        return service
    }

    @Test func dependencyOrderIsTopologicalAndStableByName() throws {
        let project = Project(
            name: "p", workingDirectory: "/",
            services: [
                service("web", dependsOn: ["api", "cache"]),
                service("api", dependsOn: ["db"]),
                service("db"),
                service("cache"),
                service("admin", dependsOn: ["db"]),
                service("zeta"),
                service("sidecar", mode: .service("web")),
                service("backup", from: ["db"]),
                service("ext", dependsOn: ["not-in-project"]),
            ])
        #expect(try project.dependencyOrderNames() == [
            "cache", "db", "admin", "api", "backup", "ext", "web", "sidecar", "zeta",
        ])
    }

    @Test func dependencyCycleIsNamed() throws {
        let project = Project(
            name: "p", workingDirectory: "/",
            services: [
                service("a", dependsOn: ["b"]), service("b", dependsOn: ["c"]), service("c", dependsOn: ["a"]),
                service("d", dependsOn: ["a"]), service("free"),
            ])
        do {
            _ = try project.dependencyOrder()
            Issue.record("a cycle must throw")
        } catch {
            #expect(error.code == .invalidStackFile)
            #expect(error.message == "dependency cycle detected: a -> b -> c -> a")
        }
    }

    @Test func selfDependencyIsIgnoredButMutualIsACycle() throws {
        var selfish = service("a")
        selfish.dependsOn["a"] = Dependency()
        #expect(try Project(name: "p", workingDirectory: "/", services: [selfish]).dependencyOrderNames() == ["a"])
        let mutual = Project(
            name: "p", workingDirectory: "/", services: [service("x", dependsOn: ["y"]), service("y", dependsOn: ["x"])])
        #expect(throws: StackError.self) { try mutual.dependencyOrder() }
    }
}
