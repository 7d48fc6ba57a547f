import ContainerConfig
import Images
import LinuxOS
import StackAPI
import StackCore
import Store
import Volumes

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A new container's mounts as resolved at create, and the volumes that must be created for them.
struct MountPlan: Sendable {
    /// A volume the plan creates (named on first use, or anonymous).
    struct NewVolume: Sendable {
        var name: String
        var anonymous: Bool
        var labels: [String: String]
    }

    var mounts: [ResolvedMount] = []
    var newVolumes: [NewVolume] = []

    /// The names of every volume the container mounts (for `volume_users`).
    var volumeNames: [String] { mounts.filter { $0.kind == .volume }.map(\.name) }
}

extension ContainerEngine {
    /// The local driver at `$STACK_ROOT/volumes`.
    var volumeDriver: LocalVolumeDriver { LocalVolumeDriver(root: paths.volumes) }

    /// Resolve every mount a create request asks for, checking all of it before anything exists:
    /// `-v`/`Binds`, `--mount`/`Mounts` and `--tmpfs` first (a second mount at the same place is an
    /// error), then `--volumes-from` (each source container's binds and volumes, at the same paths),
    /// then anonymous volumes for `Config.Volumes` and the image's `VOLUME` entries (places already
    /// taken are skipped, as Docker does).
    func planMounts(_ request: ContainerCreateRequest, imageID: String) throws(StackError) -> MountPlan {
        let host = request.hostConfig
        var requests: [MountRequest] = []
        var labels: [String: [String: String]] = [:]
        for bind in host.binds { requests.append(try MountParsing.volume(bind)) }
        for spec in host.mounts {
            let parsed = try MountParsing.request(from: spec)
            if let volumeLabels = spec.volumeOptions?.labels, !volumeLabels.isEmpty, parsed.kind == .volume {
                labels[parsed.source] = volumeLabels
            }
            requests.append(parsed)
        }
        var extraTmpfsOptions: [String: [String]] = [:]
        for destination in host.tmpfs.keys.sorted() {
            let options = host.tmpfs[destination] ?? ""
            var parsed = try MountParsing.tmpfs(options.isEmpty ? destination : destination + ":" + options)
            parsed.mode = ""
            extraTmpfsOptions[parsed.target] = options.split(separator: ",").map(String.init).filter {
                !$0.hasPrefix("size=") && !$0.hasPrefix("mode=") && $0 != "ro" && $0 != "rw"
            }
            requests.append(parsed)
        }
        var taken = Set<String>()
        for request in requests where !taken.insert(request.target).inserted {
            throw StackError(.invalidArgument, "Duplicate mount point: \(request.target)")
        }

        var plan = MountPlan()
        var planned = Set<String>()
        func ensureVolume(_ name: String, anonymous: Bool) throws(StackError) {
            guard !planned.contains(name) else { return }
            planned.insert(name)
            if try store.volumes.get(name) == nil {
                plan.newVolumes.append(.init(name: name, anonymous: anonymous, labels: labels[name] ?? [:]))
            }
        }
        for request in requests {
            switch request.kind {
            case .bind:
                if !FileSystem.exists(request.source) && !request.createHostPath {
                    throw MountParsing.bindSourceMissing(request.source)
                }
                plan.mounts.append(
                    ResolvedMount(
                        kind: .bind, source: request.source, target: request.target, readOnly: request.readOnly,
                        propagation: request.effectivePropagation, createHostPath: request.createHostPath,
                        mode: request.mode))
            case .volume:
                let anonymous = request.isAnonymousVolume
                let name = anonymous ? VolumeName.anonymous() : request.source
                try ensureVolume(name, anonymous: anonymous)
                var mount = ResolvedMount(
                    kind: .volume, name: name, source: volumeDriver.mountpoint(name), target: request.target,
                    readOnly: request.readOnly, noCopy: request.noCopy, anonymous: anonymous, mode: request.mode)
                if !anonymous, let options = try store.volumes.get(name)?.options {
                    Self.applyDriverOptions(options, to: &mount)
                }
                plan.mounts.append(mount)
            case .tmpfs:
                plan.mounts.append(
                    ResolvedMount(
                        kind: .tmpfs, source: "", target: request.target, readOnly: request.readOnly,
                        tmpfsSize: request.tmpfsSize, tmpfsMode: request.tmpfsMode,
                        tmpfsOptions: extraTmpfsOptions[request.target] ?? []))
            }
        }

        for entry in host.volumesFrom {
            let (reference, mode) = try Self.volumesFromEntry(entry)
            let source: Store.ContainerRecord
            do {
                source = try record(reference)
            } catch {
                throw StackError(.notFound, "No such container: \(reference)")
            }
            let stored = try StoredConfig.decode(source.config, container: source.id)
            for var mount in stored.mounts ?? [] where mount.kind != .tmpfs && !taken.contains(mount.target) {
                taken.insert(mount.target)
                if let mode { mount.readOnly = mode == "ro" }
                // The volume belongs to the source container: this one's `rm -v` leaves it alone.
                mount.anonymous = false
                if mount.kind == .volume { planned.insert(mount.name) }
                plan.mounts.append(mount)
            }
        }

        for path in request.volumes + (try imageVolumes(imageID)) {
            guard path.hasPrefix("/") else {
                throw StackError(.invalidArgument, "invalid mount path: '\(path)' mount path must be absolute")
            }
            let target = MountParsing.cleanPath(path)
            guard target != "/", taken.insert(target).inserted else { continue }
            let name = VolumeName.anonymous()
            try ensureVolume(name, anonymous: true)
            plan.mounts.append(
                ResolvedMount(
                    kind: .volume, name: name, source: volumeDriver.mountpoint(name), target: target, anonymous: true))
        }
        return plan
    }

