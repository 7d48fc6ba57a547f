#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
#endif
import ContainerConfig
import Images
import RuntimeSpec
import StackAPI
import LinuxOS
import StackCore
import Store

extension ContainerEngine {
    /// `POST /containers/create`: resolve the image, write the bundle (config.json, /etc files),
    /// and record the container as created. Nothing runs yet; a failure leaves nothing behind.
    public func create(_ requested: ContainerCreateRequest, name requestedName: String?) throws(StackError)
        -> ContainerCreateResponse
    {
        var request = requested
        let warnings = HostSupport.discardUnsupported(&request.hostConfig)
        try HostSupport.check(request.hostConfig)
        if request.hostConfig.autoRemove, !["", "no"].contains(request.hostConfig.restartPolicy.name) {
            throw StackError(.invalidArgument, "conflicting options: cannot specify both --restart and --rm")
        }
        _ = try LogRotation(request.hostConfig.logConfig)  // refuse bad --log-opt values now, not at start
        let image = try resolveImage(request.image)
        let mountPlan = try planMounts(request, imageID: image.id)  // volumes: checked before anything exists
        let id = ContainerIdentity.newID()
        PhaseClock.mark(id, "create")
        let name: String
        if let requestedName, !requestedName.isEmpty {
            let bare = requestedName.hasPrefix("/") ? String(requestedName.dropFirst()) : requestedName
            try ContainerIdentity.validate(name: bare)
            if let other = try? store.containers.find(name: bare) {
                throw StackError(
                    .conflict,
                    "the container name \"/\(bare)\" is already in use by container \"\(other.id)\". "
                        + "You have to remove (or rename) that container to be able to reuse that name")
            }
            name = bare
        } else {
            name = ContainerIdentity.generateName { (try? self.store.containers.find(name: $0)) != nil }
        }

        var networking = try planNetworking(request, id: id)
        let directory = paths.container(id)
        try Directories.make(directory, mode: 0o710)
        do throws(StackError) {
            let hostname = request.hostname.isEmpty
                ? (networking.sharedWith.flatMap { try? StoredConfig.decode($0.config, container: $0.id).resolved.hostname }
                    ?? ContainerIdentity.short(id))
                : request.hostname
            let spec = try makeSpec(
                request: request, image: image, id: id, hostname: hostname, networking: networking, mounts: mountPlan.mounts)
            try Directories.make(paths.rootfs(id), mode: 0o755)
            try FileSystem.write(directory + "/config.json", try SpecLoader.encode(spec))
            // Path and Args as Docker shows them: the container's command, without the init in front.
            let command = try OCISpecBuilder.arguments(request: request, image: image.defaults)
            var stored = StoredConfig(
                request: request,
                resolved: ContainerConfigInfo(
                    hostname: hostname, domainname: request.domainname,
                    user: request.user.isEmpty ? image.defaults.user : request.user, tty: request.tty,
                    openStdin: request.openStdin, env: spec.process?.env ?? [],
                    cmd: request.cmd ?? (request.entrypoint == nil ? image.defaults.cmd ?? [] : []),
                    entrypoint: request.entrypoint.map { $0 == [""] ? [] : $0 } ?? image.defaults.entrypoint,
                    image: request.image, workingDir: spec.process?.cwd ?? "/", labels: request.labels,
                    stopSignal: request.stopSignal ?? image.defaults.stopSignal),
                path: command.first ?? "", args: Array(command.dropFirst()),
                exposedPorts: Array(Set(image.exposedPorts + request.exposedPorts)).sorted())
            stored.mounts = mountPlan.mounts
            let record = Store.ContainerRecord(
                id: id, name: name, imageRef: request.image, imageID: image.id, createdAt: TimeText.now(),
                state: .created, labels: request.labels, config: try stored.json())
            try createVolumes(mountPlan)
            try store.containers.insert(record)
            do throws(StackError) {
                for endpoint in networking.endpoints { try store.endpoints.insert(endpoint) }
            } catch {
                _ = try? store.endpoints.deleteAll(container: id)
                try? store.containers.delete(id)
                throw error
            }
            networking.endpoints = []
            try adoptMounts(record, plan: mountPlan)
            PhaseClock.mark(id, "created")
            containerEvent("create", record, attributes: ["name": name, "image": request.image])
            return ContainerCreateResponse(id: id, warnings: warnings)
        } catch {
            if (try? store.containers.get(id)) != nil { try? store.containers.delete(id) }
            discardNewVolumes(mountPlan)
            FileSystem.removeTree(directory)
            throw error
        }
    }

