import Foundation
import Testing
import StackCore
@testable import StackFile

/// Parses inline YAML and validates it with the embedded stack file schema.
private func validate(_ yaml: String) throws(StackError) -> [StackWarning] {
    let docs = try YAMLParser().parse(yaml, file: "stack.yaml")
    let root = docs.first ?? Node.null(.synthetic("empty"))
    var warnings: [StackWarning] = []
    try SchemaValidator.stackFile.validate(root, warnings: &warnings)
    return warnings
}

/// The validation error for `yaml`, or nil when it validates.
private func failure(_ yaml: String) -> StackError? {
    do {
        _ = try validate(yaml)
        return nil
    } catch {
        return error
    }
}

@Suite struct SchemaValidatorTests {
    @Test func embeddedSchemaCompiles() throws {
        // A broken embedded schema would make every validation throw an internal error.
        let warnings = try validate("services:\n  web:\n    image: nginx\n")
        #expect(warnings.isEmpty)
    }

    @Test func validFileWithShortAndLongFormsPasses() throws {
        let warnings = try validate("""
            name: demo
            services:
              web:
                image: nginx:1.27
                build:
                  context: ./web
                  args: [A=1]
                command: ["nginx", "-g", "daemon off;"]
                entrypoint: /entry.sh
                environment:
                  A: 1
                  B: true
                  C:
                  D: text
                env_file:
                  - .env
                  - path: extra.env
                    required: false
                ports:
                  - 80
                  - "8080:80"
                  - "127.0.0.1:9000-9001:9000-9001/udp"
                  - target: 443
                    published: "8443"
                    protocol: tcp
                expose: ["3000", 8000]
                volumes:
                  - ./data:/data:ro
                  - type: tmpfs
                    target: /tmp
                    tmpfs: {size: 1000, mode: 1777}
                  - type: volume
                    source: cache
                    target: /cache
                    volume: {nocopy: true}
                depends_on:
                  db:
                    condition: service_healthy
                    restart: true
                healthcheck:
                  test: ["CMD", "true"]
                  interval: 1m30s
                  retries: 3
                deploy:
                  replicas: 2
                  resources:
                    limits: {cpus: 0.5, memory: 512m, pids: 100}
                  restart_policy: {condition: on-failure, delay: 5s}
                networks:
                  front:
                    aliases: [www]
                  back:
                ulimits:
                  nofile: {soft: 1024, hard: 2048}
                  nproc: 65535
                labels: [a=b]
                develop:
                  watch:
                    - path: ./src
                      action: sync
                      target: /app
                x-note: anything goes here
              db:
                image: postgres
                depends_on: [cache]
              cache:
                image: redis
            networks:
              front:
              back:
                driver: bridge
                ipam:
                  config:
                    - subnet: 10.0.0.0/24
            volumes:
              cache:
                external: true
                name: shared-cache
            secrets:
              token:
                file: ./token.txt
            configs:
              conf:
                content: "a=b"
            x-defaults: &defaults {restart: always}
            """)
        #expect(warnings.isEmpty)
    }

    @Test func numericAndBooleanStringsSatisfyTypedKeys() throws {
        // After interpolation `${REPLICAS}` is the string "3".
        _ = try validate("""
            services:
              web:
                image: x
                init: "true"
                read_only: "no"
                cpus: "1.5"
                scale: "2"
                deploy: {replicas: "3"}
                healthcheck: {retries: "5"}
            """)
        let error = failure("services:\n  web:\n    image: x\n    deploy: {replicas: three}\n")
        #expect(error?.message == "services.web.deploy.replicas must be an integer")
        #expect(error?.mark?.line == 4)
        #expect(error?.mark?.column == 24)
    }

    @Test func wrongTypeNamesTheNode() throws {
        let error = try #require(failure("services:\n  foo:\n    image: [\"busybox\", \"latest\"]\n"))
        #expect(error.message == "services.foo.image must be a string")
        #expect(error.path == "services.foo.image")
        #expect(error.code == .invalidStackFile)
        #expect(error.mark?.line == 3)
        #expect(error.mark?.column == 12)
    }

