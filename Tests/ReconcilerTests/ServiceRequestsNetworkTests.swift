import StackAPI
import StackCore
import StackModel
import Testing
@testable import Reconciler

@Suite struct ServiceRequestsPortTests {
    @Test func shortAndLongPortsBecomeBindingsAndExposedPorts() throws {
        let (_, request) = try containerRequest("""
            services:
              web:
                image: nginx
                ports:
                  - "8080:80"
                  - "127.0.0.1:8443:443"
                  - "9000"
                  - "5353:53/udp"
                  - "8000-8001:7000-7001"
                  - target: 80
                    published: "8081"
                    host_ip: 0.0.0.0
                    protocol: tcp
                expose: ["3000", "4000-4001/udp"]
            """)
        #expect(
            try jsonText(request, "HostConfig", "PortBindings")
                // (Foundation sorts the keys numerically.)
                == #"{"53/udp":[{"HostIp":"","HostPort":"5353"}],"#
                + #""80/tcp":[{"HostIp":"","HostPort":"8080"},{"HostIp":"0.0.0.0","HostPort":"8081"}],"#
                + #""443/tcp":[{"HostIp":"127.0.0.1","HostPort":"8443"}],"#
                + #""7000/tcp":[{"HostIp":"","HostPort":"8000"}],"7001/tcp":[{"HostIp":"","HostPort":"8001"}],"#
                + #""9000/tcp":[{"HostIp":"","HostPort":""}]}"#)
        #expect(
            request.exposedPorts
                == ["3000/tcp", "4000/udp", "4001/udp", "443/tcp", "53/udp", "7000/tcp", "7001/tcp", "80/tcp", "9000/tcp"])
        #expect(
            try jsonText(request, "ExposedPorts")
                == #"{"53/udp":{},"80/tcp":{},"443/tcp":{},"3000/tcp":{},"4000/udp":{},"4001/udp":{},"7000/tcp":{},"#
                + #""7001/tcp":{},"9000/tcp":{}}"#)
    }

    @Test func portsWithAnotherContainersNetworkAreRefused() throws {
        let error = stackError {
            _ = try containerRequest("""
                services:
                  db:
                    image: busybox
                  web:
                    image: busybox
                    network_mode: service:db
                    ports: ["80:80"]
                """)
        }
        #expect(error?.path == "services.web.ports")
    }
}

@Suite struct ServiceRequestsNetworkingTests {
    @Test func defaultNetworkWithServiceAndContainerAliases() throws {
        let (_, request) = try containerRequest("""
            services:
              web:
                image: nginx
            """)
        #expect(request.hostConfig.networkMode == "demo_default")
        #expect(
            try jsonText(request, "NetworkingConfig")
                == #"{"EndpointsConfig":{"demo_default":{"Aliases":["demo-web-1","web"],"DNSNames":null,"#
                + #""EndpointID":"","Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"IPAddress":"","#
                + #""IPAMConfig":null,"IPPrefixLen":0,"IPv6Gateway":"","Links":null,"MacAddress":"","NetworkID":""}}}"#)
    }

    @Test func everyNetworkWithAliasesAndStaticAddressPrimaryByPriority() throws {
        let (_, request) = try containerRequest("""
            services:
              web:
                image: nginx
                networks:
                  back:
                    aliases: [api, web]
                    ipv4_address: 172.30.0.10
                  front: {}
                  zlast:
                    priority: 10
            networks:
              back:
                ipam:
                  config:
                    - subnet: 172.30.0.0/24
              front:
                name: shared-front
              zlast: {}
            """)
        #expect(request.hostConfig.networkMode == "demo_zlast")
        let endpoints = try #require(request.networkingConfig?.endpointsConfig)
        #expect(endpoints.keys.sorted() == ["demo_back", "demo_zlast", "shared-front"])
        #expect(endpoints["demo_back"]?.aliases == ["demo-web-1", "web", "api"])
        #expect(try jsonText(endpoints["demo_back"], "IPAMConfig") == #"{"IPv4Address":"172.30.0.10"}"#)
        #expect(endpoints["shared-front"]?.aliases == ["demo-web-1", "web"])
        #expect(endpoints["shared-front"]?.ipamConfig == nil)
    }

    @Test func networkModes() throws {
        let yaml = """
            services:
              db:
                image: busybox
                container_name: the-db
              sidecar:
                image: busybox
                network_mode: service:db
              hosted:
                image: busybox
                network_mode: host
                expose: ["81"]
              isolated:
                image: busybox
                network_mode: none
              joined:
                image: busybox
                network_mode: container:elsewhere
            """
        func mode(_ service: String) throws -> ContainerCreateRequest {
            try containerRequest(yaml, service: service).request
        }
        #expect(try mode("sidecar").hostConfig.networkMode == "container:the-db")
        #expect(try mode("sidecar").networkingConfig == nil)
        let hosted = try mode("hosted")
        #expect(hosted.hostConfig.networkMode == "host")
        #expect(hosted.hostConfig.portBindings.isEmpty)
        #expect(hosted.exposedPorts == ["81/tcp"])
        #expect(hosted.networkingConfig == nil)
        #expect(try mode("isolated").hostConfig.networkMode == "none")
        #expect(try mode("joined").hostConfig.networkMode == "container:elsewhere")
    }
}

