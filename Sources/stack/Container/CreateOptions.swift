import ArgumentParser

/// The flags of `stack container run` and `create`, named and defaulted as Docker's.
/// Flags whose values may be negative (`--memory-swap -1`) take the next word whatever it looks like.
struct CreateOptions: ParsableArguments {
    @Option(name: .long, help: "Assign a name to the container.")
    var name: String?

    @Option(name: .shortAndLong, help: "Set an environment variable (KEY=VALUE, or KEY to take it from here).")
    var env: [String] = []

    @Option(name: .customLong("env-file"), help: "Read environment variables from a file.")
    var envFile: [String] = []

    @Option(name: [.customShort("w"), .customLong("workdir")], help: "Working directory inside the container.")
    var workdir: String?

    @Option(name: .shortAndLong, help: "Username or UID (format: <name|uid>[:<group|gid>]).")
    var user: String?

    @Option(name: [.customShort("h"), .long], help: "Container host name.")
    var hostname: String?

    @Option(name: [.customShort("l"), .customLong("label")], help: "Set metadata on the container (KEY=VALUE).")
    var labels: [String] = []

    @Option(name: .long, help: "Overwrite the default ENTRYPOINT of the image.")
    var entrypoint: String?

    @Flag(name: .shortAndLong, help: "Keep STDIN open even if not attached.")
    var interactive = false

    @Flag(name: .shortAndLong, help: "Allocate a pseudo-TTY.")
    var tty = false

    @Option(name: .shortAndLong, help: "Memory limit (e.g. 512m).")
    var memory: String?

    @Option(name: .customLong("memory-swap"), parsing: .unconditional, help: "Memory plus swap limit; -1 for unlimited swap.")
    var memorySwap: String?

    @Option(name: .customLong("memory-reservation"), help: "Memory soft limit.")
    var memoryReservation: String?

    @Option(name: [.customShort("c"), .customLong("cpu-shares")], help: "CPU shares (relative weight).")
    var cpuShares: String?

    @Option(name: .long, help: "Number of CPUs (e.g. 1.5).")
    var cpus: String?

    @Option(name: .customLong("cpuset-cpus"), help: "CPUs in which to allow execution (0-3, 0,1).")
    var cpusetCpus: String?

    @Option(name: .customLong("cpuset-mems"), help: "Memory nodes in which to allow execution.")
    var cpusetMems: String?

    @Option(name: .customLong("pids-limit"), parsing: .unconditional, help: "Tune container pids limit (-1 for unlimited).")
    var pidsLimit: String?

    @Option(name: .customLong("blkio-weight"), help: "Block IO weight (10 to 1000).")
    var blkioWeight: String?

    @Option(name: .customLong("device-read-bps"), help: "Limit read rate from a device (/dev/sda:1mb).")
    var deviceReadBps: [String] = []

    @Option(name: .customLong("device-write-bps"), help: "Limit write rate to a device.")
    var deviceWriteBps: [String] = []

    @Option(name: .customLong("device-read-iops"), help: "Limit read rate (IO per second) from a device.")
    var deviceReadIops: [String] = []

    @Option(name: .customLong("device-write-iops"), help: "Limit write rate (IO per second) to a device.")
    var deviceWriteIops: [String] = []

    @Option(name: .long, help: "Ulimit options (nofile=1024:2048).")
    var ulimit: [String] = []

    @Flag(name: .customLong("read-only"), help: "Mount the container's root filesystem as read only.")
    var readOnly = false

    @Option(name: .customLong("cap-add"), help: "Add Linux capabilities.")
    var capAdd: [String] = []

    @Option(name: .customLong("cap-drop"), help: "Drop Linux capabilities.")
    var capDrop: [String] = []

    @Flag(name: .long, help: "Give extended privileges to this container.")
    var privileged = false

    @Option(name: .customLong("security-opt"), help: "Security options (seccomp=PROFILE.json|unconfined, no-new-privileges).")
    var securityOpt: [String] = []