    @Test func topLevelAndSectionShapes() {
        #expect(failure("[a, b]\n")?.message == "top-level object must be a mapping")
        #expect(failure("hello\n")?.message == "top-level object must be a mapping")
        #expect(failure("services:\n  - web\n")?.message == "services must be a mapping")
        #expect(failure("services:\n  web: nginx\n")?.message == "services.web must be a mapping")
        #expect(failure("volumes:\n  data: local\n")?.message == "volumes.data must be a mapping or null")
    }

    @Test func unknownKeyIsReportedAtTheKeyWithASuggestion() throws {
        let error = try #require(failure("services:\n  foo:\n    imagee: nginx\n"))
        #expect(error.message == "services.foo: additional property 'imagee' is not allowed (did you mean 'image'?)")
        #expect(error.mark?.line == 3)
        #expect(error.mark?.column == 5)
        let swapped = failure("services:\n  foo:\n    image: x\n    prots: [80]\n")
        #expect(swapped?.message.hasSuffix("(did you mean 'ports'?)") == true)
        let far = failure("services:\n  foo:\n    image: x\n    completely_unknown: 1\n")
        #expect(far?.message == "services.foo: additional property 'completely_unknown' is not allowed")
        let top = failure("service:\n  foo:\n    image: x\n")
        #expect(top?.message == "top-level object: additional property 'service' is not allowed (did you mean 'services'?)")
    }

    @Test func extensionKeysAreAllowedWhereComposeAllowsThem() throws {
        let warnings = try validate("""
            x-top: 1
            services:
              web:
                image: x
                x-svc: {a: [1, 2]}
                deploy:
                  x-deploy: yes
                  resources:
                    x-res: 1
                ports:
                  - target: 80
                    x-port: 1
            networks:
              n:
                x-net: 1
            """)
        #expect(warnings.isEmpty)
    }

