import Foundation
import StackAPI
import StackCore
import Testing
@testable import Reconciler

@Suite struct ServiceRequestsProcessTests {
    @Test func processIdentityAndLabels() throws {
        let (name, request) = try containerRequest("""
            services:
              web:
                image: nginx:1.27
                command: ["nginx", "-g", "daemon off;"]
                entrypoint: /docker-entrypoint.sh
                environment:
                  B: "2"
                  A: "1"
                working_dir: /srv
                user: "101:101"
                hostname: web1
                domainname: example.org
                labels:
                  app.tier: front
                tty: true
                stdin_open: true
                stop_signal: SIGQUIT
                stop_grace_period: 1m30s
                init: true
                privileged: true
                read_only: true
                cap_add: [NET_ADMIN]
                cap_drop: [ALL]
                security_opt: ["no-new-privileges:true"]
                sysctls:
                  net.core.somaxconn: "1024"
                shm_size: 128m
            """)
        #expect(name == "demo-web-1")
        #expect(request.image == "nginx:1.27")
        #expect(request.cmd == ["nginx", "-g", "daemon off;"])
        #expect(request.entrypoint == ["/docker-entrypoint.sh"])
        #expect(request.env == ["A=1", "B=2"])
        #expect(request.workingDir == "/srv")
        #expect(request.user == "101:101")
        #expect(request.hostname == "web1")
        #expect(request.domainname == "example.org")
        #expect(request.labels["app.tier"] == "front")
        #expect(request.labels[ComposeLabel.project] == "demo")
        #expect(request.labels[ComposeLabel.service] == "web")
        #expect(request.labels[ComposeLabel.containerNumber] == "1")
        #expect(request.labels[ComposeLabel.configHash]?.count == 64)
        #expect(request.tty && request.openStdin)
        #expect(request.stopSignal == "SIGQUIT")
        #expect(request.stopTimeout == 90)
        let host = request.hostConfig
        #expect(host.initProcess == true)
        #expect(host.privileged && host.readonlyRootfs)
        #expect(host.capAdd == ["NET_ADMIN"] && host.capDrop == ["ALL"])
        #expect(host.securityOpt == ["no-new-privileges:true"])
        #expect(host.sysctls == ["net.core.somaxconn": "1024"])
        #expect(host.shmSize == 128 * 1024 * 1024)
    }

    @Test func shellStringCommandIsSplitAndUnsetVariablesLeftOut() throws {
        let (_, request) = try containerRequest("""
            services:
              web:
                image: busybox
                command: sh -c 'echo "hi there"'
                environment:
                  - SET=yes
                  - UNSET_IN_SHELL
            """)
        #expect(request.cmd == ["sh", "-c", "echo \"hi there\""])
        #expect(request.entrypoint == nil)
        #expect(request.env == ["SET=yes"])
        #expect(request.stopTimeout == nil)
        #expect(request.hostConfig.initProcess == nil)
    }

    @Test func secondReplicaHasItsNumberAndName() throws {
        let (name, request) = try containerRequest("""
            services:
              web:
                image: busybox
                scale: 2
            """, number: 2)
        #expect(name == "demo-web-2")
        #expect(request.labels[ComposeLabel.containerNumber] == "2")
    }

    @Test func buildWithoutImageIsUnsupportedButABuiltImageIDIsUsed() throws {
        let yaml = """
            services:
              web:
                build: .
            """
        let error = stackError { _ = try containerRequest(yaml) }
        #expect(error?.code == .unsupported)
        #expect(error?.path == "services.web.build")
        let (_, request) = try containerRequest(yaml, imageIDs: ["web": "sha256:abc"])
        #expect(request.image == "sha256:abc")
    }

    @Test func secretsAndDevicesAreRefused() throws {
        let secrets = stackError {
            _ = try containerRequest("""
                services:
                  web:
                    image: busybox
                    secrets: [token]
                secrets:
                  token:
                    file: ./token.txt
                """)
        }
        #expect(secrets?.path == "services.web.secrets")
        #expect(secrets?.code == .unsupported)
        let devices = stackError {
            _ = try containerRequest("""
                services:
                  web:
                    image: busybox
                    devices: ["/dev/fuse"]
                """)
        }
        #expect(devices?.path == "services.web.devices")
    }
}

