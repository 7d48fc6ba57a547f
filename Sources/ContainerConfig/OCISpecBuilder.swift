import RuntimeSpec
import StackAPI
import StackCore

/// The parts of an image's config a container inherits (OCI image config `config` section).
public struct ImageDefaults: Sendable, Hashable {
    public var env: [String]
    public var cmd: [String]?
    public var entrypoint: [String]?
    public var workingDir: String
    public var user: String
    public var stopSignal: String?

    public init(
        env: [String] = [], cmd: [String]? = nil, entrypoint: [String]? = nil, workingDir: String = "",
        user: String = "", stopSignal: String? = nil
    ) {
        self.env = env
        self.cmd = cmd
        self.entrypoint = entrypoint
        self.workingDir = workingDir
        self.user = user
        self.stopSignal = stopSignal
    }
}

/// A device's numbers, for the blkio throttles.
public struct DeviceNumber: Sendable, Hashable {
    public var major: Int64
    public var minor: Int64

    public init(major: Int64, minor: Int64) {
        self.major = major
        self.minor = minor
    }
}

/// Turns a device path (`/dev/sda`) into its numbers; the engine stats the host path. Throw a message
/// saying why it cannot (the builder adds the field).
public typealias DeviceNumberLookup = (String) throws(StackError) -> DeviceNumber

/// Builds the OCI runtime spec of a container from its create request, Docker's way.
public enum OCISpecBuilder {
    /// Where `--init`'s binary is mounted in the container.
    public static let initDestination = "/sbin/stack-init"

    /// A lookup that knows no devices (for callers without blkio throttles).
    public static func noDeviceNumbers(_ path: String) throws(StackError) -> DeviceNumber {
        throw StackError(.unsupported, "no device lookup available for \(path)")
    }

