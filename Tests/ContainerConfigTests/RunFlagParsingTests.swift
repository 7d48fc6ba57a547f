import ContainerConfig
import StackAPI
import StackCore
import Testing

/// The error `body` throws, or nil.
func thrownError<T>(_ body: () throws(StackError) -> T) -> StackError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

@Suite struct RunFlagParsingTests {
    @Test func memory() throws {
        #expect(try RunFlagParsing.memory("512m") == 512 * 1024 * 1024)
        #expect(try RunFlagParsing.memory("1g") == 1 << 30)
        #expect(try RunFlagParsing.memory("6m") == 6 * 1024 * 1024)
        let small = thrownError { () throws(StackError) in try RunFlagParsing.memory("4m") }
        #expect(small?.message == "invalid argument \"4m\" for \"--memory\" flag: minimum memory limit allowed is 6MB")
        let bad = thrownError { () throws(StackError) in try RunFlagParsing.memory("lots") }
        #expect(bad?.message.contains("\"--memory\"") == true)
        #expect(bad?.code == .invalidArgument)
    }

    @Test func memorySwap() throws {
        #expect(try RunFlagParsing.memorySwap("-1") == -1)
        #expect(try RunFlagParsing.memorySwap("1g") == 1 << 30)
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.memorySwap("-2") }?.message.contains("--memory-swap") == true)
    }

    @Test func cpus() throws {
        #expect(try RunFlagParsing.cpus("1.5") == 1_500_000_000)
        #expect(try RunFlagParsing.cpus("2") == 2_000_000_000)
        #expect(try RunFlagParsing.cpus(".25") == 250_000_000)
        #expect(try RunFlagParsing.cpus("0.000000001") == 1)
        for bad in ["", "abc", "-1", "1.2.3", "1e3", "0.0000000001"] {
            let error = thrownError { () throws(StackError) in try RunFlagParsing.cpus(bad) }
            #expect(error?.message.contains("for \"--cpus\" flag") == true, "\(bad)")
        }
    }

    @Test func cpuset() throws {
        #expect(try RunFlagParsing.cpuset("0-1,3") == "0-1,3")
        #expect(try RunFlagParsing.cpuset("7") == "7")
        for bad in ["", "a", "3-1", "1,,2", "1-", "-1", "1-2-3"] {
            let error = thrownError { () throws(StackError) in try RunFlagParsing.cpuset(bad) }
            #expect(error?.message.contains("--cpuset-cpus") == true, "\(bad)")
        }
    }

    @Test func integersAndPids() throws {
        #expect(try RunFlagParsing.integer("512", flag: "--cpu-shares") == 512)
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.integer("x", flag: "--cpu-shares") }?
            .message.hasPrefix("invalid argument \"x\" for \"--cpu-shares\" flag") == true)
        #expect(try RunFlagParsing.pidsLimit("100") == 100)
        #expect(try RunFlagParsing.pidsLimit("-1") == nil)
        #expect(try RunFlagParsing.pidsLimit("0") == nil)
        #expect(try RunFlagParsing.oomScoreAdj("-500") == -500)
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.oomScoreAdj("1001") } != nil)
    }

    @Test func blkioWeight() throws {
        #expect(try RunFlagParsing.blkioWeight("10") == 10)
        #expect(try RunFlagParsing.blkioWeight("1000") == 1000)
        for bad in ["9", "1001", "x"] {
            #expect(thrownError { () throws(StackError) in try RunFlagParsing.blkioWeight(bad) }?.message.contains("--blkio-weight") == true)
        }
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.blkioWeight("5") }?.message.contains("from 10 to 1000") == true)
    }

    @Test func deviceThrottles() throws {
        let bps = try RunFlagParsing.deviceRate("/dev/sda:1mb", flag: "--device-read-bps")
        #expect(bps == HostConfig.ThrottleDevice(path: "/dev/sda", rate: 1 << 20))
        #expect(try RunFlagParsing.deviceRate("/dev/sdb:4096", flag: "--device-write-bps").rate == 4096)
        let iops = try RunFlagParsing.deviceIOps("/dev/sda:1000", flag: "--device-read-iops")
        #expect(iops == HostConfig.ThrottleDevice(path: "/dev/sda", rate: 1000))
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.deviceIOps("/dev/sda:1k", flag: "--device-write-iops") }?
            .message.contains("--device-write-iops") == true)
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.deviceRate("sda:1mb", flag: "--device-read-bps") }?
            .message.contains("bad format for device path: sda") == true)
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.deviceRate("/dev/sda", flag: "--device-read-bps") } != nil)
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.deviceRate("/dev/sda:fast", flag: "--device-read-bps") }?
            .message.contains("invalid rate for device: fast") == true)
    }

    @Test func ulimit() throws {
        #expect(try RunFlagParsing.ulimit("nofile=1024:2048") == HostConfig.Ulimit(name: "nofile", soft: 1024, hard: 2048))
        #expect(try RunFlagParsing.ulimit("nproc=64") == HostConfig.Ulimit(name: "nproc", soft: 64, hard: 64))
        #expect(try RunFlagParsing.ulimit("core=-1") == HostConfig.Ulimit(name: "core", soft: -1, hard: -1))
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.ulimit("nofile=2048:1024") }?
            .message.contains("soft limit must be less than or equal to hard limit: 2048 > 1024") == true)
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.ulimit("bogus=1") }?.message.contains("invalid ulimit type: bogus") == true)
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.ulimit("nofile") }?.message.contains("--ulimit") == true)
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.ulimit("nofile=a:b") } != nil)
    }

    @Test func env() throws {
        let environment = ["HOME": "/home/me", "EMPTY": ""]
        #expect(try RunFlagParsing.env("A=1", environment: environment) == "A=1")
        #expect(try RunFlagParsing.env("A=", environment: environment) == "A=")
        #expect(try RunFlagParsing.env("HOME", environment: environment) == "HOME=/home/me")
        #expect(try RunFlagParsing.env("EMPTY", environment: environment) == "EMPTY=")
        #expect(try RunFlagParsing.env("UNSET", environment: environment) == "UNSET")
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.env("=x", environment: environment) }?.message.contains("--env") == true)
    }

    @Test func envFile() throws {
        let text = "\u{FEFF}# comment\n\n  A=1\nB= 2 \nQ=\"quoted\"\nHOME\nMISSING\r\nC=x=y\n"
        let env = try RunFlagParsing.envFile(text, file: "app.env", environment: ["HOME": "/root"])
        #expect(env == ["A=1", "B= 2 ", "Q=\"quoted\"", "HOME=/root", "C=x=y"])
        let noName = thrownError { () throws(StackError) in try RunFlagParsing.envFile("A=1\n=oops\n", file: "f.env", environment: [:]) }
        #expect(noName?.message == "f.env:2: no variable name on line '=oops'")
        let spaces = thrownError { () throws(StackError) in try RunFlagParsing.envFile("MY VAR=1", file: "f.env", environment: [:]) }
        #expect(spaces?.message == "f.env:1: variable 'MY VAR' contains whitespaces")
        let trailing = thrownError { () throws(StackError) in try RunFlagParsing.envFile("B = 2", file: "f.env", environment: [:]) }
        #expect(trailing?.message == "f.env:1: variable 'B ' contains whitespaces")
    }

    @Test func label() throws {
        #expect(try RunFlagParsing.label("a=b=c") == ("a", "b=c"))
        #expect(try RunFlagParsing.label("flag") == ("flag", ""))
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.label("=v") }?.message.contains("--label") == true)
    }

    @Test func restart() throws {
        #expect(try RunFlagParsing.restartPolicy("no") == HostConfig.RestartPolicy(name: "no"))
        #expect(try RunFlagParsing.restartPolicy("always") == HostConfig.RestartPolicy(name: "always"))
        #expect(try RunFlagParsing.restartPolicy("unless-stopped") == HostConfig.RestartPolicy(name: "unless-stopped"))
        #expect(try RunFlagParsing.restartPolicy("on-failure") == HostConfig.RestartPolicy(name: "on-failure"))
        #expect(try RunFlagParsing.restartPolicy("on-failure:5") == HostConfig.RestartPolicy(name: "on-failure", maximumRetryCount: 5))
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.restartPolicy("always:3") }?
            .message.contains("maximum retry count cannot be used with restart policy 'always'") == true)
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.restartPolicy("on-failure:-1") } != nil)
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.restartPolicy("sometimes") }?
            .message.contains("for \"--restart\" flag: invalid restart policy 'sometimes'") == true)
    }

    @Test func userNetworkTmpfs() throws {
        #expect(try RunFlagParsing.user("app:staff") == "app:staff")
        #expect(try RunFlagParsing.user("1000") == "1000")
        for bad in ["", ":1", "a:", "a:b:c"] {
            #expect(thrownError { () throws(StackError) in try RunFlagParsing.user(bad) }?.message.contains("--user") == true, "\(bad)")
        }
        for mode in ["none", "host", "default", "bridge"] { #expect(try RunFlagParsing.network(mode) == mode) }
        for mode in ["container:x", "backend", "my_net.1"] { #expect(try RunFlagParsing.network(mode) == mode) }
        for bad in ["", "container:", "my net", "a\tb"] {
            #expect(thrownError { () throws(StackError) in try RunFlagParsing.network(bad) }?.message.contains("--network") == true, "\(bad)")
        }
        #expect(try RunFlagParsing.tmpfs("/run:size=64m,exec") == ("/run", "size=64m,exec"))
        #expect(try RunFlagParsing.tmpfs("/tmp") == ("/tmp", ""))
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.tmpfs("tmp") }?.message.contains("must be absolute") == true)
    }

    @Test func securityOpt() throws {
        #expect(try RunFlagParsing.securityOpt("seccomp=/etc/profile.json") == .seccompProfileFile("/etc/profile.json"))
        #expect(try RunFlagParsing.securityOpt("seccomp:prof.json") == .seccompProfileFile("prof.json"))
        #expect(try RunFlagParsing.securityOpt("seccomp=unconfined") == .option("seccomp=unconfined"))
        #expect(try RunFlagParsing.securityOpt("no-new-privileges") == .option("no-new-privileges"))
        #expect(try RunFlagParsing.securityOpt("no-new-privileges:true") == .option("no-new-privileges:true"))
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.securityOpt("no-new-privileges=maybe") }?
            .message.contains("--security-opt") == true)
        #expect(thrownError { () throws(StackError) in try RunFlagParsing.securityOpt("bogus=1") }?.message.contains("unknown option bogus") == true)

        let options = try SecurityOptions.parse(["no-new-privileges:true", "seccomp=unconfined", "systempaths=unconfined"])
        #expect(options.noNewPrivileges)
        #expect(options.seccomp == .unconfined)
        #expect(options.unmaskSystemPaths)
        #expect(try SecurityOptions.parse(["seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}"]).seccomp
            == .profile("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}"))
        let bad = thrownError { () throws(StackError) in try SecurityOptions.parse(["no-new-privileges", "seccomp=x.json"]) }
        #expect(bad?.path == "HostConfig.SecurityOpt[1]")
    }
}
