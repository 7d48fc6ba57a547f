import Testing
import StackCore
@testable import StackFile

// MARK: CanonFixture helpers shared by the Canonical*Tests suites

/// A node without positions, for comparing results with expectations written as YAML.
indirect enum CanonPlain: Equatable, CustomStringConvertible {
    case null, bool(Bool), int(Int), float(Double), string(String)
    case list([CanonPlain])
    case map([String: CanonPlain])

    init(_ node: Node) {
        switch node.kind {
        case .scalar(.null): self = .null
        case .scalar(.bool(let b)): self = .bool(b)
        case .scalar(.int(let i)): self = .int(i)
        case .scalar(.float(let d, _)): self = .float(d)
        case .scalar(.string(let s)): self = .string(s)
        case .sequence(let items): self = .list(items.map(CanonPlain.init))
        case .mapping(let entries):
            var map: [String: CanonPlain] = [:]
            for entry in entries { map[entry.key] = CanonPlain(entry.value) }
            self = .map(map)
        }
    }

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .int(let i): return "\(i)"
        case .float(let d): return "\(d)"
        case .string(let s): return "\"\(s)\""
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .map(let map):
            return "{" + map.keys.sorted().map { "\($0): \(map[$0]?.description ?? "")" }.joined(separator: ", ") + "}"
        }
    }
}

enum CanonFixture {
    static func parse(_ yaml: String) throws -> Node {
        try #require(try YAMLParser().parse(yaml, file: "compose.yaml").first)
    }

    /// Canonicalizes a whole file.
    static func canonical(_ yaml: String) throws -> Node {
        try Canonicalizer().canonicalize(try parse(yaml))
    }

    /// Canonicalizes `services.web.<key>: <value>` (value in YAML flow syntax) and returns the
    /// resulting value of that key.
    static func field(_ key: String, _ value: String) throws -> CanonPlain {
        let root = try canonical("services:\n  web:\n    \(key): \(value)\n")
        return CanonPlain(try #require(root["services"]?["web"]?[key]))
    }

    /// The plain form of a YAML value written in flow syntax.
    static func plain(_ yaml: String) throws -> CanonPlain {
        CanonPlain(try #require(try YAMLParser().parse("v: \(yaml)\n", file: "expected.yaml").first?["v"]))
    }

    /// The error canonicalizing `yaml` throws (nil if none).
    static func error(_ yaml: String) throws -> StackError? {
        let root = try parse(yaml)
        do {
            _ = try Canonicalizer().canonicalize(root)
            return nil
        } catch {
            return error
        }
    }
}

// MARK: Whole-file behaviour

@Suite struct CanonicalizerTests {
    @Test func topLevelNullElementsBecomeEmptyMappings() throws {
        let root = try CanonFixture.canonical("networks:\n  front:\nvolumes:\n  data: ~\nsecrets:\n  s: {file: ./s}\n")
        #expect(CanonPlain(try #require(root["networks"]?["front"])) == .map([:]))
        #expect(CanonPlain(try #require(root["volumes"]?["data"])) == .map([:]))
        #expect(root["networks"]?["front"]?.mark.line == 2)
    }

    @Test func legacyExternalNameBecomesNameAndTrue() throws {
        let yaml = "volumes:\n  v:\n    external:\n      name: real\nnetworks:\n  n:\n    external: 'true'\n"
        var warnings: [StackWarning] = []
        let root = try Canonicalizer().canonicalize(try CanonFixture.parse(yaml), warnings: &warnings)
        #expect(CanonPlain(try #require(root["volumes"]?["v"])) == (try CanonFixture.plain("{external: true, name: real}")))
        #expect(root["networks"]?["n"]?["external"]?.scalar == .bool(true))
        #expect(warnings.count == 1)
        #expect(warnings.first?.mark?.line == 4)
    }

    @Test func externalNameConflictingWithNameIsAnError() throws {
        let error = try #require(try CanonFixture.error("volumes:\n  v:\n    name: a\n    external: {name: b}\n"))
        #expect(error.message.contains("name and external.name conflict"))
        #expect(error.path == "volumes.v")
        #expect(error.mark?.line == 4)
    }

    @Test func topLevelOptionsAndLabelsAreStrings() throws {
        let root = try CanonFixture.canonical("""
            networks:
              n:
                driver_opts: {mtu: 1500, x: null}
                labels: [a=1, b]
                internal: "yes"
                ipam:
                  config:
                    - subnet: 10.0.0.0/24
                      aux_addresses: [host1=10.0.0.5]
            """)
        let expected = try CanonFixture.plain("""
            {driver_opts: {mtu: "1500", x: ""}, labels: {a: "1", b: ""}, internal: true,
             ipam: {config: [{subnet: 10.0.0.0/24, aux_addresses: {host1: 10.0.0.5}}]}}
            """)
        #expect(CanonPlain(try #require(root["networks"]?["n"])) == expected)
    }

    @Test func extensionsAndUnknownKeysAreUntouched() throws {
        let root = try CanonFixture.canonical("""
            x-common: {ports: ["80:80"], environment: [A=1]}
            services:
              web:
                x-ports: ["80:80"]
                image: nginx
              x-svc:
                ports: ["81:81"]
            """)
        #expect(CanonPlain(try #require(root["x-common"])) == (try CanonFixture.plain(#"{ports: ["80:80"], environment: [A=1]}"#)))
        #expect(CanonPlain(try #require(root["services"]?["web"]?["x-ports"])) == .list([.string("80:80")]))
        // Under services, an x- key is a service like any other.
        #expect(root["services"]?["x-svc"]?["ports"]?.items?.first?.isMapping == true)
    }

    @Test func mergeTagsAreKept() throws {
        let root = try CanonFixture.canonical("""
            services:
              web:
                ports: !override ["80:80"]
                environment: !reset
                command: !override echo hi
                volumes: !reset []
            """)
        let web = try #require(root["services"]?["web"])
        #expect(web["ports"]?.tag == .override)
        #expect(web["ports"]?.items?.first?["target"]?.scalar == .int(80))
        #expect(web["environment"]?.tag == .reset)
        #expect(web["command"]?.tag == .override)
        #expect(CanonPlain(try #require(web["command"])) == .list([.string("echo"), .string("hi")]))
        #expect(web["volumes"]?.tag == .reset)
    }

    @Test func derivedNodesKeepTheirSourcePositions() throws {
        let root = try CanonFixture.canonical("services:\n  web:\n    ports:\n      - 8080\n      - \"9090-9091:80-81\"\n")
        let ports = try #require(root["services"]?["web"]?["ports"]?.items)
        #expect(ports.count == 3)
        #expect(ports[0].mark.line == 4)
        #expect(ports[0]["target"]?.mark.line == 4)
        #expect(ports[2].mark.line == 5)
        #expect(ports[2].mark.column == 9)
        #expect(ports[2].entry("published")?.keyMark.line == 5)
    }

    @Test func includeStringsBecomeMappings() throws {
        let root = try CanonFixture.canonical("include:\n  - other.yaml\n  - path: a.yaml\n    env_file: a.env\n")
        let expected = try CanonFixture.plain("[{path: [other.yaml]}, {path: [a.yaml], env_file: [a.env]}]")
        #expect(CanonPlain(try #require(root["include"])) == expected)
    }

    @Test func nonMappingRootIsRejected() throws {
        let error = try #require(try CanonFixture.error("- a\n- b\n"))
        #expect(error.message.contains("top-level object must be a mapping"))
    }
}