@Suite struct ServiceRequestsMountTests {
    @Test func volumesBecomeMounts() throws {
        let (_, request) = try containerRequest("""
            services:
              web:
                image: nginx
                volumes:
                  - ./html:/usr/share/nginx/html:ro
                  - data:/var/lib/data
                  - /cache
                  - type: bind
                    source: /etc/ssl
                    target: /ssl
                    bind:
                      create_host_path: false
                      propagation: rslave
                  - type: volume
                    source: data
                    target: /seed
                    volume:
                      nocopy: true
                  - type: tmpfs
                    target: /scratch
                    tmpfs:
                      size: 64m
                      mode: 0700
                tmpfs:
                  - /run
                  - /tmp:size=32m,mode=1777
            volumes:
              data: {}
            """)
        #expect(
            try jsonText(request, "HostConfig", "Mounts")
                == "["
                + #"{"BindOptions":{"CreateMountpoint":true,"Propagation":""},"ReadOnly":true,"Source":"/demo/html","Target":"/usr/share/nginx/html","Type":"bind"},"#
                + #"{"ReadOnly":false,"Source":"demo_data","Target":"/var/lib/data","Type":"volume"},"#
                + #"{"ReadOnly":false,"Source":"","Target":"/cache","Type":"volume"},"#
                + #"{"BindOptions":{"CreateMountpoint":false,"Propagation":"rslave"},"ReadOnly":false,"Source":"/etc/ssl","Target":"/ssl","Type":"bind"},"#
                + #"{"ReadOnly":false,"Source":"demo_data","Target":"/seed","Type":"volume","VolumeOptions":{"Labels":{},"NoCopy":true}},"#
                + #"{"ReadOnly":false,"Source":"","Target":"/scratch","TmpfsOptions":{"Mode":448,"SizeBytes":67108864},"Type":"tmpfs"}"#
                + "]")
        #expect(request.hostConfig.tmpfs == ["/run": "", "/tmp": "size=32m,mode=1777"])
    }

    @Test func volumesFromServicesAndContainers() throws {
        let (_, request) = try containerRequest("""
            services:
              store:
                image: busybox
                volumes: [/data]
              web:
                image: busybox
                volumes_from:
                  - store:ro
                  - container:legacy
                  - store:rw
            """)
        #expect(request.hostConfig.volumesFrom == ["demo-store-1:ro", "legacy", "demo-store-1"])
        #expect(try jsonText(request, "HostConfig", "VolumesFrom") == #"["demo-store-1:ro","legacy","demo-store-1"]"#)
    }

    @Test func badMountsNameTheirEntry() throws {
        let subpath = stackError {
            _ = try containerRequest("""
                services:
                  web:
                    image: busybox
                    volumes:
                      - type: volume
                        source: data
                        target: /data
                        volume:
                          subpath: sub
                volumes:
                  data: {}
                """)
        }
        #expect(subpath?.path == "services.web.volumes[0].volume.subpath")
        #expect(subpath?.code == .unsupported)
        let readOnlyAnonymous = stackError {
            _ = try containerRequest("""
                services:
                  web:
                    image: busybox
                    volumes:
                      - type: volume
                        target: /data
                        read_only: true
                """)
        }
        #expect(readOnlyAnonymous?.path == "services.web.volumes[0]")
        #expect(readOnlyAnonymous?.message.contains("anonymous") == true)
    }
}

@Suite struct ServiceRequestsProjectTests {
    let yaml = """
        services:
          web:
            image: busybox
            networks: [front, back]
            volumes: [data:/data, cache:/cache]
        networks:
          front:
            internal: true
            driver_opts:
              com.docker.network.bridge.name: br-front
            labels:
              team: web
            ipam:
              config:
                - subnet: 172.31.0.0/24
                  gateway: 172.31.0.1
                  ip_range: 172.31.0.128/25
          back:
            driver: overlay
        volumes:
          data:
            driver_opts:
              type: tmpfs
              device: tmpfs
            labels:
              keep: "yes"
          cache:
            driver: nfs
        """

