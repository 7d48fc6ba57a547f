import Testing
import StackCore
@testable import StackFile

@Suite struct CanonicalKeyValueTests {
    static let cases: [(key: String, input: String, expected: String)] = [
        ("environment", "[FOO=1, BAR=a=b, BU=, ZO, FOO=2]", #"{FOO: "2", BAR: "a=b", BU: "", ZO: null}"#),
        ("environment", "{A: 1, B: 2.50, C: true, D: null, E: ''}", #"{A: "1", B: "2.50", C: "true", D: null, E: ""}"#),
        ("labels", "[com.example=1, bare]", #"{com.example: "1", bare: ""}"#),
        ("labels", "{n: 42, e: null}", #"{n: "42", e: ""}"#),
        ("annotations", "[a=b]", "{a: b}"),
        ("sysctls", "{net.core.somaxconn: 1024}", #"{net.core.somaxconn: "1024"}"#),
        ("sysctls", "[net.ipv4.ip_forward=1]", #"{net.ipv4.ip_forward: "1"}"#),
        ("extra_hosts", #"["b:10.0.0.2", "a=10.0.0.1", "v6=::1", "c=1.1.1.1,2.2.2.2"]"#,
         #"["a=10.0.0.1", "b=10.0.0.2", "c=1.1.1.1", "c=2.2.2.2", "v6=::1"]"#),
        ("extra_hosts", #"{h: "[::1]", m: [10.0.0.1, 10.0.0.2]}"#, #"["h=::1", "m=10.0.0.1", "m=10.0.0.2"]"#),
        ("storage_opt", "{size: 20G, n: 3}", #"{size: 20G, n: "3"}"#),
    ]

    @Test(arguments: cases)
    func listsAndMappingsBecomeMappings(key: String, input: String, expected: String) throws {
        #expect(try CanonFixture.field(key, input) == CanonFixture.plain(expected))
    }

    static let invalid: [(key: String, entry: String, message: String)] = [
        ("environment", "'DEBUG = true'", "environment variable DEBUG  is declared with a trailing space"),
        ("environment", "[1, 2]", "must be a KEY=VALUE string"),
        ("extra_hosts", "nohost", "invalid additional host, missing IP: nohost"),
        ("extra_hosts", "'=1.2.3.4'", "bad host name ''"),
    ]

    @Test(arguments: invalid)
    func invalidEntriesNameTheirPosition(key: String, entry: String, message: String) throws {
        let yaml = "services:\n  web:\n    \(key):\n      - A=1\n      - \(entry)\n"
        let error = try #require(try CanonFixture.error(yaml))
        #expect(error.message.contains(message), "\(error.message)")
        #expect(error.path == "services.web.\(key)[1]")
        #expect(error.mark?.line == 5)
        #expect(error.mark?.column == 9)
    }

    @Test func mappingValueThatIsACollectionIsAnError() throws {
        let error = try #require(try CanonFixture.error("services:\n  web:\n    environment:\n      FOO: [1]\n"))
        #expect(error.message.contains("must be a boolean, null, number or string"))
        #expect(error.path == "services.web.environment.FOO")
        #expect(error.mark?.line == 4)
    }

    @Test func buildArgsKeepBareKeysAsNullButLabelsDoNot() throws {
        let build = try CanonFixture.field("build", "{context: ., args: [A, B=1], labels: [L], additional_contexts: [x=./x], ssh: [default, k=/p]}")
        let expected = try CanonFixture.plain(#"{context: ., args: {A: null, B: "1"}, labels: {L: ""}, additional_contexts: {x: ./x}, ssh: {default: null, k: /p}}"#)
        #expect(build == expected)
    }

    @Test func additionalContextsNeedAnEqualsSign() throws {
        let error = try #require(try CanonFixture.error("services:\n  web:\n    build:\n      additional_contexts: [nope]\n"))
        #expect(error.message.contains("expected key=value"))
        #expect(error.path == "services.web.build.additional_contexts[0]")
    }
}
