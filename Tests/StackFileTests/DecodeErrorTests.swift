import StackCore
import StackModel
import Testing

@testable import StackFile

@Suite struct DecodeErrorTests {
    /// Decodes `yaml` and returns the error it must fail with.
    func failure(_ yaml: String) throws -> StackError {
        let root = try #require(try YAMLParser().parse(yaml, file: "compose.yaml").first)
        do {
            _ = try ProjectDecoder.decode(root, name: "p", workingDirectory: "/w")
        } catch {
            return error
        }
        Issue.record("decoding succeeded but should have failed")
        return StackError(.internalError, "no error")
    }

    @Test func wrongScalarTypeNamesPathAndMark() throws {
        let error = try failure("""
            services:
              web:
                image: nginx
                ports:
                  - target: http
                    protocol: tcp
            """)
        #expect(error.code == .invalidStackFile)
        #expect(error.path == "services.web.ports[0].target")
        #expect(error.mark?.line == 5)
        #expect(error.mark?.column == 17)
        #expect(error.message == "expected an integer, got string \"http\"")
        #expect(error.description.hasPrefix("compose.yaml:5:17: services.web.ports[0].target: "))
    }

    @Test func integerOutOfRange() throws {
        let error = try failure("services:\n  web:\n    ports:\n      - target: 70000\n")
        #expect(error.path == "services.web.ports[0].target")
        #expect(error.message.contains("out of range"))
    }

    @Test func integersAlsoFromStrings() throws {
        let project = try decodeProject("services:\n  web:\n    ports:\n      - target: \"8080\"\n    pids_limit: '12'\n")
        #expect(project.services.first?.ports.first?.target == 8080)
        #expect(project.services.first?.pidsLimit == 12)
    }

    @Test func extraHostsAlsoAsMapping() throws {
        let project = try decodeProject("services:\n  web:\n    extra_hosts:\n      b: 10.0.0.2\n      a: [10.0.0.1, '::1']\n")
        #expect(project.services.first?.extraHosts == [
            ExtraHost(hostname: "a", address: "10.0.0.1"), ExtraHost(hostname: "a", address: "::1"),
            ExtraHost(hostname: "b", address: "10.0.0.2"),
        ])
        let error = try failure("services:\n  web:\n    extra_hosts: [nohost]\n")
        #expect(error.path == "services.web.extra_hosts[0]")
    }

    @Test func unknownEnumValueListsTheAcceptedOnes() throws {
        let error = try failure("services:\n  web:\n    ports:\n      - target: 80\n        protocol: icmp\n")
        #expect(error.path == "services.web.ports[0].protocol")
        #expect(error.message == "invalid value \"icmp\"; expected one of \"tcp\", \"udp\", \"sctp\"")
        #expect(error.mark?.line == 5)
    }

    @Test func missingRequiredKeyPointsAtTheMapping() throws {
        let error = try failure("""
            services:
              web:
                volumes:
                  - type: bind
                    source: /x
            """)
        #expect(error.path == "services.web.volumes[0]")
        #expect(error.message == "missing required key \"target\"")
        #expect(error.mark?.line == 4)
    }

    @Test func invalidRestartPolicy() throws {
        let error = try failure("services:\n  web:\n    restart: sometimes\n")
        #expect(error.path == "services.web.restart")
        #expect(error.message.contains("invalid restart policy \"sometimes\""))
        #expect(error.mark?.line == 3 && error.mark?.column == 14)
    }

    @Test func invalidDuration() throws {
        let error = try failure("services:\n  web:\n    healthcheck:\n      interval: soon\n")
        #expect(error.path == "services.web.healthcheck.interval")
        #expect(error.message.contains("invalid duration \"soon\""))
    }

    @Test func collectionWhereMappingExpected() throws {
        let error = try failure("services:\n  web:\n    environment:\n      - A=1\n")
        #expect(error.path == "services.web.environment")
        #expect(error.message == "expected a mapping, got a sequence")
        #expect(error.mark?.line == 4)
    }

    @Test func dependencyConditionPath() throws {
        let error = try failure("services:\n  web:\n    depends_on:\n      db:\n        condition: started\n  db: {}\n")
        #expect(error.path == "services.web.depends_on.db.condition")
        #expect(error.message.contains("service_healthy"))
    }

    @Test func nullWhereStringRequired() throws {
        let error = try failure("services:\n  web:\n    volumes:\n      - type: volume\n        target: null\n")
        #expect(error.path == "services.web.volumes[0].target")
        #expect(error.message == "expected a string, got null")
    }

    @Test func badListItemIndex() throws {
        let error = try failure("services:\n  web:\n    volumes_from: [a, 'container:', b]\n")
        #expect(error.path == "services.web.volumes_from[1]")
        #expect(error.mark?.column == 23)
    }

    @Test func invalidFileModeAndByteSize() throws {
        let mode = try failure("services:\n  web:\n    secrets:\n      - source: s\n        mode: \"0999\"\n")
        #expect(mode.path == "services.web.secrets[0].mode")
        #expect(mode.message.contains("octal"))
        let size = try failure("services:\n  web:\n    mem_limit: lots\n")
        #expect(size.path == "services.web.mem_limit")
        #expect(size.message == "invalid byte size \"lots\"")
    }

    @Test func serviceMustBeAMapping() throws {
        let error = try failure("services:\n  web: nginx\n")
        #expect(error.path == "services.web")
        #expect(error.message == "expected a mapping, got string \"nginx\"")
    }

    @Test func rootMustBeAMapping() throws {
        let error = try failure("- a\n- b\n")
        #expect(error.message.contains("must be a mapping"))
        #expect(error.mark?.line == 1)
    }
}