    /// The spec for `request` on `image`.
    ///
    /// - Parameters:
    ///   - rootfs: the bundle's root path (`rootfs`, or absolute).
    ///   - hostname: the container's hostname (the request's, or the short id).
    ///   - identity: the user the process runs as (`UserResolver.resolve` of the request's or image's user).
    ///   - etcFiles: container path → host path of /etc/hosts, /etc/hostname, /etc/resolv.conf to bind.
    ///   - initPath: the host's `stack-init`, mounted read-only at /sbin/stack-init when `HostConfig.Init`.
    ///   - cgroupsPath: `linux.cgroupsPath`.
    ///   - netnsPath: a network namespace to join (the container's own for bridge and named networks, the other
    ///     container's for `container:X`); nil creates one (unless `--network host` or `none`).
    ///   - availableCapabilities: the engine's bounding set; privileged and `--cap-add ALL` get these.
    ///   - deviceNumbers: resolves the blkio throttle devices.
    ///   - architecture: the Go architecture name the seccomp profile is resolved for.
    ///   - resolvedMounts: the engine's resolved binds, volumes and tmpfs mounts (see `ResolvedMount`);
    ///     nil reads absolute-path binds and tmpfs from the host config.
    public static func build(
        request: ContainerCreateRequest, image: ImageDefaults, rootfs: String, hostname: String,
        identity: ResolvedUser, etcFiles: [String: String], initPath: String?, cgroupsPath: String,
        netnsPath: String?, deviceNumbers: DeviceNumberLookup = noDeviceNumbers,
        architecture: String = DockerSeccompProfile.nativeArchitecture, availableCapabilities: [String]? = nil,
        resolvedMounts: [ResolvedMount]? = nil
    ) throws(StackError) -> Spec {
        let host = request.hostConfig
        let security = try SecurityOptions.parse(host.securityOpt)
        let networkMode = host.networkMode.isEmpty ? "default" : host.networkMode
        guard RunFlagParsing.isValidNetworkMode(networkMode) else {
            throw StackError(.unsupported, "network mode \"\(networkMode)\" is not supported", path: "HostConfig.NetworkMode")
        }

        var spec = Spec()
        spec.root = Spec.Root(path: rootfs, readonly: host.readonlyRootfs)
        spec.hostname = hostname
        if !request.domainname.isEmpty { spec.domainname = request.domainname }

        var args = try arguments(request: request, image: image)
        let useInit = host.initProcess ?? false
        if useInit {
            guard initPath != nil else {
                throw StackError(.unsupported, "no init binary (stack-init) is available", path: "HostConfig.Init")
            }
            args = [initDestination, "--"] + args
        }

        var process = Spec.Process(args: args, cwd: try workingDirectory(request: request, image: image))
        process.terminal = request.tty
        if request.tty, let size = host.consoleSize, size.count == 2, size[0] > 0, size[1] > 0 {
            process.consoleSize = Spec.ConsoleSize(height: UInt(size[0]), width: UInt(size[1]))
        }
        process.env = environment(request: request, image: image, hostname: hostname, home: identity.home)
        process.user = Spec.User(
            uid: identity.uid, gid: identity.gid,
            additionalGids: identity.additionalGids.isEmpty ? nil : identity.additionalGids)
        let capabilities = try CapabilitySet.tweak(
            DockerDefaults.capabilities, add: host.capAdd, drop: host.capDrop, privileged: host.privileged,
            available: availableCapabilities)
        process.capabilities = identity.uid == 0
            ? Spec.Capabilities(
                bounding: capabilities, effective: capabilities, inheritable: [], permitted: capabilities, ambient: [])
            : Spec.Capabilities(bounding: capabilities, effective: [], inheritable: [], permitted: [], ambient: [])
        process.rlimits = try rlimits(host.ulimits)
        process.noNewPrivileges = security.noNewPrivileges
        guard (-1000...1000).contains(host.oomScoreAdj) else {
            throw StackError(
                .invalidArgument, "invalid value \(host.oomScoreAdj), must be in the range [-1000, 1000]",
                path: "HostConfig.OomScoreAdj")
        }
        process.oomScoreAdj = host.oomScoreAdj
        spec.process = process

        var linux = Spec.Linux()
        linux.namespaces = namespaces(networkMode: networkMode, netnsPath: netnsPath)
        linux.cgroupsPath = cgroupsPath
        linux.resources = try resources(host, deviceNumbers: deviceNumbers)
        linux.sysctl = try sysctls(host.sysctls, networkMode: networkMode)
        if !host.privileged && !security.unmaskSystemPaths {
            linux.maskedPaths = DockerDefaults.maskedPaths
            linux.readonlyPaths = DockerDefaults.readonlyPaths
        }
        if !host.privileged {
            linux.seccomp = try seccomp(security.seccomp, capabilities: capabilities, architecture: architecture)
        }
        spec.linux = linux

        spec.mounts = try mounts(host, etcFiles: etcFiles, initPath: useInit ? initPath : nil, resolved: resolvedMounts)
        return spec
    }

    /// argv: entrypoint + cmd, Docker's merge: without a request entrypoint, the request's Cmd (or the
    /// image's) follows the image's entrypoint; a request entrypoint drops the image's Cmd; `[""]` or `[]`
    /// as entrypoint clears the image's entrypoint but keeps its Cmd.
    public static func arguments(request: ContainerCreateRequest, image: ImageDefaults) throws(StackError) -> [String] {
        var entrypoint = request.entrypoint
        if entrypoint == [""] { entrypoint = [] }
        var cmd = request.cmd ?? []
        if entrypoint?.isEmpty ?? true {
            if cmd.isEmpty { cmd = image.cmd ?? [] }
            if entrypoint == nil { entrypoint = image.entrypoint }
        }
        let args = (entrypoint ?? []) + cmd
        guard !args.isEmpty else {
            throw StackError(.invalidArgument, "no command specified", path: "Cmd")
        }
        return args
    }

    /// The request's working directory, else the image's, else `/`; it must be absolute.
    static func workingDirectory(request: ContainerCreateRequest, image: ImageDefaults) throws(StackError) -> String {
        let cwd = !request.workingDir.isEmpty ? request.workingDir : (!image.workingDir.isEmpty ? image.workingDir : "/")
        guard cwd.hasPrefix("/") else {
            throw StackError(
                .invalidArgument, "the working directory '\(cwd)' is invalid, it needs to be an absolute path",
                path: request.workingDir.isEmpty ? "image WorkingDir" : "WorkingDir")
        }
        return cwd
    }

