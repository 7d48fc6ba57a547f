import Testing
import StackCore
@testable import StackFile

@Suite struct ProfileTests {
    let files = [
        "/p/compose.yaml": """
        services:
          web: {image: w}
          debug: {image: d, profiles: [dev]}
          tools: {image: t, profiles: [ops, dev]}
        """
    ]

    func names(_ stack: LoadedStack) -> [String] { stack.canonical["services"]?.entries?.map(\.key).sorted() ?? [] }

    @Test func profilesSelectServices() throws {
        #expect(names(try loadStack(files)) == ["web"])
        #expect(names(try loadStack(files, profiles: ["dev"])) == ["debug", "tools", "web"])
        #expect(names(try loadStack(files, profiles: ["ops"])) == ["tools", "web"])
        #expect(names(try loadStack(files, env: ["COMPOSE_PROFILES": "ops,dev"])) == ["debug", "tools", "web"])
        #expect(names(try loadStack(files, profiles: ["*"])) == ["debug", "tools", "web"])
        #expect(names(try loadStack(files, services: ["debug"])) == ["debug", "web"])
        #expect(try loadStack(files).allProfiles == ["dev", "ops"])
    }

    @Test func dependingOnADisabledServiceIsAnError() {
        let error = stackError {
            try loadStack(["/p/compose.yaml": "services:\n  web: {image: w, depends_on: [debug]}\n  debug: {image: d, profiles: [dev]}\n"])
        }
        #expect(error?.message.contains("disabled") == true)
        #expect(error?.path == "services.web.depends_on.debug")
    }
}

@Suite struct ExtendsTests {
    @Test func sameFileAndOtherFileWithRelativePaths() throws {
        let stack = try loadStack([
            "/p/compose.yaml": """
            services:
              base: {image: busybox, environment: {A: '1'}, command: [echo, base]}
              child:
                extends: base
                command: [echo, child]
                environment: {B: '2'}
              remote:
                extends: {file: lib/common.yaml, service: builder}
            """,
            "/p/lib/common.yaml": """
            services:
              builder:
                build: ./ctx
                volumes: ["./data:/data"]
            """,
        ])
        let child = try #require(stack.canonical["services"]?["child"])
        #expect(child["image"]?.string == "busybox")
        #expect(child["command"]?.items?.compactMap(\.string) == ["echo", "child"])
        #expect(child["environment"]?["A"]?.string == "1")
        #expect(child["environment"]?["B"]?.string == "2")
        #expect(child["extends"] == nil)
        let remote = try #require(stack.canonical["services"]?["remote"])
        #expect(remote["build"]?["context"]?.string == "/p/lib/ctx")
        #expect(remote["volumes"]?.items?.first?["source"]?.string == "/p/lib/data")
    }

    @Test func cyclesAndMissingServicesAreErrors() {
        let cycle = stackError {
            try loadStack(["/p/compose.yaml": "services:\n  a: {image: x, extends: b}\n  b: {image: x, extends: a}\n"])
        }
        #expect(cycle?.message.contains("circular") == true)
        let missing = stackError { try loadStack(["/p/compose.yaml": "services:\n  a: {image: x, extends: nope}\n"]) }
        #expect(missing?.message.contains("nope") == true)
        #expect(missing?.mark?.line == 2)
    }
}

@Suite struct IncludeTests {
    @Test func includedStacksAddTheirResources() throws {
        let stack = try loadStack([
            "/p/compose.yaml": "include:\n  - sub/compose.yaml\nservices:\n  web: {image: w, depends_on: [db]}\n",
            "/p/sub/compose.yaml": "services:\n  db:\n    image: postgres\n    volumes: [./init:/init, data:/var/lib/db]\nvolumes:\n  data: {}\n",
        ])
        let db = try #require(stack.canonical["services"]?["db"])
        #expect(db["volumes"]?.items?.first?["source"]?.string == "/p/sub/init")
        #expect(stack.canonical["volumes"]?["data"]?["name"]?.string == "p_data")
    }

    @Test func conflictingNamesAreAnError() {
        let error = stackError {
            try loadStack([
                "/p/compose.yaml": "include: [sub/compose.yaml]\nservices:\n  db: {image: mine}\n",
                "/p/sub/compose.yaml": "services:\n  db: {image: theirs}\n",
            ])
        }
        #expect(error?.message.contains("services.db") == true)
    }
}