    @Test func alternativesReportTheBranchThatFitsTheNode() {
        // environment is a mapping: the mapping branch's error, not a generic "does not match".
        #expect(failure("services:\n  dict-env:\n    image: x\n    environment:\n      FOO: [\"1\"]\n")?.message
            == "services.dict-env.environment.FOO must be a boolean, null, number or string")
        // environment is a list: the list branch's error.
        #expect(failure("services:\n  s:\n    image: x\n    environment:\n      - {A: 1}\n")?.message
            == "services.s.environment[0] must be a string")
        // No branch fits: every allowed type is named.
        #expect(failure("services:\n  s:\n    image: x\n    environment: \"FOO=1\"\n")?.message
            == "services.s.environment must be a mapping or array")
        // A long-syntax port with an unknown key.
        #expect(failure("services:\n  s:\n    image: x\n    ports:\n      - target: 80\n        publish: 8080\n")?.message
            == "services.s.ports[0]: additional property 'publish' is not allowed (did you mean 'published'?)")
        // A float where an integer (or a size string) is expected: the integer branch is nearest.
        #expect(failure("""
            services:
              s:
                image: x
                volumes:
                  - type: tmpfs
                    target: /app
                    tmpfs: {size: 0.5}
            """)?.message == "services.s.volumes[0].tmpfs.size must be an integer")
    }

    @Test func boundsEnumsAndRequired() {
        #expect(failure("""
            services:
              s:
                image: x
                volumes:
                  - type: tmpfs
                    target: /app
                    tmpfs: {size: -1}
            """)?.message == "services.s.volumes[0].tmpfs.size must be greater than or equal to 0")
        #expect(failure("services:\n  s:\n    image: x\n    oom_score_adj: 1001\n")?.message
            == "services.s.oom_score_adj must be less than or equal to 1000")
        let condition = failure("services:\n  s:\n    image: x\n    depends_on:\n      db: {condition: service_healty}\n")
        #expect(condition?.message == "services.s.depends_on.db.condition must be one of 'service_started', "
            + "'service_healthy', 'service_completed_successfully', not 'service_healty' (did you mean 'service_healthy'?)")
        let required = failure("services:\n  s:\n    image: x\n    depends_on:\n      db: {required: true}\n")
        #expect(required?.message == "services.s.depends_on.db: missing required property 'condition'")
        #expect(required?.mark?.line == 5)
        let volumeType = failure("services:\n  s:\n    image: x\n    volumes:\n      - {source: a, target: /b}\n")
        #expect(volumeType?.message == "services.s.volumes[0]: missing required property 'type'")
    }

    @Test func formatsPatternsAndUniqueness() {
        #expect(failure("services:\n  s:\n    image: x\n    healthcheck: {interval: ten}\n")?.message
            == "services.s.healthcheck.interval must be a duration such as 30s or 1m30s, not 'ten'")
        #expect(failure("services:\n  s:\n    image: x\n    mem_limit: lots\n")?.message
            == "services.s.mem_limit must be a byte size such as 512m or 1g, not 'lots'")
        #expect(failure("services:\n  s:\n    image: x\n    pull_policy: sometimes\n")?.message.hasPrefix(
            "services.s.pull_policy must match the pattern") == true)
        #expect(failure("services:\n  s:\n    image: x\n    pull_policy: every_12h\n") == nil)
        let duplicate = failure("services:\n  s:\n    image: x\n    cap_add: [NET_ADMIN, SYS_TIME, NET_ADMIN]\n")
        #expect(duplicate?.message == "services.s.cap_add must contain unique items: [0] and [2] are equal ('NET_ADMIN')")
        #expect(duplicate?.path == "services.s.cap_add[2]")
        #expect(duplicate?.mark?.column == 36)
        #expect(failure("services:\n  bad name:\n    image: x\n")?.message
            == "services: invalid name 'bad name': names must match ^[a-zA-Z0-9._-]+$")
    }

    @Test func nonStringKeys() throws {
        let top = try #require(failure("123:\n  foo: bar\nservices: {}\n"))
        #expect(top.message == "non-string key at top level: 123")
        #expect(top.mark?.line == 1)
        let services = failure("services:\n  foo:\n    image: x\n  123:\n    image: x\n")
        #expect(services?.message == "non-string key in services: 123")
        #expect(services?.mark?.line == 4)
        let nested = failure("networks:\n  default:\n    ipam:\n      config:\n        - 123: oh dear\n")
        #expect(nested?.message == "non-string key in networks.default.ipam.config[0]: 123")
    }

    @Test func externalResourceConflicts() {
        let driver = failure("volumes:\n  v:\n    external: true\n    driver: foobar\n")
        #expect(driver?.message == "volumes.v: conflicting parameters \"external\" and \"driver\" specified")
        #expect(driver?.mark?.line == 4)
        #expect(failure("volumes:\n  v:\n    external: true\n    name: real\n") == nil)
        #expect(failure("volumes:\n  v:\n    external: false\n    driver: local\n") == nil)
        #expect(failure("secrets:\n  s:\n    file: a\n    environment: B\n")?.message
            == "secrets.s: file|environment attributes are mutually exclusive")
        #expect(failure("configs:\n  c:\n    name: x\n")?.message
            == "configs.c: one of file|environment|content must be set")
        #expect(failure("configs:\n  c:\n    external: true\n") == nil)
    }

    @Test func unsupportedKeysWarnWithPosition() throws {
        let warnings = try validate("""
            services:
              web:
                image: x
                gpus: all
                deploy:
                  placement:
                    constraints: [node.role==manager]
                networks:
                  front:
                    ipv6_address: "::1"
            models:
              m: {model: ai/smollm2}
            """)
        #expect(warnings.map(\.message) == [
            "`services.web.gpus` is not supported by stack yet and is ignored",
            "`services.web.deploy.placement` is not supported by stack yet and is ignored",
            "`services.web.networks.front.ipv6_address` is not supported by stack yet and is ignored",
            "`models` is not supported by stack yet and is ignored",
        ])
        #expect(warnings.first?.mark?.line == 4)
        #expect(warnings.first?.mark?.column == 5)
        #expect(warnings.first?.path == "services.web.gpus")
    }

    @Test func unsupportedKeysAreStillValidated() {
        #expect(failure("services:\n  web:\n    image: x\n    gpus: some\n")?.message
            == "services.web.gpus must be one of 'all', not 'some'")
    }

    @Test func failedAlternativesLeaveNoWarnings() throws {
        // build as a string: the mapping branch (with its unsupported keys) is never taken.
        let warnings = try validate("services:\n  web:\n    build: .\n")
        #expect(warnings.isEmpty)
    }

    @Test func resetNodesAreSkipped() throws {
        _ = try validate("services:\n  web:\n    image: x\n    ports: !reset\n    command: !reset\n")
    }

    @Test func largeFileValidatesWithoutWarnings() throws {
        var yaml = "services:\n"
        for index in 0..<200 {
            yaml += """
                  svc\(index):
                    image: nginx:\(index)
                    environment: {A: "1", B: 2}
                    ports: ["\(8000 + index):80", {target: 443}]
                    volumes: [./d:/d, {type: tmpfs, target: /t}]
                    depends_on: {db: {condition: service_started}}
                    healthcheck: {test: [CMD, "true"], interval: 30s}
                    deploy: {replicas: 2, resources: {limits: {memory: 64m}}}
                    labels: [a=b]
                    x-meta: {k: v}

                """
        }
        let root = try #require(try YAMLParser().parse(yaml, file: "big.yaml").first)
        var warnings: [StackWarning] = []
        try SchemaValidator.stackFile.validate(root, warnings: &warnings)
        // Speed is measured by bench/config-200.sh, not asserted here.
        #expect(warnings.isEmpty)
    }

    @Test func customSchemaKeywords() throws {
        let validator = try SchemaValidator(schemaJSON: """
            {"type": "object",
             "properties": {
               "a": {"allOf": [{"type": "integer"}, {"minimum": 2}]},
               "b": {"not": {"const": "forbidden"}},
               "c": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
               "d": {"type": "array", "minItems": 2, "items": {"type": "boolean"}}
             }}
            """)
        func check(_ yaml: String) -> String? {
            do {
                guard let root = try YAMLParser().parse(yaml, file: "t.yaml").first else { return "no document" }
                var warnings: [StackWarning] = []
                try validator.validate(root, warnings: &warnings)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(check("a: 3\nb: ok\nc: x\nd: [true, \"off\"]\n") == nil)
        #expect(check("a: 1\n") == "a must be greater than or equal to 2")
        #expect(check("b: forbidden\n") == "b must not be 'forbidden'")
        // "5" is a string and, as a numeric string, an integer: both oneOf branches match.
        #expect(check("c: \"5\"\n") == "c matches more than one of its allowed forms")
        #expect(check("d: [true]\n") == "d must contain at least 2 items")
        #expect(check("d: [true, maybe]\n") == "d[1] must be a boolean")
    }

    @Test func malformedSchemasAreRejected() {
        #expect(throws: StackError.self) { try SchemaValidator(schemaJSON: "{\"type\": \"object\",}") }
        #expect(throws: StackError.self) { try SchemaValidator(schemaJSON: "{\"$ref\": \"#/definitions/missing\"}") }
        #expect(throws: StackError.self) { try SchemaValidator(schemaJSON: "{\"type\": \"thing\"}") }
        #expect(throws: StackError.self) { try SchemaValidator(schemaJSON: "{\"minLength\": 3}") }
    }
}