    /// PATH, HOSTNAME (and TERM with a terminal), then the image's env, then the request's, each
    /// replacing earlier values by name; a bare `NAME` removes NAME. HOME is added from `home` when unset.
    public static func environment(request: ContainerCreateRequest, image: ImageDefaults, hostname: String, home: String)
        -> [String]
    {
        var env = DockerDefaults.environment(hostname: hostname, tty: request.tty)
        for entry in image.env + request.env {
            let name = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let index = env.firstIndex { $0.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0] == name }
            if !entry.contains("=") {
                if let index { env.remove(at: index) }
            } else if let index {
                env[index] = entry
            } else {
                env.append(entry)
            }
        }
        if !env.contains(where: { $0.hasPrefix("HOME=") }) { env.append("HOME=" + home) }
        return env
    }

    /// `--ulimit`s as OCI rlimits (`RLIMIT_NOFILE`); -1 is RLIM_INFINITY.
    static func rlimits(_ ulimits: [HostConfig.Ulimit]) throws(StackError) -> [Spec.Rlimit]? {
        if ulimits.isEmpty { return nil }
        var result: [Spec.Rlimit] = []
        for (index, ulimit) in ulimits.enumerated() {
            let name = "RLIMIT_" + ulimit.name.uppercased()
            guard RlimitType(name: name) != nil else {
                throw StackError(.invalidArgument, "invalid ulimit type: \(ulimit.name)", path: "HostConfig.Ulimits[\(index)].Name")
            }
            let value: (Int64) -> UInt64 = { $0 < 0 ? RlimitType.infinity : UInt64($0) }
            let soft = value(ulimit.soft)
            let hard = value(ulimit.hard)
            guard soft <= hard else {
                throw StackError(
                    .invalidArgument, "ulimit soft limit must be less than or equal to hard limit: \(ulimit.soft) > \(ulimit.hard)",
                    path: "HostConfig.Ulimits[\(index)]")
            }
            result.removeAll { $0.type == name }
            result.append(Spec.Rlimit(type: name, hard: hard, soft: soft))
        }
        return result
    }

    /// pid, ipc, uts, mount, cgroup, and network unless `host` (joining `netnsPath` when given).
    static func namespaces(networkMode: String, netnsPath: String?) -> [Spec.Namespace] {
        var result: [Spec.Namespace] = [
            Spec.Namespace(.pid), Spec.Namespace(.ipc), Spec.Namespace(.uts), Spec.Namespace(.mount),
            Spec.Namespace(.cgroup),
        ]
        if networkMode != "host" {
            result.append(Spec.Namespace(.network, path: networkMode == "none" ? nil : netnsPath))
        }
        return result
    }

    /// Namespaced sysctls only (as Docker checks); `net.*` not with the host's network.
    static func sysctls(_ sysctls: [String: String], networkMode: String) throws(StackError) -> [String: String]? {
        if sysctls.isEmpty { return nil }
        for name in sysctls.keys.sorted() {
            let path = "HostConfig.Sysctls.\(name)"
            let namespaced = DockerDefaults.namespacedSysctls.contains(name)
                || DockerDefaults.namespacedSysctlPrefixes.contains { name.hasPrefix($0) }
            guard namespaced else {
                throw StackError(.invalidArgument, "sysctl \"\(name)\" is not allowed: it is not namespaced", path: path)
            }
            if name.hasPrefix("net.") && networkMode == "host" {
                throw StackError(.invalidArgument, "sysctl \"\(name)\" is not allowed in host network namespace", path: path)
            }
        }
        return sysctls
    }

    /// The OCI filter for the chosen profile, resolved for the container's capabilities; nil when unconfined.
    static func seccomp(_ choice: SecurityOptions.SeccompChoice, capabilities: [String], architecture: String)
        throws(StackError) -> Spec.Linux.Seccomp?
    {
        switch choice {
        case .unconfined:
            return nil
        case .builtin:
            return try DefaultSeccompProfile.profile.ociSeccomp(capabilities: capabilities, architecture: architecture)
        case .profile(let json):
            let path = "HostConfig.SecurityOpt(seccomp)"
            let profile = try DockerSeccompProfile.decode(json: json, path: path)
            return try profile.ociSeccomp(capabilities: capabilities, architecture: architecture, path: path)
        }
    }
}
