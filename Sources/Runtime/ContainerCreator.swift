import Cgroups
import ContainerInit
import LinuxOS
import RuntimeSpec
import Seccomp
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `create`: validate the bundle, make the state directory and cgroup, plan the container's init,
/// spawn it into its namespaces (the cloned child runs the plan in C), run the runtime-namespace
/// hooks when it asks, and wait for `created`.
///
/// Nothing is left behind on failure: the init is killed and reaped, the cgroup removed and the
/// state directory deleted.
public struct ContainerCreator {
    public let store: StateDirectory
    public let log: RuntimeLog

    public init(store: StateDirectory, log: RuntimeLog) {
        self.store = store
        self.log = log
    }

    /// The created container's init pid (the caller's child until it exits).
    public func create(_ options: CreateOptions) throws(StackError) -> Int32 {
        try createContainer(options).record.pid
    }

    /// Creates the container and returns it as saved, with the cgroup layout already detected, so
    /// that `run` can start, wait for and delete it without reading its state back.
    public func createContainer(_ options: CreateOptions) throws(StackError) -> Container {
        let bundle = try Self.absolute(options.bundle)
        let configFile = SpecLoader.configPath(bundle: bundle)
        let configBytes = try FileIO.read(configFile)
        let spec = try SpecLoader.decode(data: configBytes, file: configFile)
        for warning in try SpecValidator.validate(spec, forCreate: true, file: configFile) {
            log.warning(warning.description)
        }
        try store.create(options.id)
        let cleanup = CreateCleanup()
        cleanup.add { store.remove(options.id) }

        let program = try seccompProgram(spec)

        // The cgroup.
        let cgroupPath = spec.linux?.cgroupsPath ?? DefaultCgroupParent.path(for: options.id)
        let layout = try CgroupLayout.detect()
        let manager = try CgroupManagerFactory.make(layout: layout, path: cgroupPath)
        let resources = ResourceMapping.cgroupResources(spec.linux?.resources, devices: spec.linux?.devices ?? [])
        for reason in manager.unsupportedResources(resources) { log.warning(reason) }
        try DefaultCgroupParent.create(manager)
        cleanup.add {
            try? manager.destroy()
            DefaultCgroupParent.removeIfUnused(containerPaths: manager.paths, cgroupPath: cgroupPath)
        }
        try manager.apply(resources)

        // The FIFO, the sync socket and the console socket.
        let fifo = try SocketIO.makeFIFO(store.fifoPath(options.id))
        defer { close(fifo) }
        let (parentEnd, childEnd) = try SocketIO.socketPair()
        defer { close(parentEnd) }
        var childEndOpen = true
        defer { if childEndOpen { close(childEnd) } }
        var console: Int32? = nil
        if spec.process?.terminal == true {
            if let socketPath = options.consoleSocket {
                console = try SocketIO.connect(socketPath)
            } else if let relay = options.terminalRelay {
                console = try syscall("dup the terminal relay socket") { fcntl(relay.sendingEnd, F_DUPFD_CLOEXEC, 3) }
            } else {
                throw StackError(.invalidArgument, TerminalRelay.noConsoleSocket)
            }
        } else if options.consoleSocket != nil {
            throw StackError(.invalidArgument, "cannot use console socket if runc will not detach or allocate tty")
        }
        defer { if let console { close(console) } }

        // The init enters its cgroup as it starts (see CgroupJoin), not through cgroup.procs.
        let join = try CgroupJoin.open(paths: manager.paths)
        defer { join.close() }

        // The init's plan, then the spawn.
        let context = InitContext.make(
            spec: spec, bundle: bundle, cgroupVersion: manager.version.rawValue,
            cgroupMounts: Self.cgroupMounts(layout: layout, manager: manager))
        var builder = InitPlanBuilder(context: context)
        builder.noPivotRoot = options.noPivotRoot
        builder.seccomp = program
        builder.lastCapability = try Capabilities().lastCapability()
        builder.umask = Self.currentUmask()
        builder.mountPoint = { MountInfo.mountPoint(of: $0) }  // read only for `shared` propagation
        var request = SpawnRequest(initPlan: try builder.createPlan().encoded())
        for entry in spec.linux?.namespaces ?? [] {
            guard let kind = LinuxOS.Namespace(ociType: entry.type) else { continue }
            if let path = entry.path {
                request.joins.append(NamespaceJoin(kind, path: path))
            } else if kind != .cgroup {
                request.namespaces.insert(kind)  // the init unshares the cgroup namespace once in its cgroup
            }
        }
        // In a user namespace the init must be its root to keep its capabilities across execve.
        request.becomesRoot = spec.linux?.namespace(.user) != nil
        request.fds = [FDMapping(from: childEnd, to: InitStep.syncFD), FDMapping(from: fifo, to: InitStep.fifoFD)]
        if let console { request.fds.append(FDMapping(from: console, to: InitStep.consoleFD)) }
        request.newSession = true
        request.cgroupFD = join.unifiedFD
        request.cgroupTaskFDs = join.taskFDs
        let spawned = try Spawner().spawn(request)
        let pid = spawned.pid
        close(childEnd)
        childEndOpen = false
        cleanup.add {
            spawned.abort()
            _ = kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }

        if request.namespaces.contains(.user) {
            try UserNamespace.writeMappings(
                pid: pid, uid: (spec.linux?.uidMappings ?? []).map(Self.mapping),
                gid: (spec.linux?.gidMappings ?? []).map(Self.mapping))
        }
        // The child joins its cgroups and starts on its plan meanwhile; release() below returns
        // once it has.
        try spawned.go()
        if let score = spec.process?.oomScoreAdj {
            try LinuxSyscalls().writeFile("/proc/\(pid)/oom_score_adj", contents: String(score))
        }

        let startTime = ProcessProbe.stat(pid)?.startTime ?? 0
        let record = ContainerRecord(
            id: options.id, pid: pid, initStartTime: startTime, bundle: bundle, rootfs: context.rootfs,
            created: FileIO.timestamp(), owner: "", annotations: spec.annotations, cgroupPath: cgroupPath,
            cgroupPaths: manager.paths)
        var creating = StateOutput(record: record, status: .creating)
        let channel = LineChannel(fd: parentEnd)
        // The init reads the state first when createContainer or startContainer hooks need it.
        if InitPlanBuilder.needsState(spec) {
            try channel.writeAll(Array((try JSONValueEncoder().encodeString(creating.ociState) + "\n").utf8))
        }
        try spawned.release()

        try handshake(channel: channel, spec: spec, state: &creating)

        // The copy of config.json: its bytes as read (the spec is not changed), not re-encoded.
        try store.saveSpec(configBytes, id: options.id)
        try store.save(record)
        if let pidFile = options.pidFile {
            try FileIO.write(try Self.absolute(pidFile), String(pid))
        }
        cleanup.commit()
        return Container(record: record, spec: spec, store: store, layout: layout)
    }

