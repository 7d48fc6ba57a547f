import Foundation
import StackCore
import StackModel
import Testing

@testable import StackFile

/// A canonical (long-syntax) tree as `docker compose config` prints it.
let canonicalStack = """
    name: shop
    services:
      web:
        image: nginx:1.27
        build:
          context: /src/web
          dockerfile: Dockerfile.dev
          args:
            VERSION: "1.2"
            FROM_ENV: null
          target: runtime
          labels:
            stage: dev
        command: ["nginx", "-g", "daemon off;"]
        entrypoint: []
        environment:
          MODE: production
          UNSET: null
          PORT: "8080"
        env_file:
          - path: /src/web/.env
            required: true
          - path: /src/web/local.env
            required: false
            format: raw
        ports:
          - target: 80
            published: "8080"
            host_ip: 127.0.0.1
            protocol: tcp
            mode: ingress
            name: http
            app_protocol: http
          - target: 53
            published: "5300-5310"
            protocol: udp
            mode: host
          - target: 9000
            protocol: tcp
            mode: ingress
        expose: ["3000", "4000-4001"]
        volumes:
          - type: bind
            source: /src/web/html
            target: /usr/share/nginx/html
            read_only: true
            bind:
              create_host_path: true
              propagation: rslave
              selinux: Z
          - type: volume
            source: cache
            target: /var/cache/nginx
            volume:
              nocopy: true
              subpath: nginx
          - type: tmpfs
            target: /run
            tmpfs:
              size: 67108864
              mode: "1777"
          - type: volume
            target: /anon
        volumes_from: ["worker:ro", "container:sidecar:rw", "db"]
        tmpfs: [/tmp]
        networks:
          front:
            aliases: [www, site]
            ipv4_address: 172.20.0.10
            ipv6_address: "2001:db8::10"
            priority: 100
          back: null
        depends_on:
          db:
            condition: service_healthy
            required: true
            restart: true
          cache:
            condition: service_started
            required: false
        healthcheck:
          test: ["CMD", "curl", "-f", "http://localhost"]
          interval: 30s
          timeout: 5s
          retries: 3
          start_period: 1m30s
          start_interval: 500ms
        restart: on-failure:3
        deploy:
          replicas: 2
          resources:
            limits:
              cpus: 1.5
              memory: "536870912"
              pids: 100
            reservations:
              cpus: "0.25"
              memory: 268435456
          restart_policy:
            condition: on-failure
            delay: 5s
            max_attempts: 4
            window: 2m0s
        mem_limit: 1073741824
        mem_reservation: 512m
        memswap_limit: -1
        cpus: 0.5
        cpu_shares: 512
        cpu_quota: 50000
        cpu_period: 100000
        cpuset: 0-1
        blkio_config:
          weight: 300
          weight_device:
            - path: /dev/sda
              weight: 400
          device_read_bps:
            - path: /dev/sda
              rate: 12mb
          device_write_bps:
            - path: /dev/sda
              rate: 1024
          device_read_iops:
            - path: /dev/sda
              rate: 120
          device_write_iops:
            - path: /dev/sda
              rate: 30
        pids_limit: 200
        ulimits:
          nproc: 65535
          nofile:
            soft: 20000
            hard: 40000
        cap_add: [NET_ADMIN]
        cap_drop: [ALL]
        security_opt: ["no-new-privileges:true"]
        read_only: true
        user: "1000:1000"
        working_dir: /app
        hostname: web1
        domainname: example.com
        init: true
        stop_signal: SIGQUIT
        stop_grace_period: 20s
        labels:
          com.example.role: frontend
          empty: null
        container_name: shop-web
        profiles: [frontend]
        develop:
          watch:
            - path: /src/web/html
              action: sync
              target: /usr/share/nginx/html
              ignore: [node_modules/]
              initial_sync: true
            - path: /src/web/package.json
              action: rebuild
            - path: /src/web/conf
              action: sync+exec
              target: /etc/nginx
              exec:
                command: ["nginx", "-s", "reload"]
                user: root
        privileged: false
        tty: true
        stdin_open: true
        sysctls:
          net.core.somaxconn: "1024"
          net.ipv4.tcp_syncookies: 0
        dns: [8.8.8.8]
        dns_search: [example.com]
        extra_hosts: ["gateway=10.0.0.1", "legacy:10.0.0.2", "v6=::1"]
        secrets:
          - source: api_key
            target: /run/secrets/api
            uid: "103"
            gid: "103"
            mode: "0440"
        configs:
          - source: nginx_conf
            target: /etc/nginx/nginx.conf
            mode: 292
        shm_size: 64m
        oom_score_adj: -500
        group_add: [audio]
        devices:
          - source: /dev/ttyUSB0
            target: /dev/ttyS0
            permissions: rw
          - /dev/fuse
        pull_policy: daily
        x-custom: ignored
        unknown_key: ignored
      worker:
        image: shop/worker
        network_mode: service:web
        scale: 3
        restart: unless-stopped
        healthcheck:
          test: ["CMD-SHELL", "pgrep worker"]
          disable: false
      db:
        image: postgres:16
        command: null
        networks:
          back: null
        restart: always
        healthcheck:
          test: ["NONE"]
    networks:
      front:
        name: shop_front
        driver: bridge
        driver_opts:
          com.docker.network.bridge.name: br-front
        ipam:
          driver: default
          config:
            - subnet: 172.20.0.0/16
              ip_range: 172.20.5.0/24
              gateway: 172.20.0.1
              aux_addresses:
                host1: 172.20.1.5
        internal: false
        attachable: true
        enable_ipv6: true
        labels:
          tier: front
      back:
        internal: true
      outside:
        external: true
      renamed:
        name: the-real-one
        external: true
    volumes:
      cache:
        driver: local
        driver_opts:
          type: tmpfs
          device: tmpfs
        labels:
          keep: "yes"
      data:
        external: true
        name: legacy_data
      plain: {}
      nothing: null
    secrets:
      api_key:
        file: /src/secrets/api.txt
      token:
        environment: TOKEN
    configs:
      nginx_conf:
        file: /src/nginx.conf
      inline:
        content: "hello"
      shared:
        external: true
    x-defaults:
      image: none
    """