@Suite struct ServiceRequestsResourceTests {
    @Test func flatResourcesThenDeployLimitsOverride() throws {
        let yaml = """
            services:
              web:
                image: busybox
                mem_limit: 256m
                memswap_limit: 512m
                mem_reservation: 64m
                cpus: 0.5
                cpu_shares: 512
                cpuset: "0-1"
                pids_limit: 100
                oom_score_adj: -500
                ulimits:
                  nproc: 65535
                  nofile:
                    soft: 1024
                    hard: 2048
                blkio_config:
                  weight: 300
                  device_read_bps:
                    - path: /dev/sda
                      rate: 1mb
                  device_write_iops:
                    - path: /dev/sda
                      rate: 100
              limited:
                image: busybox
                mem_limit: 256m
                cpus: 0.5
                deploy:
                  resources:
                    limits:
                      memory: 1g
                      cpus: "1.25"
                      pids: 50
                    reservations:
                      memory: 128m
                      cpus: "0.1"
            """
        let (_, request) = try containerRequest(yaml)
        let host = request.hostConfig
        #expect(host.memory == 256 * 1024 * 1024)
        #expect(host.memorySwap == 512 * 1024 * 1024)
        #expect(host.memoryReservation == 64 * 1024 * 1024)
        #expect(host.nanoCpus == 500_000_000)
        #expect(host.cpuShares == 512)
        #expect(host.cpusetCpus == "0-1")
        #expect(host.pidsLimit == 100)
        #expect(host.oomScoreAdj == -500)
        #expect(host.blkioWeight == 300)
        #expect(
            try jsonText(request, "HostConfig", "Ulimits")
                == #"[{"Hard":2048,"Name":"nofile","Soft":1024},{"Hard":65535,"Name":"nproc","Soft":65535}]"#)
        #expect(try jsonText(request, "HostConfig", "BlkioDeviceReadBps") == #"[{"Path":"/dev/sda","Rate":1048576}]"#)
        #expect(try jsonText(request, "HostConfig", "BlkioDeviceWriteIOps") == #"[{"Path":"/dev/sda","Rate":100}]"#)

        let limited = try containerRequest(yaml, service: "limited").request.hostConfig
        #expect(limited.memory == 1024 * 1024 * 1024)
        #expect(limited.nanoCpus == 1_250_000_000)
        #expect(limited.pidsLimit == 50)
        #expect(limited.memoryReservation == 128 * 1024 * 1024)
    }
}

@Suite struct ServiceRequestsPolicyTests {
    @Test func restartPolicies() throws {
        let yaml = """
            services:
              plain:
                image: busybox
              always:
                image: busybox
                restart: always
              retry:
                image: busybox
                restart: on-failure:3
              stopped:
                image: busybox
                restart: unless-stopped
              deployAny:
                image: busybox
                deploy:
                  restart_policy:
                    condition: any
              deployFailure:
                image: busybox
                deploy:
                  restart_policy:
                    condition: on-failure
                    max_attempts: 5
                    delay: 2s
                    window: 30s
            """
        func policy(_ service: String) throws -> String? {
            try jsonText(try containerRequest(yaml, service: service).request, "HostConfig", "RestartPolicy")
        }
        #expect(try policy("plain") == #"{"MaximumRetryCount":0,"Name":"no"}"#)
        #expect(try policy("always") == #"{"MaximumRetryCount":0,"Name":"always"}"#)
        #expect(try policy("retry") == #"{"MaximumRetryCount":3,"Name":"on-failure"}"#)
        #expect(try policy("stopped") == #"{"MaximumRetryCount":0,"Name":"unless-stopped"}"#)
        #expect(try policy("deployAny") == #"{"MaximumRetryCount":0,"Name":"always"}"#)
        #expect(
            try policy("deployFailure")
                == #"{"Delay":2000000000,"MaximumRetryCount":5,"Name":"on-failure","Window":30000000000}"#)
    }

    @Test func healthcheckInNanoseconds() throws {
        let yaml = """
            services:
              web:
                image: busybox
                healthcheck:
                  test: ["CMD", "wget", "-q", "http://localhost/"]
                  interval: 10s
                  timeout: 1500ms
                  retries: 3
                  start_period: 1m
                  start_interval: 2s
              shell:
                image: busybox
                healthcheck:
                  test: curl -f http://localhost/
              off:
                image: busybox
                healthcheck:
                  disable: true
              none:
                image: busybox
            """
        let request = try containerRequest(yaml).request
        #expect(
            try jsonText(request, "Healthcheck")
                == #"{"Interval":10000000000,"Retries":3,"StartInterval":2000000000,"StartPeriod":60000000000,"#
                + #""Test":["CMD","wget","-q","http://localhost/"],"Timeout":1500000000}"#)
        #expect(
            try jsonText(try containerRequest(yaml, service: "shell").request, "Healthcheck")
                == #"{"Test":["CMD-SHELL","curl -f http://localhost/"]}"#)
        #expect(try jsonText(try containerRequest(yaml, service: "off").request, "Healthcheck") == #"{"Test":["NONE"]}"#)
        #expect(try jsonText(try containerRequest(yaml, service: "none").request, "Healthcheck") == nil)
        // The wire type round-trips.
        let data = try JSONEncoder().encode(request)
        #expect(try JSONDecoder().decode(ContainerCreateRequest.self, from: data).healthcheck == request.healthcheck)
    }

    @Test func jsonFileLoggingOnly() throws {
        let yaml = """
            services:
              web:
                image: busybox
                logging:
                  driver: json-file
                  options:
                    max-size: 10m
                    max-file: "3"
              syslog:
                image: busybox
                logging:
                  driver: syslog
            """
        #expect(
            try jsonText(try containerRequest(yaml).request, "HostConfig", "LogConfig")
                == #"{"Config":{"max-file":"3","max-size":"10m"},"Type":"json-file"}"#)
        let syslog = try desiredState(yaml).service(named: "syslog")
        #expect(try containerRequest(yaml, service: "syslog").request.hostConfig.logConfig == nil)
        #expect(syslog.map(ServiceRequests.warnings(for:))?.map(\.path) == ["services.syslog.logging.driver"])
    }
}
