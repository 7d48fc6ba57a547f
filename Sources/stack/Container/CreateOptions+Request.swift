import ContainerConfig
import StackAPI
import StackCore

extension CreateOptions {
    /// The create request these flags ask for (Docker's CLI rules: `--entrypoint ""` clears the
    /// image's, `-e K` takes K from this process's environment, `seccomp=FILE` sends the file).
    func request(environment: [String: String]) throws(StackError) -> ContainerCreateRequest {
        var env: [String] = []
        for file in envFile {
            guard let text = LocalFile.readText(file) else {
                throw StackError(.invalidArgument, "--env-file: cannot read \(file)")
            }
            env += try RunFlagParsing.envFile(text, file: file, environment: environment)
        }
        for item in self.env { env.append(try RunFlagParsing.env(item, environment: environment)) }
        var labels: [String: String] = [:]
        for item in self.labels {
            let (key, value) = try RunFlagParsing.label(item)
            labels[key] = value
        }
        var host = HostConfig()
        if let memory { host.memory = try RunFlagParsing.memory(memory) }
        if let memorySwap { host.memorySwap = try RunFlagParsing.memorySwap(memorySwap) }
        if let memoryReservation {
            host.memoryReservation = try RunFlagParsing.byteSize(memoryReservation, flag: "--memory-reservation")
        }
        if let cpuShares { host.cpuShares = try RunFlagParsing.integer(cpuShares, flag: "--cpu-shares") }
        if let cpus { host.nanoCpus = try RunFlagParsing.cpus(cpus) }
        if let cpusetCpus { host.cpusetCpus = try RunFlagParsing.cpuset(cpusetCpus) }
        if let cpusetMems { host.cpusetMems = try RunFlagParsing.cpuset(cpusetMems, flag: "--cpuset-mems") }
        if let pidsLimit { host.pidsLimit = try RunFlagParsing.pidsLimit(pidsLimit) }
        if let blkioWeight { host.blkioWeight = try RunFlagParsing.blkioWeight(blkioWeight) }
        host.blkioDeviceReadBps = try deviceReadBps.map { text throws(StackError) in
            try RunFlagParsing.deviceRate(text, flag: "--device-read-bps")
        }
        host.blkioDeviceWriteBps = try deviceWriteBps.map { text throws(StackError) in
            try RunFlagParsing.deviceRate(text, flag: "--device-write-bps")
        }
        host.blkioDeviceReadIOps = try deviceReadIops.map { text throws(StackError) in
            try RunFlagParsing.deviceIOps(text, flag: "--device-read-iops")
        }
        host.blkioDeviceWriteIOps = try deviceWriteIops.map { text throws(StackError) in
            try RunFlagParsing.deviceIOps(text, flag: "--device-write-iops")
        }
        host.ulimits = try ulimit.map { text throws(StackError) in try RunFlagParsing.ulimit(text) }
        host.readonlyRootfs = readOnly
        host.capAdd = capAdd
        host.capDrop = capDrop
        host.privileged = privileged
        host.securityOpt = try securityOpt.map { option throws(StackError) in try Self.securityOption(option) }
        host.initProcess = initProcess ? true : nil
        let networking = try networkingRequest(&host)
        if let restart { host.restartPolicy = try RunFlagParsing.restartPolicy(restart) }
        host.autoRemove = rm
        if let shmSize { host.shmSize = try RunFlagParsing.byteSize(shmSize, flag: "--shm-size") }
        for item in tmpfs {
            let (path, options) = try RunFlagParsing.tmpfs(item)
            host.tmpfs[path] = options
        }
        for item in sysctl {
            guard let equals = item.firstIndex(of: "=") else {
                throw StackError(.invalidArgument, "--sysctl: expected KEY=VALUE, got \"\(item)\"")
            }
            host.sysctls[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        if let oomScoreAdj { host.oomScoreAdj = try RunFlagParsing.oomScoreAdj(String(oomScoreAdj)) }

        if !logOpt.isEmpty {
            var config: [String: String] = [:]
            for item in logOpt {
                guard let equals = item.firstIndex(of: "=") else {
                    throw StackError(.invalidArgument, "--log-opt: expected KEY=VALUE, got \"\(item)\"")
                }
                config[String(item[..<equals])] = String(item[item.index(after: equals)...])
            }
            host.logConfig = HostConfig.LogConfig(type: "json-file", config: config)
        }
        if tty, let size = TerminalMode.size(1) ?? TerminalMode.size(0) { host.consoleSize = [size.rows, size.columns] }
        var entrypointValue: [String]? = nil
        if let entrypoint { entrypointValue = entrypoint.isEmpty ? [] : [entrypoint] }
        var request = ContainerCreateRequest(
            image: image, cmd: command.isEmpty ? nil : command, entrypoint: entrypointValue, env: env,
            workingDir: workdir ?? "", user: try user.map { text throws(StackError) in try RunFlagParsing.user(text) } ?? "",
            hostname: hostname ?? "", labels: labels, tty: tty, openStdin: interactive, stdinOnce: interactive,
            stopSignal: stopSignal, stopTimeout: stopTimeout, hostConfig: host)
        request.networkingConfig = networking
        var exposed: [String] = []
        for item in expose { exposed += try PortSpecParsing.exposed(item) }
        request.exposedPorts = exposed
        try applyVolumeFlags(to: &request)  // -v, --mount, --volumes-from
        request.healthcheck = try healthcheck()
        return request
    }

    /// `--health-*` and `--no-healthcheck` as Docker's CLI sends them (durations in nanoseconds).
    func healthcheck() throws(StackError) -> HealthConfig? {
        func duration(_ text: String?, _ flag: String) throws(StackError) -> Int64 {
            guard let text else { return 0 }
            guard let value = GoDuration.parse(text), value >= 0 else {
                throw StackError(.invalidArgument, "invalid argument \"\(text)\" for \"\(flag)\" flag: invalid duration")
            }
            return value
        }
        let timing = [healthInterval, healthTimeout, healthStartPeriod, healthStartInterval].contains { $0 != nil }
            || healthRetries != nil
        if noHealthcheck {
            if healthCmd != nil || timing {
                throw StackError(.invalidArgument, "--no-healthcheck conflicts with --health-* options")
            }
            return HealthConfig(test: ["NONE"])
        }
        guard healthCmd != nil || timing else { return nil }
        if let retries = healthRetries, retries < 0 {
            throw StackError(.invalidArgument, "--health-retries cannot be negative")
        }
        return HealthConfig(
            test: healthCmd.map { ["CMD-SHELL", $0] } ?? [], interval: try duration(healthInterval, "--health-interval"),
            timeout: try duration(healthTimeout, "--health-timeout"), retries: healthRetries ?? 0,
            startPeriod: try duration(healthStartPeriod, "--health-start-period"),
            startInterval: try duration(healthStartInterval, "--health-start-interval"))
    }

    /// `--network` (repeatable), `--ip`, `--network-alias`, `-p`, `-P` as Docker's CLI sends them:
    /// the first network is the mode, every named network gets an EndpointsConfig entry.
    func networkingRequest(_ host: inout HostConfig) throws(StackError) -> NetworkingConfig? {
        var names: [String] = []
        for item in network {
            let name = try RunFlagParsing.network(item)
            if !names.contains(name) { names.append(name) }
        }
        if let first = names.first { host.networkMode = first }
        let special = names.contains { $0 == "host" || $0 == "none" || $0.hasPrefix("container:") }
        if special && names.count > 1 {
            throw StackError(.invalidArgument, "conflicting options: cannot attach both user-defined and non-user-defined network-modes")
        }
        if special, ip != nil || !networkAlias.isEmpty {
            throw StackError(.invalidArgument, "conflicting options: --ip and --network-alias need a bridge network")
        }
        for item in publish {
            for spec in try PortSpecParsing.parse(item) {
                for (offset, port) in spec.containerPort.enumerated() {
                    let key = "\(port)/\(spec.proto)"
                    var hostPort = ""
                    if let range = spec.hostPort {
                        if spec.containerPort.count == 1 {
                            hostPort = range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
                        } else {
                            hostPort = "\(Int(range.lowerBound) + offset)"
                        }
                    }
                    host.portBindings[key, default: []].append(PortBinding(hostIP: spec.hostIP, hostPort: hostPort))
                }
            }
        }
        host.publishAllPorts = publishAll
        guard !names.isEmpty || ip != nil || !networkAlias.isEmpty, !special else { return nil }
        var endpoints: [String: EndpointSettings] = [:]
        for (index, name) in (names.isEmpty ? ["bridge"] : names).enumerated() {
            var settings = EndpointSettings()
            if index == 0 {
                if let ip { settings.ipamConfig = EndpointIPAMConfig(ipv4Address: ip) }
                if !networkAlias.isEmpty { settings.aliases = networkAlias }
            }
            endpoints[name] = settings
        }
        return NetworkingConfig(endpointsConfig: endpoints)
    }

    /// `seccomp=FILE` becomes `seccomp=<the file's JSON>` as Docker's CLI sends it.
    static func securityOption(_ option: String) throws(StackError) -> String {
        for prefix in ["seccomp=", "seccomp:"] where option.hasPrefix(prefix) {
            let value = String(option.dropFirst(prefix.count))
            if value == "unconfined" || value == "builtin" || value == "default" { return option }
            guard let text = LocalFile.readText(value) else {
                throw StackError(.invalidArgument, "--security-opt: cannot read seccomp profile \(value)")
            }
            return "seccomp=" + text
        }
        return option
    }
}