@Suite struct NormalizationTests {
    @Test func defaultsAreFilledIn() throws {
        let stack = try loadStack([
            "/p/compose.yaml": """
            services:
              web:
                image: w
                volumes: ["./site:/srv", "data:/data"]
                build: .
              host: {image: h, network_mode: host}
              back: {image: b, networks: [internal]}
            networks:
              internal: {}
              outside: {external: true}
            volumes:
              data: {}
              kept: {name: custom}
            """
        ])
        let c = stack.canonical
        #expect(c["name"]?.string == "p")
        #expect(c["services"]?["web"]?["networks"]?.entry("default") != nil)
        #expect(c["services"]?["host"]?["networks"] == nil)
        #expect(c["networks"]?["default"]?["name"]?.string == "p_default")
        #expect(c["networks"]?["internal"]?["name"]?.string == "p_internal")
        #expect(c["networks"]?["outside"]?["name"]?.string == "outside")
        #expect(c["volumes"]?["data"]?["name"]?.string == "p_data")
        #expect(c["volumes"]?["kept"]?["name"]?.string == "custom")
        #expect(c["services"]?["web"]?["volumes"]?.items?.first?["source"]?.string == "/p/site")
        #expect(c["services"]?["web"]?["build"]?["context"]?.string == "/p")
        #expect(c["services"]?["web"]?["build"]?["dockerfile"]?.string == "Dockerfile")
    }
}

@Suite struct ConsistencyTests {
    func error(_ yaml: String) -> StackError? {
        stackError { try loadStack(["/p/compose.yaml": yaml]) }
    }

    @Test func undefinedReferences() {
        let network = error("services:\n  web:\n    image: w\n    networks: [front]\n")
        #expect(network?.message.contains("undefined network \"front\"") == true)
        #expect(network?.mark?.line == 4)
        #expect(error("services:\n  web: {image: w, volumes: ['data:/d']}\n")?.message.contains("undefined volume") == true)
        #expect(error("services:\n  web: {image: w, depends_on: [db]}\n")?.message.contains("undefined service \"db\"") == true)
        #expect(error("services:\n  web: {image: w, secrets: [s]}\n")?.message.contains("undefined secret") == true)
        #expect(error("services:\n  web: {image: w, volumes_from: [nope]}\n")?.message.contains("nope") == true)
        #expect(error("services:\n  web: {image: w, network_mode: 'service:nope'}\n")?.message.contains("nope") == true)
    }

    @Test func optionalDependencyOnMissingServiceIsAWarning() throws {
        let stack = try loadStack([
            "/p/compose.yaml": "services:\n  web:\n    image: w\n    depends_on:\n      db: {condition: service_healthy, required: false}\n"
        ])
        #expect(stack.warnings.contains { $0.message.contains("db") })
    }

    @Test func cyclesAreNamed() {
        let cycle = error("services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [c]}\n  c: {image: x, depends_on: [a]}\n")
        #expect(cycle?.message.contains("a -> b -> c -> a") == true)
        #expect(error("services:\n  a: {image: x, depends_on: [a]}\n")?.message.contains("cycle") == true)
    }

    @Test func conflictsAndBadValues() {
        #expect(error("services:\n  a: {image: x, network_mode: host, networks: [n]}\nnetworks: {n: {}}\n")?.message.contains("mutually exclusive") == true)
        #expect(error("services:\n  a: {build: {}, image: x}\n  b: {}\n")?.message.contains("neither an image nor a build") == true)
        #expect(error("services:\n  a: {image: x, restart: sometimes}\n")?.message.contains("restart policy") == true)
        #expect(error("services:\n  a: {image: x, container_name: cc, deploy: {replicas: 2}}\n")?.message.contains("replicas") == true)
        #expect(error("services:\n  a: {image: x, container_name: cc}\n  b: {image: y, container_name: cc}\n")?.message.contains("same container_name") == true)
    }

    @Test func staticAddressesNeedAMatchingSubnet() {
        let base = "services:\n  a:\n    image: x\n    networks:\n      n: {ipv4_address: %@}\nnetworks:\n  n:%@\n"
        func yaml(_ ip: String, _ net: String) -> String {
            base.replacingOccurrences(of: "%@", with: ip, count: 1).replacingOccurrences(of: "%@", with: net, count: 1)
        }
        #expect(error(yaml("172.28.0.9", " {}"))?.message.contains("needs a subnet") == true)
        #expect(error(yaml("10.0.0.1", " {ipam: {config: [{subnet: 172.28.0.0/16}]}}"))?.message.contains("outside") == true)
        #expect(error(yaml("300.1.1.1", " {ipam: {config: [{subnet: 172.28.0.0/16}]}}"))?.message.contains("not a valid") == true)
        #expect(error(yaml("172.28.0.9", " {ipam: {config: [{subnet: 172.28.0.0/16}]}}")) == nil)
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String, count: Int) -> String {
        var result = self
        var done = 0
        while done < count, let range = result.firstRange(of: target) {
            result.replaceSubrange(range, with: replacement)
            done += 1
        }
        return result
    }
}