    /// A volume created with the local driver's options mounts what they say: `o=bind` binds the
    /// `device` directory (so `cp` and the container share it), other types mount `device` with
    /// `type` and the `o` options in the container. Neither gets copy-up.
    static func applyDriverOptions(_ options: [String: String], to mount: inout ResolvedMount) {
        guard let type = options["type"], let device = options["device"] else { return }
        let flags = (options["o"] ?? "").split(separator: ",").map(String.init)
        mount.noCopy = true
        if flags.contains("bind") || flags.contains("rbind") {
            mount.source = device
            mount.propagation = nil
        } else {
            mount.fileSystem = ResolvedMount.FileSystemOptions(type: type, device: device, options: flags)
        }
    }

    /// `NAME[:ro|:rw]` of `--volumes-from`.
    static func volumesFromEntry(_ entry: String) throws(StackError) -> (String, String?) {
        guard let colon = entry.lastIndex(of: ":") else { return (entry, nil) }
        let mode = String(entry[entry.index(after: colon)...])
        guard mode == "ro" || mode == "rw" else {
            throw StackError(.invalidArgument, "invalid mode for volumes-from: \(mode)")
        }
        return (String(entry[..<colon]), mode)
    }

    /// The `VOLUME` paths of the image, sorted.
    func imageVolumes(_ imageID: String) throws(StackError) -> [String] {
        let record = try images.record(imageID)
        return (try images.config(of: record).config?.volumes ?? [:]).keys.sorted()
    }

    /// Create the volumes the plan needs (directories and records). On failure, what was created
    /// is removed again.
    func createVolumes(_ plan: MountPlan) throws(StackError) {
        var created: [String] = []
        do {
            for volume in plan.newVolumes {
                _ = try volumeDriver.create(volume.name)
                try store.volumes.insert(
                    VolumeRecord(
                        name: volume.name, labels: volume.labels, createdAt: Self.volumeTime(),
                        anonymous: volume.anonymous))
                created.append(volume.name)
                event(type: "volume", action: "create", actor: volume.name, attributes: ["driver": "local"])
            }
        } catch {
            for name in created { forgetVolume(name) }
            throw error
        }
    }

    /// Undo `createVolumes` after a create that failed later (volumes nobody uses).
    func discardNewVolumes(_ plan: MountPlan) {
        for volume in plan.newVolumes where ((try? store.volumes.users(volume: volume.name)) ?? []).isEmpty {
            forgetVolume(volume.name)
        }
    }

    /// Record which volumes the new container uses, then copy the image's content into those that
    /// are empty (Docker copies `VOLUME` content at create, so a container that never runs still
    /// fills its volumes for `--volumes-from`).
    func adoptMounts(_ record: Store.ContainerRecord, plan: MountPlan) throws(StackError) {
        try store.volumes.setUsers(container: record.id, volumes: plan.volumeNames)
        guard plan.mounts.contains(where: { $0.kind == .volume && !$0.noCopy && volumeDriver.isEmpty($0.name) }) else {
            return
        }
        let wasMounted = rootfs.isMounted(paths.rootfs(record.id))
        try mountRootfs(record)
        defer { if !wasMounted { unmountRootfs(record.id) } }
        try copyUp(record.id, mounts: plan.mounts)
    }

    /// Before the runtime creates the container (its rootfs mounted): make missing bind sources that
    /// may be created, and copy the image's content into empty volumes. A failure unmounts the rootfs.
    func prepareMounts(_ id: String, stored: StoredConfig) throws(StackError) {
        do {
            for mount in stored.mounts ?? [] where mount.kind == .bind && mount.createHostPath {
                if !FileSystem.exists(mount.source) { try Directories.make(mount.source, mode: 0o755) }
            }
            try copyUp(id, mounts: stored.mounts ?? [])
        } catch {
            unmountRootfs(id)
            throw error
        }
    }

    /// Copy-up into every empty volume (not `nocopy`) from the mounted rootfs at its target.
    func copyUp(_ id: String, mounts: [ResolvedMount]) throws(StackError) {
        for mount in mounts where mount.kind == .volume && !mount.noCopy && volumeDriver.isEmpty(mount.name) {
            if !FileSystem.exists(mount.source) { _ = try volumeDriver.create(mount.name) }
            let source = try PathArchive.resolve(root: paths.rootfs(id), path: mount.target)
            var info = stat()
            guard lstat(source, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { continue }
            try CopyUp.copy(from: source, to: mount.source)
        }
    }

    /// The anonymous volumes a removed container leaves to remove: with `rm -v`, or for `--rm`.
    func volumesToRemove(_ id: String, explicit: Bool) -> [String] {
        guard let record = try? store.containers.get(id),
            let stored = try? StoredConfig.decode(record.config, container: id)
        else { return [] }
        guard explicit || stored.request.hostConfig.autoRemove else { return [] }
        return (stored.mounts ?? []).filter { $0.kind == .volume && $0.anonymous }.map(\.name)
    }

    /// Remove anonymous volumes nobody uses any more (after their container was removed).
    func removeUnusedVolumes(_ names: [String]) {
        for name in names where ((try? store.volumes.users(volume: name)) ?? ["?"]).isEmpty {
            forgetVolume(name)
        }
    }

    /// Delete a volume's record and files, quietly.
    func forgetVolume(_ name: String) {
        do {
            try store.volumes.delete(name)
            event(type: "volume", action: "destroy", actor: name, attributes: ["driver": "local"])
        } catch where error.code == .notFound {
        } catch {
            return  // in use: keep its files
        }
        try? volumeDriver.remove(name)
    }

    /// Inspect's `Mounts`.
    static func mountPoints(_ stored: StoredConfig) -> [MountPoint] {
        (stored.mounts ?? []).map(\.mountPoint)
    }
}