func decodeProject(_ yaml: String, name: String = "shop") throws -> Project {
    let documents = try YAMLParser().parse(yaml, file: "compose.yaml")
    let root = try #require(documents.first)
    return try ProjectDecoder.decode(root, name: name, workingDirectory: "/src")
}

@Suite struct DecodeProjectTests {
    @Test func projectLevel() throws {
        let project = try decodeProject(canonicalStack, name: "override")
        #expect(project.name == "override")
        #expect(project.workingDirectory == "/src")
        #expect(project.serviceNames == ["db", "web", "worker"])
        #expect(project.networks.map(\.key) == ["back", "front", "outside", "renamed"])
        #expect(project.volumes.map(\.key) == ["cache", "data", "nothing", "plain"])
        #expect(project.secrets.map(\.key) == ["api_key", "token"])
        #expect(project.configs.map(\.key) == ["inline", "nginx_conf", "shared"])
    }

    @Test func imageBuildAndProcess() throws {
        let web = try #require(try decodeProject(canonicalStack).service(named: "web"))
        #expect(web.name == "web")
        #expect(web.image == "nginx:1.27")
        let build = try #require(web.build)
        #expect(build.context == "/src/web")
        #expect(build.dockerfile == "Dockerfile.dev")
        #expect(build.args == ["VERSION": "1.2", "FROM_ENV": String?.none])
        #expect(build.target == "runtime")
        #expect(build.labels == ["stage": "dev"])
        #expect(web.command == ["nginx", "-g", "daemon off;"])
        #expect(web.entrypoint == [])
        #expect(web.environment == ["MODE": "production", "UNSET": String?.none, "PORT": "8080"])
        #expect(web.envFiles == [
            EnvFile(path: "/src/web/.env"), EnvFile(path: "/src/web/local.env", required: false, format: "raw"),
        ])
        #expect(web.user == "1000:1000")
        #expect(web.workingDir == "/app")
        #expect(web.useInit == true)
        #expect(web.stopSignal == "SIGQUIT")
        #expect(web.stopGracePeriod == .seconds(20))
        #expect(web.tty && web.stdinOpen && !web.privileged && web.readOnly)
        #expect(web.pullPolicy == .refresh(.seconds(86_400)))
        #expect(web.groupAdd == ["audio"])
    }

    @Test func commandNullMeansImageDefault() throws {
        let db = try #require(try decodeProject(canonicalStack).service(named: "db"))
        #expect(db.command == nil)
        #expect(db.entrypoint == nil)
        #expect(db.restart == .always)
        #expect(db.healthcheck?.test == .disabled)
        #expect(db.healthcheck?.isDisabled == true)
    }

    @Test func ports() throws {
        let web = try #require(try decodeProject(canonicalStack).service(named: "web"))
        #expect(web.ports.count == 3)
        #expect(web.ports[0] == PortMapping(
            target: 80, published: PortRange(8080), hostIP: "127.0.0.1", protocol: .tcp, mode: .ingress,
            name: "http", appProtocol: "http"))
        #expect(web.ports[1].published == PortRange(start: 5300, end: 5310))
        #expect(web.ports[1].published?.count == 11)
        #expect(web.ports[1].protocol == .udp)
        #expect(web.ports[1].mode == .host)
        #expect(web.ports[2].published == nil)
        #expect(web.ports[2].hostIP == nil)
        #expect(web.expose == ["3000", "4000-4001"])
    }

    @Test func mounts() throws {
        let web = try #require(try decodeProject(canonicalStack).service(named: "web"))
        #expect(web.volumes.count == 4)
        let bind = web.volumes[0]
        #expect(bind.type == .bind)
        #expect(bind.source == "/src/web/html")
        #expect(bind.readOnly)
        #expect(bind.bind == BindOptions(createHostPath: true, propagation: .rslave, selinux: .private))
        let volume = web.volumes[1]
        #expect(volume.type == .volume && volume.source == "cache" && !volume.readOnly)
        #expect(volume.volume == VolumeOptions(nocopy: true, subpath: "nginx"))
        let tmpfs = web.volumes[2]
        #expect(tmpfs.type == .tmpfs && tmpfs.source == nil)
        #expect(tmpfs.tmpfs == TmpfsOptions(size: 64 << 20, mode: FileMode(0o1777)))
        #expect(web.volumes[3].source == nil)
        #expect(web.volumesFrom == [
            VolumesFrom(.service("worker"), readOnly: true), VolumesFrom(.container("sidecar")),
            VolumesFrom(.service("db")),
        ])
        #expect(web.tmpfs == ["/tmp"])
        #expect(web.shmSize == 64 << 20)
    }

    @Test func networksAndDependencies() throws {
        let project = try decodeProject(canonicalStack)
        let web = try #require(project.service(named: "web"))
        #expect(web.networks["front"] == ServiceNetwork(
            aliases: ["www", "site"], ipv4Address: "172.20.0.10", ipv6Address: "2001:db8::10", priority: 100))
        #expect(web.networks["back"] == ServiceNetwork())
        #expect(web.networkMode == nil)
        #expect(web.dependsOn["db"] == Dependency(condition: .serviceHealthy, required: true, restart: true))
        #expect(web.dependsOn["cache"] == Dependency(condition: .serviceStarted, required: false, restart: false))
        let worker = try #require(project.service(named: "worker"))
        #expect(worker.networkMode == .service("web"))
        #expect(worker.replicas == 3)
        #expect(worker.restart == .unlessStopped)
        #expect(worker.healthcheck?.test == .shell("pgrep worker"))
        #expect(worker.healthcheck?.disabled == false)
        #expect(web.dns == ["8.8.8.8"])
        #expect(web.dnsSearch == ["example.com"])
        #expect(web.extraHosts == [
            ExtraHost(hostname: "gateway", address: "10.0.0.1"), ExtraHost(hostname: "legacy", address: "10.0.0.2"),
            ExtraHost(hostname: "v6", address: "::1"),
        ])
    }

    @Test func healthcheckRestartAndDeploy() throws {
        let web = try #require(try decodeProject(canonicalStack).service(named: "web"))
        #expect(web.healthcheck == HealthCheck(
            test: .exec(["curl", "-f", "http://localhost"]), interval: .seconds(30), timeout: .seconds(5), retries: 3,
            startPeriod: .seconds(90), startInterval: .milliseconds(500)))
        #expect(web.restart == .onFailure(maxRetries: 3))
        let deploy = try #require(web.deploy)
        #expect(web.replicas == 2)
        #expect(deploy.resources?.limits == ResourceSpec(cpus: 1.5, memory: 512 << 20, pids: 100))
        #expect(deploy.resources?.reservations == ResourceSpec(cpus: 0.25, memory: 256 << 20))
        #expect(deploy.restartPolicy == DeployRestartPolicy(
            condition: .onFailure, delay: .seconds(5), maxAttempts: 4, window: .seconds(120)))
        #expect(deploy.restartPolicy?.restartPolicy == .onFailure(maxRetries: 4))
    }

    @Test func resources() throws {
        let web = try #require(try decodeProject(canonicalStack).service(named: "web"))
        #expect(web.memLimit == 1 << 30)
        #expect(web.memReservation == 512 << 20)
        #expect(web.memswapLimit == -1)
        #expect(web.cpus == 0.5)
        #expect(web.cpuShares == 512 && web.cpuQuota == 50000 && web.cpuPeriod == 100_000)
        #expect(web.cpuset == "0-1")
        #expect(web.pidsLimit == 200)
        #expect(web.oomScoreAdj == -500)
        #expect(web.ulimits == ["nproc": Ulimit(65535), "nofile": Ulimit(soft: 20000, hard: 40000)])
        let blkio = try #require(web.blkioConfig)
        #expect(blkio.weight == 300)
        #expect(blkio.weightDevice == [WeightDevice(path: "/dev/sda", weight: 400)])
        #expect(blkio.deviceReadBps == [ThrottleDevice(path: "/dev/sda", rate: 12 << 20)])
        #expect(blkio.deviceWriteBps == [ThrottleDevice(path: "/dev/sda", rate: 1024)])
        #expect(blkio.deviceReadIOps == [ThrottleDevice(path: "/dev/sda", rate: 120)])
        #expect(blkio.deviceWriteIOps == [ThrottleDevice(path: "/dev/sda", rate: 30)])
        #expect(web.devices == [
            DeviceMapping(source: "/dev/ttyUSB0", target: "/dev/ttyS0", permissions: "rw"),
            DeviceMapping(source: "/dev/fuse"),
        ])
    }

    @Test func securityIdentityAndDevelop() throws {
        let web = try #require(try decodeProject(canonicalStack).service(named: "web"))
        #expect(web.capAdd == ["NET_ADMIN"] && web.capDrop == ["ALL"])
        #expect(web.securityOpt == ["no-new-privileges:true"])
        #expect(web.sysctls == ["net.core.somaxconn": "1024", "net.ipv4.tcp_syncookies": "0"])
        #expect(web.hostname == "web1" && web.domainname == "example.com")
        #expect(web.containerName == "shop-web")
        #expect(web.labels == ["com.example.role": "frontend", "empty": ""])
        #expect(web.profiles == ["frontend"])
        #expect(web.secrets == [
            FileReference(source: "api_key", target: "/run/secrets/api", uid: "103", gid: "103", mode: FileMode(0o440))
        ])
        #expect(web.configs == [FileReference(source: "nginx_conf", target: "/etc/nginx/nginx.conf", mode: FileMode(292))])
        let watch = try #require(web.develop?.watch)
        #expect(watch.count == 3)
        #expect(watch[0] == WatchRule(
            path: "/src/web/html", action: .sync, target: "/usr/share/nginx/html", ignore: ["node_modules/"],
            initialSync: true))
        #expect(watch[1].action == .rebuild && watch[1].target == nil && !watch[1].initialSync)
        #expect(watch[2].action == .syncExec)
        #expect(watch[2].exec == ServiceHook(command: ["nginx", "-s", "reload"], user: "root"))
    }

    @Test func topLevelResources() throws {
        let project = try decodeProject(canonicalStack)
        let front = try #require(project.network(forKey: "front"))
        #expect(front.name == "shop_front")
        #expect(front.driver == "bridge")
        #expect(front.driverOpts == ["com.docker.network.bridge.name": "br-front"])
        #expect(front.ipam == IPAMConfig(
            driver: "default",
            config: [
                IPAMPool(
                    subnet: "172.20.0.0/16", ipRange: "172.20.5.0/24", gateway: "172.20.0.1",
                    auxAddresses: ["host1": "172.20.1.5"])
            ]))
        #expect(front.attachable && front.enableIPv6 == true && !front.internal && !front.external)
        #expect(front.labels == ["tier": "front"])
        let back = try #require(project.network(forKey: "back"))
        #expect(back.internal && back.name == "shop_back")
        #expect(project.network(forKey: "outside")?.name == "outside")
        #expect(project.network(forKey: "outside")?.external == true)
        #expect(project.network(forKey: "renamed")?.name == "the-real-one")

        let cache = try #require(project.volume(forKey: "cache"))
        #expect(cache == Volume(
            key: "cache", name: "shop_cache", driver: "local", driverOpts: ["type": "tmpfs", "device": "tmpfs"],
            labels: ["keep": "yes"]))
        #expect(project.volume(forKey: "data") == Volume(key: "data", name: "legacy_data", external: true))
        #expect(project.volume(forKey: "nothing") == Volume(key: "nothing", name: "shop_nothing"))

        #expect(project.secrets == [
            FileObject(key: "api_key", name: "shop_api_key", file: "/src/secrets/api.txt"),
            FileObject(key: "token", name: "shop_token", environment: "TOKEN"),
        ])
        #expect(project.configs[0] == FileObject(key: "inline", name: "shop_inline", content: "hello"))
        #expect(project.configs[2] == FileObject(key: "shared", name: "shared", external: true))
    }

    @Test func emptyAndMinimalFiles() throws {
        let empty = try decodeProject("{}")
        #expect(empty.services.isEmpty && empty.networks.isEmpty)
        let null = try ProjectDecoder.decode(.null(.synthetic("empty")), name: "p", workingDirectory: "/")
        #expect(null.services.isEmpty && null.name == "p")
        let minimal = try decodeProject("services:\n  app:\n    image: busybox\n")
        let app = try #require(minimal.services.first)
        #expect(app == Service(name: "app", image: "busybox"))
        #expect(app.replicas == 1)
        #expect(app.effectiveRestartPolicy == .no)
    }

    @Test func jsonRoundTripKeepsTheProject() throws {
        // Codable must round-trip through an ordinary encoder/decoder pair too (storage, hashing).
        let project = try decodeProject(canonicalStack)
        let data = try JSONEncoder().encode(project)
        let decoded = try JSONDecoder().decode(Project.self, from: data)
        #expect(decoded == project)
    }
}
