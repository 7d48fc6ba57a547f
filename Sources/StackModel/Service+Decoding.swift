extension Service {
    enum CodingKeys: String, CodingKey {
        case image, build, command, entrypoint, environment, user, tty, healthcheck, restart, hostname, domainname
        case labels, annotations, profiles, platform, runtime, ports, expose, networks, dns, links, volumes, tmpfs
        case secrets, configs, deploy, scale, develop, cpus, cpuset, ulimits, devices, privileged, sysctls, ipc, pid
        case uts, cgroup, logging
        case useInit = "init"
        case pullPolicy = "pull_policy"
        case envFiles = "env_file"
        case workingDir = "working_dir"
        case groupAdd = "group_add"
        case stdinOpen = "stdin_open"
        case stopSignal = "stop_signal"
        case stopGracePeriod = "stop_grace_period"
        case postStart = "post_start"
        case preStop = "pre_stop"
        case containerName = "container_name"
        case networkMode = "network_mode"
        case dnsSearch = "dns_search"
        case dnsOpt = "dns_opt"
        case extraHosts = "extra_hosts"
        case macAddress = "mac_address"
        case externalLinks = "external_links"
        case volumesFrom = "volumes_from"
        case readOnly = "read_only"
        case shmSize = "shm_size"
        case dependsOn = "depends_on"
        case memLimit = "mem_limit"
        case memReservation = "mem_reservation"
        case memswapLimit = "memswap_limit"
        case memSwappiness = "mem_swappiness"
        case cpuShares = "cpu_shares"
        case cpuQuota = "cpu_quota"
        case cpuPeriod = "cpu_period"
        case blkioConfig = "blkio_config"
        case pidsLimit = "pids_limit"
        case oomScoreAdj = "oom_score_adj"
        case oomKillDisable = "oom_kill_disable"
        case capAdd = "cap_add"
        case capDrop = "cap_drop"
        case securityOpt = "security_opt"
        case usernsMode = "userns_mode"
        case cgroupParent = "cgroup_parent"
    }

    /// Decodes the canonical (long-syntax) form of a service. The name is the last key of the
    /// decoder's coding path (the key under `services:`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: decoder.codingPath.last?.stringValue ?? "", image: try c.optional(.image))
        build = try c.optional(.build)
        pullPolicy = try c.optional(.pullPolicy)
        command = try c.optional(.command)
        entrypoint = try c.optional(.entrypoint)
        environment = try c.value(.environment, or: [:])
        envFiles = try c.value(.envFiles, or: [])
        workingDir = try c.optional(.workingDir)
        user = try c.optional(.user)
        groupAdd = try c.value(.groupAdd, or: [])
        useInit = try c.optional(.useInit)
        tty = try c.value(.tty, or: false)
        stdinOpen = try c.value(.stdinOpen, or: false)
        stopSignal = try c.optional(.stopSignal)
        stopGracePeriod = try c.duration(.stopGracePeriod)
        healthcheck = try c.optional(.healthcheck)
        restart = try c.optional(.restart)
        postStart = try c.value(.postStart, or: [])
        preStop = try c.value(.preStop, or: [])

        containerName = try c.optional(.containerName)
        hostname = try c.optional(.hostname)
        domainname = try c.optional(.domainname)
        labels = try c.stringMap(.labels)
        annotations = try c.stringMap(.annotations)
        profiles = try c.value(.profiles, or: [])
        platform = try c.optional(.platform)
        runtime = try c.optional(.runtime)

        ports = try c.value(.ports, or: [])
        expose = try c.value(.expose, or: [])
        let attachments = try c.value(.networks, or: [String: ServiceNetwork?]())
        networks = attachments.mapValues { $0 ?? ServiceNetwork() }
        networkMode = try c.optional(.networkMode)
        dns = try c.value(.dns, or: [])
        dnsSearch = try c.value(.dnsSearch, or: [])
        dnsOpt = try c.value(.dnsOpt, or: [])
        extraHosts = try c.value(.extraHosts, or: [])
        macAddress = try c.optional(.macAddress)
        links = try c.value(.links, or: [])
        externalLinks = try c.value(.externalLinks, or: [])

        volumes = try c.value(.volumes, or: [])
        volumesFrom = try c.value(.volumesFrom, or: [])
        tmpfs = try c.value(.tmpfs, or: [])
        secrets = try c.value(.secrets, or: [])
        configs = try c.value(.configs, or: [])
        readOnly = try c.value(.readOnly, or: false)
        shmSize = try c.byteSize(.shmSize)

        dependsOn = try c.value(.dependsOn, or: [:])
        deploy = try c.optional(.deploy)
        scale = try c.optional(.scale)
        develop = try c.optional(.develop)

        memLimit = try c.byteSize(.memLimit)
        memReservation = try c.byteSize(.memReservation)
        memswapLimit = try c.byteSize(.memswapLimit)
        memSwappiness = try c.optional(.memSwappiness)
        cpus = try c.optional(.cpus)
        cpuShares = try c.optional(.cpuShares)
        cpuQuota = try c.optional(.cpuQuota)
        cpuPeriod = try c.optional(.cpuPeriod)
        cpuset = try c.optional(.cpuset)
        blkioConfig = try c.optional(.blkioConfig)
        pidsLimit = try c.optional(.pidsLimit)
        ulimits = try c.value(.ulimits, or: [:])
        oomScoreAdj = try c.optional(.oomScoreAdj)
        oomKillDisable = try c.optional(.oomKillDisable)
        devices = try c.value(.devices, or: [])

        privileged = try c.value(.privileged, or: false)
        capAdd = try c.value(.capAdd, or: [])
        capDrop = try c.value(.capDrop, or: [])
        securityOpt = try c.value(.securityOpt, or: [])
        sysctls = try c.stringMap(.sysctls)
        ipc = try c.optional(.ipc)
        pid = try c.optional(.pid)
        uts = try c.optional(.uts)
        usernsMode = try c.optional(.usernsMode)
        cgroup = try c.optional(.cgroup)
        cgroupParent = try c.optional(.cgroupParent)
        logging = try c.optional(.logging)
    }
}