    /// Serve the init's requests until it reports `created`.
    private func handshake(channel: LineChannel, spec: Spec, state: inout StateOutput) throws(StackError) {
        while true {
            guard let message = try channel.receive() else {
                throw StackError(.system, "container init exited before it was created")
            }
            switch message.type {
            case .hooks:
                let stateText = try JSONValueEncoder().encodeString(state.ociState)
                // prestart is the legacy hook of the runtime spec 1.0, where it ran once the container
                // was created: its state says `created` (createRuntime's says `creating`).
                var legacy = state
                legacy.status = .created
                let prestartState = try JSONValueEncoder().encodeString(legacy.ociState)
                do {
                    try HookRunner.run(spec.hooks?.prestart ?? [], kind: "prestart", state: prestartState)
                    try HookRunner.run(spec.hooks?.createRuntime ?? [], kind: "createRuntime", state: stateText)
                } catch {
                    try? channel.send(SyncMessage(.error, message: error.description))
                    throw error
                }
                try channel.send(SyncMessage(.continue))
            case .created:
                return
            case .error:
                throw StackError(.system, message.message ?? "container init failed")
            case .continue:
                throw StackError(.internalError, "unexpected \(message.type.rawValue) message from the container init")
            }
        }
    }

    private func seccompProgram(_ spec: Spec) throws(StackError) -> BPFProgram? {
        guard let seccomp = spec.linux?.seccomp else { return nil }
        return try SeccompCache(root: store.root).program(for: seccomp, log: log)
    }

    /// What the init mounts for `cgroup` mounts: one entry per hierarchy directory.
    static func cgroupMounts(layout: CgroupLayout, manager: any CgroupManager) -> [CgroupMountSource] {
        var result: [CgroupMountSource] = []
        var seen = Set<String>()
        for (controller, mount) in layout.legacyMounts.sorted(by: { $0.key < $1.key }) {
            guard let directory = manager.path(for: controller), seen.insert(mount.mountPoint).inserted else { continue }
            let base = String(mount.mountPoint.split(separator: "/").last ?? Substring(controller))
            let options = controller.hasPrefix("name=") ? "none,\(controller)" : controller
            result.append(CgroupMountSource(name: base, options: options, hostDirectory: directory))
        }
        if let unified = layout.unifiedMount, let directory = manager.path(for: "") {
            let name = layout.legacyMounts.isEmpty ? "" : String(unified.mountPoint.split(separator: "/").last ?? "unified")
            result.append(CgroupMountSource(name: name, options: "", hostDirectory: directory))
        }
        return result
    }

    /// The process's umask (read by setting it twice).
    static func currentUmask() -> UInt32 {
        let mask = umask(0o022)
        umask(mask)
        return UInt32(mask)
    }

    static func mapping(_ mapping: Spec.IDMapping) -> IDMapping {
        IDMapping(containerID: mapping.containerID, hostID: mapping.hostID, size: mapping.size)
    }

    static func absolute(_ path: String) throws(StackError) -> String {
        if path.hasPrefix("/") { return PathJoin.clean(path) }
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = buffer.count
        guard buffer.withUnsafeMutableBufferPointer({ getcwd($0.baseAddress, count) }) != nil else {
            throw StackError.system("getcwd", Errno.current)
        }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return PathJoin.clean(cwd + "/" + path)
    }
}
