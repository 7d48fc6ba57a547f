import StackCore
import StackModel
import Testing

@testable import StackFile

/// The direct service decoding must give exactly what `Codable` gives, and leave everything it
/// does not handle (or that `Codable` rejects) to `Codable`.
@Suite struct DirectDecodingTests {
    private func root(_ yaml: String) throws -> Node {
        try #require(try YAMLParser().parse(yaml, file: "compose.yaml").first)
    }

    /// The `Codable` result, or nil when `Codable` rejects the tree.
    private func viaCodable(_ root: Node) -> Project? {
        try? NodeDecoder().decode(Project.self, from: root)
    }

    private let rich = """
        name: shop
        services:
          web:
            image: nginx:1.27
            command: [nginx, -g, "daemon off;"]
            entrypoint: []
            environment: {A: "1", B: null, C: 3}
            labels: {tier: web, empty: null}
            annotations: {a: b}
            sysctls: {net.core.somaxconn: 1024}
            restart: on-failure:3
            working_dir: /srv
            user: "1000"
            init: true
            tty: "true"
            stdin_open: false
            read_only: null
            privileged: FALSE
            scale: "2"
            cpus: "1.5"
            cpu_shares: 512
            pids_limit: 100.0
            mem_limit: 512m
            mem_reservation: 1024
            shm_size: "64m"
            stop_grace_period: 1m30s
            cap_add: [NET_ADMIN]
            dns: null
            tmpfs: [/run]
            healthcheck:
              test: [CMD, curl, -f, http://localhost]
              interval: 10s
              retries: "3"
              disable: false
              unknown: 1
            ports:
              - {target: 80, published: "8080", host_ip: 127.0.0.1, protocol: tcp, mode: ingress}
              - {target: "53", published: "", protocol: udp, host_ip: ""}
              - {target: 443, published: "8443-8444", name: https, app_protocol: http2}
              - {target: 1, published: "0"}
            volumes:
              - {type: volume, source: data, target: /data, volume: {nocopy: true, subpath: sub}}
              - {type: bind, source: /tmp, target: /tmp, read_only: true, bind: {create_host_path: true, propagation: rshared, selinux: z}}
              - {type: volume, source: "", target: /anon, consistency: cached, tmpfs: null}
            networks:
              front: null
              back: {aliases: [a, b], ipv4_address: 10.0.0.2, priority: "5", gw_priority: null, driver_opts: {x: null}}
            depends_on:
              db: {condition: service_healthy, required: false, restart: true}
              cache: null
            deploy:
              mode: replicated
              replicas: 2
              labels: {l: v}
              resources:
                limits: {cpus: 0.5, memory: 134217728, pids: 10}
                reservations: {memory: 64m, devices: []}
              restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 1m}
              placement: {constraints: [x]}
          db:
            image: postgres
            healthcheck: {test: "pg_isready", timeout: 2s}
          cache:
            healthcheck: {test: [], interval: null}
            x-extra: {any: thing}
          nulls: null
          x-hidden: {image: ignored}
        networks: {front: {}, back: {external: true}}
        volumes: {data: {}}
        """

    @Test func directMatchesCodableOnRichServices() throws {
        let tree = try root(rich)
        let expected = try #require(viaCodable(tree))
        let direct = try #require(ProjectDecoder.directly(tree))
        #expect(direct == expected)
        #expect(direct.services.map(\.name) == ["cache", "db", "nulls", "web"])
        // The service with an unknown key went through `Codable`; the others did not need to.
        let services = try #require(tree["services"])
        #expect(ServiceDecoding.service(try #require(services["web"]), name: "web") != nil)
        #expect(ServiceDecoding.service(try #require(services["cache"]), name: "cache") == nil)
    }

    /// Values `Codable` rejects or reads in its own way: the direct path declines each of them,
    /// and the decoder reports `Codable`'s error.
    @Test(arguments: [
        "ports: [{published: \"80\"}]",
        "ports: [{target: 70000}]",
        "ports: [{target: 80, protocol: icmp}]",
        "ports: [{target: 80, published: \"9-1\"}]",
        "ports: [null]",
        "volumes: [{type: volume, target: null}]",
        "volumes: [{type: disk, target: /x}]",
        "volumes: [{type: tmpfs, target: /x, tmpfs: {size: 1m}}]",
        "restart: sometimes",
        "tty: yes please",
        "healthcheck: {test: [BOGUS]}",
        "healthcheck: {interval: forever}",
        "healthcheck: {test: {a: b}}",
        "deploy: {resources: {limits: {memory: lots}}}",
        "deploy: {resources: {limits: {devices: [{capabilities: [gpu]}]}}}",
        "depends_on: {db: {condition: service_bored}}",
        "networks: {front: {priority: high}}",
        "environment: {A: [1]}",
        "command: [a, null]",
        "command: {a: b}",
        "cpus: lots",
        "mem_limit: huge",
        "build: {context: .}",
    ])
    func declinesWhatItDoesNotHandle(_ field: String) throws {
        let tree = try root("services:\n  web:\n    image: x\n    \(field)\n")
        let services = try #require(tree["services"])
        #expect(ServiceDecoding.service(try #require(services["web"]), name: "web") == nil)
        let direct = ProjectDecoder.directly(tree)
        #expect(direct == viaCodable(tree))
    }

    @Test func errorsAreTheCodableErrors() throws {
        let tree = try root("name: x\nservices:\n  web:\n    ports:\n      - target: 80\n        protocol: icmp\n")
        #expect(ProjectDecoder.directly(tree) == nil)
        #expect(throws: StackError.self) { try ProjectDecoder.decode(tree, name: "p", workingDirectory: "/w") }
        do {
            _ = try ProjectDecoder.decode(tree, name: "p", workingDirectory: "/w")
        } catch {
            #expect(error.path == "services.web.ports[0].protocol")
            #expect(error.mark?.line == 6)
        }
    }
}