    @Flag(name: .customLong("init"), help: "Run an init inside the container that forwards signals and reaps processes.")
    var initProcess = false

    @Option(
        name: [.customLong("network"), .customLong("net")],
        help: "Connect the container to a network (bridge, NAME, none, host, container:NAME); repeat for more.")
    var network: [String] = []

    @Option(name: .customLong("ip"), help: "IPv4 address on the (first) network (e.g. 172.30.100.104).")
    var ip: String?

    @Option(name: [.customLong("network-alias"), .customLong("net-alias")], help: "Add a network-scoped alias.")
    var networkAlias: [String] = []

    @Option(name: [.customShort("p"), .customLong("publish")], help: "Publish a container's port(s) to the host ([IP:][HOSTPORT:]PORT[/PROTO]).")
    var publish: [String] = []

    @Flag(name: [.customShort("P"), .customLong("publish-all")], help: "Publish all exposed ports to random ports.")
    var publishAll = false

    @Option(name: .customLong("expose"), help: "Expose a port or a range of ports.")
    var expose: [String] = []

    @Option(name: .customLong("health-cmd"), help: "Command to run to check health (run by /bin/sh -c).")
    var healthCmd: String?

    @Option(name: .customLong("health-interval"), help: "Time between running the check (ms|s|m|h).")
    var healthInterval: String?

    @Option(name: .customLong("health-timeout"), help: "Maximum time to allow one check to run (ms|s|m|h).")
    var healthTimeout: String?

    @Option(name: .customLong("health-retries"), help: "Consecutive failures needed to report unhealthy.")
    var healthRetries: Int?

    @Option(name: .customLong("health-start-period"), help: "Start period for the container to initialize (ms|s|m|h).")
    var healthStartPeriod: String?

    @Option(name: .customLong("health-start-interval"), help: "Time between checks during the start period (ms|s|m|h).")
    var healthStartInterval: String?

    @Flag(name: .customLong("no-healthcheck"), help: "Disable any container-specified HEALTHCHECK.")
    var noHealthcheck = false

    @Option(name: .long, help: "Restart policy (no, always, unless-stopped, on-failure[:N]); recorded.")
    var restart: String?

    @Flag(name: .long, help: "Automatically remove the container when it exits.")
    var rm = false

    @Option(name: .customLong("stop-signal"), help: "Signal to stop the container.")
    var stopSignal: String?

    @Option(name: .customLong("stop-timeout"), help: "Timeout (in seconds) to stop a container.")
    var stopTimeout: Int?

    @Option(name: .customLong("shm-size"), help: "Size of /dev/shm.")
    var shmSize: String?

    @Option(name: .long, help: "Mount a tmpfs directory (/path[:options]).")
    var tmpfs: [String] = []

    @Option(name: .customLong("sysctl"), help: "Sysctl options (KEY=VALUE).")
    var sysctl: [String] = []

    @Option(name: .customLong("log-opt"), help: "Log driver options (max-size=10m, max-file=3).")
    var logOpt: [String] = []

    @Option(name: .customLong("oom-score-adj"), parsing: .unconditional, help: "Tune host's OOM preferences (-1000 to 1000).")
    var oomScoreAdj: Int?

    // Volumes (issue 6): see CreateOptions+Volumes.swift.
    @Option(name: [.customShort("v"), .customLong("volume")], help: "Bind mount a volume (/host:/ctr[:ro], NAME:/ctr[:ro], /ctr).")
    var volume: [String] = []

    @Option(name: .customLong("mount"), help: "Attach a filesystem mount (type=bind|volume|tmpfs,source=…,target=…,readonly).")
    var mount: [String] = []

    @Option(name: .customLong("volumes-from"), help: "Mount volumes from the specified container (NAME[:ro|:rw]).")
    var volumesFrom: [String] = []

    @Argument(help: "The image.")
    var image: String

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.")
    var command: [String] = []
}
