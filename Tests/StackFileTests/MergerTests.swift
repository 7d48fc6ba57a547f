import Testing
import StackCore
@testable import StackFile

@Suite struct MergerTests {
    func tree(_ text: String) throws -> Node {
        try #require(try YAMLParser().parse(text, file: "t.yaml").first)
    }

    func merged(_ base: String, _ override: String) throws -> Node {
        Merger().merge(try tree(base), try tree(override)).withoutMergeTags()
    }

    @Test func mappingsMergeAndScalarsOverride() throws {
        let result = try merged(
            "services: {web: {image: a, labels: {x: '1', y: '2'}}}",
            "services: {web: {image: b, labels: {y: '3', z: '4'}}, db: {image: c}}")
        #expect(result["services"]?["web"]?["image"]?.string == "b")
        #expect(result["services"]?["web"]?["labels"]?["x"]?.string == "1")
        #expect(result["services"]?["web"]?["labels"]?["y"]?.string == "3")
        #expect(result["services"]?["web"]?["labels"]?["z"]?.string == "4")
        #expect(result["services"]?["db"]?["image"]?.string == "c")
    }

    @Test func sequencesAppendWithoutDuplicates() throws {
        let result = try merged("services: {w: {dns: [a, b]}}", "services: {w: {dns: [b, c]}}")
        #expect(result["services"]?["w"]?["dns"]?.items?.compactMap(\.string) == ["a", "b", "c"])
    }

    @Test func commandEntrypointAndHealthcheckTestAreReplaced() throws {
        let result = try merged(
            "services: {w: {command: [a, b], entrypoint: [x], healthcheck: {test: [CMD, t], retries: 3}}}",
            "services: {w: {command: [c], entrypoint: [y, z], healthcheck: {test: [CMD-SHELL, u]}}}")
        let w = try #require(result["services"]?["w"])
        #expect(w["command"]?.items?.compactMap(\.string) == ["c"])
        #expect(w["entrypoint"]?.items?.compactMap(\.string) == ["y", "z"])
        #expect(w["healthcheck"]?["test"]?.items?.compactMap(\.string) == ["CMD-SHELL", "u"])
        #expect(w["healthcheck"]?["retries"]?.scalar == .int(3))
    }

    @Test func portsMergeByKey() throws {
        let result = try merged(
            """
            services: {w: {ports: [{target: 80, published: '8080', protocol: tcp, mode: ingress},
                                   {target: 443, protocol: tcp, mode: ingress}]}}
            """,
            """
            services: {w: {ports: [{target: 80, published: '8080', protocol: tcp, mode: host},
                                   {target: 53, protocol: udp, mode: ingress}]}}
            """)
        let ports = try #require(result["services"]?["w"]?["ports"]?.items)
        #expect(ports.count == 3)
        #expect(ports[0]["mode"]?.string == "host")
        #expect(ports[2]["target"]?.scalar == .int(53))
    }

    @Test func volumesAndDevicesMergeByTargetInPlace() throws {
        let result = try merged(
            "services: {w: {volumes: [{type: volume, source: a, target: /a}, {type: bind, source: /b, target: /b}]}}",
            "services: {w: {volumes: [{type: volume, source: z, target: /a}, {type: volume, source: c, target: /c}]}}")
        let volumes = try #require(result["services"]?["w"]?["volumes"]?.items)
        #expect(volumes.compactMap { $0["source"]?.string } == ["z", "/b", "c"])
    }

    @Test func resetRemovesAndOverrideReplaces() throws {
        let result = try merged(
            "services: {w: {ports: [{target: 80}], environment: {A: '1', B: '2'}, labels: {x: '1'}}}",
            "services: {w: {ports: !reset [], environment: {A: !reset null}, labels: !override {y: '2'}}}")
        let w = try #require(result["services"]?["w"])
        #expect(w["ports"] == nil)
        #expect(w["environment"]?["A"] == nil)
        #expect(w["environment"]?["B"]?.string == "2")
        #expect(w["labels"]?["x"] == nil)
        #expect(w["labels"]?["y"]?.string == "2")
    }

    @Test func resetInFirstFileLeavesNothing() throws {
        let result = Merger().merge(.mapping([], .synthetic("x")), try tree("a: !reset [1]\nb: 2\n")).withoutMergeTags()
        #expect(result["a"] == nil)
        #expect(result["b"]?.scalar == .int(2))
    }

    @Test func ulimitsAreReplacedPerName() throws {
        let result = try merged(
            "services: {w: {ulimits: {nofile: {soft: 1, hard: 2}, nproc: 5}}}",
            "services: {w: {ulimits: {nofile: {soft: 3}}}}")
        let ulimits = try #require(result["services"]?["w"]?["ulimits"])
        #expect(ulimits["nofile"]?["soft"]?.scalar == .int(3))
        #expect(ulimits["nofile"]?["hard"] == nil)
        #expect(ulimits["nproc"]?.scalar == .int(5))
    }

    @Test func loggingWithOtherDriverStartsOver() throws {
        let distinct = try merged(
            "services: {w: {logging: {driver: local, options: {max-size: 10m}}}}",
            "services: {w: {logging: {driver: syslog, options: {tag: x}}}}")
        #expect(distinct["services"]?["w"]?["logging"]?["options"]?["max-size"] == nil)
        let same = try merged(
            "services: {w: {logging: {options: {max-size: 10m}}}}",
            "services: {w: {logging: {options: {max-file: 3}}}}")
        #expect(same["services"]?["w"]?["logging"]?["options"]?.entries?.count == 2)
    }

    @Test func overrideMarksWin() throws {
        let base = try tree("services: {w: {image: a}}")
        let override = try YAMLParser().parse("services:\n  w:\n    image: b\n", file: "o.yaml")[0]
        let result = Merger().merge(base, override)
        #expect(result["services"]?["w"]?["image"]?.mark.file == "o.yaml")
        #expect(result["services"]?["w"]?["image"]?.mark.line == 3)
    }
}