    @Test func networkRequest() throws {
        let project = try loadProject(yaml)
        let desired = try DesiredState(project: project)
        let front = try #require(desired.networks.first { $0.key == "front" })
        let request = try ServiceRequests.network(for: front, definition: project.network(forKey: "front"))
        #expect(request.name == "demo_front")
        #expect(request.driver == "bridge")
        #expect(request.internal)
        #expect(request.options == ["com.docker.network.bridge.name": "br-front"])
        #expect(request.labels["team"] == "web")
        #expect(request.labels[ComposeLabel.network] == "front")
        #expect(request.labels[ComposeLabel.project] == "demo")
        #expect(
            try jsonText(request, "IPAM")
                == #"{"Config":[{"Gateway":"172.31.0.1","IPRange":"172.31.0.128/25","Subnet":"172.31.0.0/24"}],"#
                + #""Driver":"default","Options":{}}"#)
        let back = try #require(desired.networks.first { $0.key == "back" })
        let error = stackError { _ = try ServiceRequests.network(for: back, definition: project.network(forKey: "back")) }
        #expect(error?.path == "networks.back.driver")
    }

    @Test func volumeRequest() throws {
        let project = try loadProject(yaml)
        let desired = try DesiredState(project: project)
        let data = try #require(desired.volumes.first { $0.key == "data" })
        let request = try ServiceRequests.volume(for: data, definition: project.volume(forKey: "data"))
        #expect(request.name == "demo_data")
        #expect(request.driverOpts == ["type": "tmpfs", "device": "tmpfs"])
        #expect(request.labels["keep"] == "yes")
        #expect(request.labels[ComposeLabel.volume] == "data")
        let cache = try #require(desired.volumes.first { $0.key == "cache" })
        let error = stackError { _ = try ServiceRequests.volume(for: cache, definition: project.volume(forKey: "cache")) }
        #expect(error?.path == "volumes.cache.driver")
    }

    @Test func checkFailsBeforeAnythingIsCreated() throws {
        let project = try loadProject(yaml)
        let error = stackError { _ = try ServiceRequests.check(try DesiredState(project: project), project: project) }
        #expect(error?.path == "networks.back.driver")
    }

    @Test func perNetworkSettingsWithoutAWireFieldAreWarnedAbout() throws {
        let desired = try desiredState("""
            services:
              web:
                image: busybox
                oom_kill_disable: true
                cpu_quota: 50000
                cpu_period: 100000
                networks:
                  back:
                    mac_address: "02:42:ac:11:00:09"
                    gw_priority: 5
                  front: {}
            networks:
              back: {}
              front: {}
            """)
        let web = try #require(desired.service(named: "web"))
        #expect(
            ServiceRequests.warnings(for: web).map(\.path) == [
                "services.web.networks.back.mac_address", "services.web.networks.back.gw_priority",
            ])
        let host = try ServiceRequests.container(for: web, number: 1, desired: desired).request.hostConfig
        #expect(host.oomKillDisable == true)
        #expect(host.cpuQuota == 50000 && host.cpuPeriod == 100000)
        #expect(host.networkMode == "demo_back")
    }

    @Test func checkCollectsWarningsOfEveryService() throws {
        let project = try loadProject("""
            services:
              web:
                image: busybox
                dns: [1.1.1.1]
                extra_hosts: ["db=10.0.0.2"]
                mac_address: "02:42:ac:11:00:02"
                links: [db]
              db:
                image: busybox
                dns_search: [example.org]
                deploy:
                  restart_policy:
                    condition: on-failure
                    delay: 5s
            """)
        let warnings = try ServiceRequests.check(try DesiredState(project: project), project: project)
        #expect(
            warnings.map(\.path) == [
                "services.db.dns_search", "services.web.dns",
                "services.web.extra_hosts", "services.web.mac_address", "services.web.links",
            ])
    }
}

@Suite struct ServiceRequestsRecreateTests {
    @Test func replacementKeepsAnonymousVolumes() throws {
        var (_, request) = try containerRequest("""
            services:
              web:
                image: busybox
                volumes:
                  - /cache
                  - data:/data
                  - /fresh
            volumes:
              data: {}
            """)
        let previous = [
            MountPoint(type: "volume", name: "0123abcd", source: "/var/lib/stack/volumes/0123abcd/_data", destination: "/cache/"),
            MountPoint(type: "volume", name: "demo_data", source: "/var/lib/stack/volumes/demo_data/_data", destination: "/data"),
            MountPoint(type: "volume", name: "4567ef", source: "/x", destination: "/image/volume", rw: false),
            MountPoint(type: "bind", source: "/host", destination: "/fresh"),
        ]
        ServiceRequests.inheritAnonymousVolumes(&request, from: previous, imageVolumes: ["/image/volume", "/unknown"])
        let mounts = request.hostConfig.mounts.map { "\($0.target)=\($0.source)\($0.readOnly ? ":ro" : "")" }
        #expect(mounts == ["/cache=0123abcd", "/data=demo_data", "/fresh=", "/image/volume=4567ef:ro"])
    }
}
