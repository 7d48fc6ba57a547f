import Testing
import StackCore
@testable import StackFile

@Suite struct CanonicalServiceFieldsTests {
    static let cases: [(key: String, input: String, expected: String)] = [
        ("env_file", ".env", "[{path: .env, required: true}]"),
        ("env_file", "[a.env, {path: b.env, required: 'false', format: raw}]",
         "[{path: a.env, required: true}, {path: b.env, required: false, format: raw}]"),
        ("depends_on", "[db, cache]",
         "{db: {condition: service_started, required: true}, cache: {condition: service_started, required: true}}"),
        ("depends_on", "{db: {condition: service_healthy, restart: 'true'}, q: {required: false}}",
         "{db: {condition: service_healthy, restart: true}, q: {required: false}}"),
        ("networks", "[front, back]", "{front: null, back: null}"),
        ("networks", "{front: {aliases: [a], priority: '5'}, back: null}", "{front: {aliases: [a], priority: 5}, back: null}"),
        ("command", #"'echo "hello world" x\ y ''a b'''"#, #"[echo, "hello world", "x y", "a b"]"#),
        ("command", "[sh, -c, 'echo $$HOME', 3]", #"[sh, -c, "echo $$HOME", "3"]"#),
        ("entrypoint", "null", "null"),
        ("entrypoint", "''", "[]"),
        ("healthcheck", #"{test: 'curl -f http://x || exit 1', interval: 90s, timeout: '1000ms', retries: '3', start_period: 1h, start_interval: 1d, disable: 'false'}"#,
         #"{test: [CMD-SHELL, "curl -f http://x || exit 1"], interval: 1m30s, timeout: 1s, retries: 3, start_period: 1h0m0s, start_interval: 24h0m0s, disable: false}"#),
        ("healthcheck", "{test: [CMD, true]}", #"{test: [CMD, "true"]}"#),
        ("stop_grace_period", "60s", "1m0s"),
        ("stop_grace_period", "0", "0s"),
        ("mem_limit", "1g", "1073741824"),
        ("mem_limit", "'512'", "512"),
        ("memswap_limit", "'-1'", "-1"),
        ("shm_size", "2gb", "2147483648"),
        ("cpus", "'0.5'", "0.5"),
        ("cpus", "2", "2.0"),
        ("pids_limit", "'100'", "100"),
        ("scale", "'3'", "3"),
        ("privileged", "'true'", "true"),
        ("tty", "'off'", "false"),
        ("ulimits", "{nofile: {soft: '1024', hard: 2048}, nproc: '65535'}", "{nofile: {soft: 1024, hard: 2048}, nproc: 65535}"),
        ("secrets", "[s1, {source: s2, target: t, uid: 103, mode: '0440'}]", #"[{source: s1}, {source: s2, target: t, uid: "103", mode: 288}]"#),
        ("configs", "[c1]", "[{source: c1}]"),
        ("devices", #"["/dev/a", "/dev/b:/dev/c", "/dev/d:/dev/e:r", {source: /dev/f, target: /dev/f}]"#,
         "[{source: /dev/a, target: /dev/a, permissions: rwm}, {source: /dev/b, target: /dev/c, permissions: rwm}, {source: /dev/d, target: /dev/e, permissions: r}, {source: /dev/f, target: /dev/f}]"),
        ("extends", "base", "{service: base}"),
        ("extends", "{file: b.yaml, service: base}", "{file: b.yaml, service: base}"),
        ("build", "./dir", "{context: ./dir}"),
        ("build", "{context: ., shm_size: 64m, cache_from: img, no_cache: 'true', provenance: true}",
         #"{context: ., shm_size: 67108864, cache_from: [img], no_cache: true, provenance: "true"}"#),
        ("tmpfs", "/run", "[/run]"),
        ("dns", "8.8.8.8", "[8.8.8.8]"),
        ("dns_search", "[a.example, b.example]", "[a.example, b.example]"),
        ("expose", #"["3000", 8000, "9000-9001"]"#, #"["3000", "8000", "9000-9001"]"#),
        ("gpus", "all", "[{count: all}]"),
        ("logging", "{driver: json-file, options: {max-size: 10m, max-file: 3}}",
         #"{driver: json-file, options: {max-size: 10m, max-file: "3"}}"#),
        ("deploy", "{replicas: '6', labels: [a=b], resources: {limits: {cpus: '0.25', memory: 50M, pids: '10'}, reservations: {devices: [{count: '2', capabilities: [gpu]}]}}, restart_policy: {delay: 5s, window: 120s, max_attempts: '3'}, update_config: {monitor: 60s, max_failure_ratio: '0.3', parallelism: 2}}",
         "{replicas: 6, labels: {a: b}, resources: {limits: {cpus: 0.25, memory: 52428800, pids: 10}, reservations: {devices: [{count: 2, capabilities: [gpu]}]}}, restart_policy: {delay: 5s, window: 2m0s, max_attempts: 3}, update_config: {monitor: 1m0s, max_failure_ratio: 0.3, parallelism: 2}}"),
        ("blkio_config", "{weight: '300', device_read_bps: [{path: /dev/sda, rate: 12mb}], device_write_iops: [{path: /dev/sda, rate: '100'}]}",
         "{weight: 300, device_read_bps: [{path: /dev/sda, rate: 12582912}], device_write_iops: [{path: /dev/sda, rate: 100}]}"),
        ("post_start", "[{command: ./hook.sh arg, environment: [A=1], privileged: 'true'}]",
         #"[{command: [./hook.sh, arg], environment: {A: "1"}, privileged: true}]"#),
        ("develop", "{watch: [{path: ./src, action: sync, ignore: node_modules/, initial_sync: 'true'}]}",
         "{watch: [{path: ./src, action: sync, ignore: [node_modules/], initial_sync: true}]}"),
    ]

    @Test(arguments: cases)
    func shortFormsExpandAndScalarsAreTyped(key: String, input: String, expected: String) throws {
        #expect(try CanonFixture.field(key, input) == CanonFixture.plain(expected))
    }

    static let invalid: [(key: String, value: String, message: String, column: Int)] = [
        ("stop_grace_period", "soon", "invalid duration \"soon\"", 24),
        ("stop_grace_period", "10", "invalid duration \"10\"", 24),
        ("mem_limit", "lots", "invalid byte size \"lots\"", 16),
        ("scale", "three", "invalid integer \"three\"", 12),
        ("privileged", "maybe", "invalid boolean: maybe", 17),
        ("cpus", "half", "invalid number \"half\"", 11),
        ("command", "'echo \"unterminated'", "unterminated quote", 14),
        ("healthcheck", "{interval: 5 seconds}", "invalid duration", 29),
        ("deploy", "{restart_policy: {delay: x}}", "invalid duration \"x\"", 38),
        ("secrets", "[{source: s, mode: rw}]", "invalid file mode", 33),
        ("devices", "['/a:/b:rwm:extra']", "confusing device mapping", 15),
        ("depends_on", "{db: service_healthy}", "unsupported value", 22),
    ]

    @Test(arguments: invalid)
    func invalidValuesNameTheirPosition(key: String, value: String, message: String, column: Int) throws {
        let error = try #require(try CanonFixture.error("services:\n  web:\n    \(key): \(value)\n"))
        #expect(error.message.contains(message), "\(error.message)")
        #expect(error.path?.hasPrefix("services.web.\(key)") == true)
        #expect(error.mark?.line == 3)
        #expect(error.mark?.column == column)
        #expect(error.description.hasPrefix("compose.yaml:3:\(column): services.web.\(key)"))
    }

    @Test func extendedDurationUnits() {
        let nineDays: Int64 = 9 * 86_400_000_000_000
        #expect(GoDuration.parse("1w2d", daysAndWeeks: true) == nineDays)
        #expect(GoDuration.parse("1h30m", daysAndWeeks: true) == 5_400_000_000_000)
        #expect(GoDuration.parse("1x", daysAndWeeks: true) == nil)
        #expect(GoDuration.parse("", daysAndWeeks: true) == nil)
    }
}