    /// The OCI spec of a new container: Docker's defaults plus the request, against the image.
    private func makeSpec(
        request: ContainerCreateRequest, image: ResolvedImage, id: String, hostname: String, networking: NetworkPlan,
        mounts: [ResolvedMount]
    ) throws(StackError) -> Spec {
        let hostResolvConf = FileSystem.readText("/etc/resolv.conf")
        var files = EtcFiles(
            hostname: hostname, domainname: request.domainname, hostResolvConf: hostResolvConf,
            hostNetwork: request.hostConfig.networkMode == "host", address: networking.endpoints.first?.address)
        if let resolv = resolvConf(endpoints: networking.endpoints, hostResolvConf: hostResolvConf) {
            files.resolvConf = resolv
        }
        files.hosts += try hostsEntries(request.hostConfig, endpoints: networking.endpoints)
        let directory = paths.container(id)
        try FileSystem.write(directory + "/hostname", files.hostname)
        if let shared = networking.sharedWith {
            // `container:NAME` shares its /etc/hosts and resolv.conf too, as Docker does.
            let source = paths.container(shared.id)
            try FileSystem.write(directory + "/hosts", FileSystem.readText(source + "/hosts") ?? files.hosts)
            try FileSystem.write(directory + "/resolv.conf", FileSystem.readText(source + "/resolv.conf") ?? files.resolvConf)
        } else {
            try FileSystem.write(directory + "/hosts", files.hosts)
            try FileSystem.write(directory + "/resolv.conf", files.resolvConf)
        }
        let identity = try UserResolver.resolve(
            request.user.isEmpty ? image.defaults.user : request.user,
            passwd: FileSystem.readFromLayers(image.layers, "etc/passwd"),
            group: FileSystem.readFromLayers(image.layers, "etc/group"))
        var spec = try OCISpecBuilder.build(
            request: request, image: image.defaults, rootfs: paths.rootfs(id), hostname: hostname,
            identity: identity,
            etcFiles: ["/etc/hostname": directory + "/hostname", "/etc/hosts": directory + "/hosts",
                "/etc/resolv.conf": directory + "/resolv.conf"],
            initPath: paths.initBinary, cgroupsPath: "", netnsPath: networking.namespacePath,
            deviceNumbers: { path throws(StackError) in
                guard let number = FileSystem.deviceNumber(path) else {
                    throw StackError(.invalidArgument, "\(path) is not a block device")
                }
                return DeviceNumber(major: number.major, minor: number.minor)
            }, availableCapabilities: HostSupport.boundingCapabilities, resolvedMounts: mounts)
        // No cgroupsPath: the runtime puts the container under its shared parent and removes that
        // parent with its last container, so nothing is left behind.
        spec.linux?.cgroupsPath = nil
        return spec
    }

    /// The image a request names, with what containers of it need.
    func resolveImage(_ reference: String) throws(StackError) -> ResolvedImage {
        let record: Images.ImageRecord
        do {
            record = try images.record(reference)
        } catch {
            throw StackError(.notFound, "No such image: \(reference)")
        }
        let config = try images.config(of: record).config
        let defaults = ImageDefaults(
            env: config?.env ?? [], cmd: config?.cmd, entrypoint: config?.entrypoint,
            workingDir: config?.workingDir ?? "", user: config?.user ?? "", stopSignal: config?.stopSignal)
        return ResolvedImage(
            id: record.id.description, defaults: defaults, layers: try images.layerPaths(record.id),
            exposedPorts: (config?.exposedPorts ?? [:]).keys.map { $0.contains("/") ? $0 : $0 + "/tcp" })
    }
}

/// An image as a container needs it: its id, defaults, unpacked layers (top-most first) and
/// exposed ports ("80/tcp").
struct ResolvedImage: Sendable {
    var id: String
    var defaults: ImageDefaults
    var layers: [String]
    var exposedPorts: [String]
}
