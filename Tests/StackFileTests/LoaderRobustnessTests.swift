import Testing
import StackCore
@testable import StackFile

/// Property tests: arbitrary and mutated input never crashes or hangs the loader; it either
/// loads or throws a StackError.
@Suite struct LoaderRobustnessTests {
    static let seed = """
        name: fuzz
        x-base: &base {restart: always, labels: [a=b]}
        services:
          web:
            <<: *base
            image: ${IMG:-busybox}
            ports: ["127.0.0.1:8080-8081:80-81/tcp", 9000]
            volumes: [./a:/a:ro, data:/d, /anon]
            environment: [A=1, B]
            depends_on: {db: {condition: service_healthy}}
            healthcheck: {test: echo ok, interval: 1m30s}
            networks: {front: {aliases: [w], ipv4_address: 172.30.0.5}}
            deploy: {replicas: 2, resources: {limits: {memory: 64m, cpus: '0.5'}}}
            command: sh -c 'echo "$${X}"'
          db: {image: db, profiles: [x], extends: {service: web}}
        networks: {front: {ipam: {config: [{subnet: 172.30.0.0/16}]}}}
        volumes: {data: {}}
        """

    func load(_ bytes: [UInt8]) {
        var options = LoadOptions()
        options.workingDirectory = "/p"
        options.files = ["compose.yaml"]
        options.profiles = ["x"]
        do {
            _ = try StackLoader(fileSystem: InMemoryFileSystem(bytes: ["/p/compose.yaml": bytes])).load(options)
        } catch {
            #expect(!error.message.isEmpty)
        }
    }

    @Test func mutatedFilesNeverCrash() {
        var random = SplitMix(state: 0x5EED)
        let base = Array(Self.seed.utf8)
        let alphabet = Array(":-[]{}&*!|>'\"%@`#,? \n\t$\\<.0123456789abc~".utf8) + [0x00, 0xff, 0xc3]
        for _ in 0..<1500 {
            var bytes = base
            for _ in 0..<(1 + random.below(6)) {
                switch random.below(4) {
                case 0 where !bytes.isEmpty:
                    bytes[random.below(bytes.count)] = alphabet[random.below(alphabet.count)]
                case 1:
                    bytes.insert(alphabet[random.below(alphabet.count)], at: random.below(bytes.count + 1))
                case 2 where !bytes.isEmpty:
                    let start = random.below(bytes.count)
                    bytes.removeSubrange(start..<min(bytes.count, start + random.below(16)))
                default:
                    let start = random.below(bytes.count)
                    let end = min(bytes.count, start + random.below(40))
                    bytes.insert(contentsOf: bytes[start..<end], at: random.below(bytes.count + 1))
                }
            }
            load(bytes)
        }
    }

    @Test func randomBytesNeverCrash() {
        var random = SplitMix(state: 42)
        for _ in 0..<500 {
            let bytes = (0..<random.below(300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            load(bytes)
        }
    }

    @Test func hostileShapesFailFast() {
        // Deep nesting, a billion-laughs alias tree, a very long line.
        load(Array((String(repeating: "- ", count: 5000) + "x").utf8))
        var laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i", "j"].enumerated() {
            let previous = i == 0 ? "a" : ["b", "c", "d", "e", "f", "g", "h", "i", "j"][i - 1]
            laughs += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ",") + "]\n"
        }
        load(Array(laughs.utf8))
        load(Array(("services:\n  a:\n    image: " + String(repeating: "x", count: 1 << 20) + "\n").utf8))
    }
}
