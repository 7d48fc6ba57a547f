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
        if let network { host.networkMode = try RunFlagParsing.network(network) }
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
        try applyVolumeFlags(to: &request)  // -v, --mount, --volumes-from
        return request
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
