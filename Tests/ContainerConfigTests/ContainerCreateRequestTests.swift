import Foundation
import StackAPI
import Testing

@Suite struct ContainerCreateRequestTests {
    @Test func missingKeysDecodeToDefaults() throws {
        let request = try JSONDecoder().decode(ContainerCreateRequest.self, from: Data(#"{"Image":"busybox"}"#.utf8))
        #expect(request == ContainerCreateRequest(image: "busybox"))
        #expect(request.cmd == nil)
        #expect(request.hostConfig == HostConfig())
        let nulls = try JSONDecoder().decode(
            ContainerCreateRequest.self,
            from: Data(#"{"Image":"x","Env":null,"Cmd":null,"HostConfig":{"CapAdd":null,"Memory":null,"Binds":null}}"#.utf8))
        #expect(nulls.env == [])
        #expect(nulls.hostConfig.capAdd == [])
    }

    @Test func dockerKeys() throws {
        let json = """
            {"Image":"busybox","Cmd":["sh","-c","true"],"Entrypoint":"/init","Env":["A=1"],"WorkingDir":"/w","User":"1:2",
             "Hostname":"h","Domainname":"d","Labels":{"k":"v"},"Tty":true,"OpenStdin":true,"StdinOnce":true,
             "StopSignal":"SIGINT","StopTimeout":5,
             "HostConfig":{"Memory":536870912,"MemorySwap":-1,"MemoryReservation":1,"CpuShares":512,"NanoCpus":1500000000,
               "CpuPeriod":2,"CpuQuota":3,"CpusetCpus":"0-1","CpusetMems":"0","PidsLimit":64,"BlkioWeight":300,
               "BlkioDeviceReadBps":[{"Path":"/dev/sda","Rate":1048576}],"BlkioDeviceWriteIOps":[{"Path":"/dev/sdb","Rate":9}],
               "Ulimits":[{"Name":"nofile","Soft":1024,"Hard":2048}],"ReadonlyRootfs":true,"CapAdd":["NET_ADMIN"],
               "CapDrop":["MKNOD"],"Privileged":false,"SecurityOpt":["no-new-privileges"],"Init":true,"NetworkMode":"none",
               "RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3},"AutoRemove":true,"ShmSize":1024,
               "Tmpfs":{"/run":"size=1m"},"Binds":["/a:/b"],"OomKillDisable":true,"OomScoreAdj":-5,
               "Sysctls":{"net.ipv4.ip_forward":"1"}}}
            """
        let request = try JSONDecoder().decode(ContainerCreateRequest.self, from: Data(json.utf8))
        #expect(request.cmd == ["sh", "-c", "true"])
        #expect(request.entrypoint == ["/init"])
        #expect(request.user == "1:2")
        #expect(request.labels == ["k": "v"])
        #expect(request.tty && request.openStdin && request.stdinOnce)
        #expect(request.stopSignal == "SIGINT")
        #expect(request.stopTimeout == 5)
        let host = request.hostConfig
        #expect(host.memory == 536_870_912)
        #expect(host.memorySwap == -1)
        #expect(host.nanoCpus == 1_500_000_000)
        #expect(host.pidsLimit == 64)
        #expect(host.blkioDeviceReadBps == [HostConfig.ThrottleDevice(path: "/dev/sda", rate: 1_048_576)])
        #expect(host.blkioDeviceWriteIOps == [HostConfig.ThrottleDevice(path: "/dev/sdb", rate: 9)])
        #expect(host.ulimits == [HostConfig.Ulimit(name: "nofile", soft: 1024, hard: 2048)])
        #expect(host.initProcess == true)
        #expect(host.restartPolicy == HostConfig.RestartPolicy(name: "on-failure", maximumRetryCount: 3))
        #expect(host.tmpfs == ["/run": "size=1m"])
        #expect(host.oomKillDisable == true)
        #expect(host.oomScoreAdj == -5)
        #expect(host.sysctls == ["net.ipv4.ip_forward": "1"])

        // Encoding uses the same keys, so a round trip is lossless.
        let encoded = try JSONEncoder().encode(request)
        let text = String(decoding: encoded, as: UTF8.self)
        #expect(text.contains("\"NanoCpus\":1500000000"))
        #expect(text.contains("\"Init\":true"))
        #expect(try JSONDecoder().decode(ContainerCreateRequest.self, from: encoded) == request)
    }
}
