#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ContainerConfig
import Images
import RuntimeSpec
import StackAPI
import StackCore
import Store

extension ContainerEngine {
    /// `POST /containers/create`: resolve the image, write the bundle (config.json, /etc files),
    /// and record the container as created. Nothing runs yet; a failure leaves nothing behind.
    public func create(_ request: ContainerCreateRequest, name requestedName: String?) throws(StackError)
        -> ContainerCreateResponse
    {
        let image = try images.resolveImage(request.image)
        let id = ContainerIdentity.newID()
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

        let directory = paths.container(id)
        try FileSystem.makeDirectory(directory, mode: 0o710)
        do {
            let hostname = request.hostname.flatMap { $0.isEmpty ? nil : $0 } ?? ContainerIdentity.short(id)
            let spec = try makeSpec(request: request, image: image, id: id, hostname: hostname)
            try FileSystem.makeDirectory(paths.rootfs(id), mode: 0o755)
            try FileSystem.write(directory + "/config.json", try SpecJSON.encode(spec))
            let stored = StoredConfig(
                request: request,
                resolved: ContainerConfigInfo(
                    hostname: hostname, domainname: request.domainname ?? "", user: request.user ?? image.config.user ?? "",
                    tty: request.tty, openStdin: request.openStdin, env: spec.process?.env ?? [],
                    cmd: resolvedCommand(request: request, image: image.config),
                    entrypoint: resolvedEntrypoint(request: request, image: image.config),
                    image: request.image, workingDir: spec.process?.cwd ?? "/", labels: request.labels,
                    stopSignal: request.stopSignal ?? image.config.stopSignal),
                path: spec.process?.args?.first ?? "", args: Array((spec.process?.args ?? []).dropFirst()))
            let record = ContainerRecord(
                id: id, name: name, imageRef: request.image, imageID: image.id, createdAt: TimeText.now(),
                state: .created, labels: request.labels, config: try stored.json())
            try store.containers.insert(record)
            event(type: "container", action: "create", actor: id, attributes: ["name": name, "image": request.image])
            return ContainerCreateResponse(id: id)
        } catch {
            FileSystem.removeTree(directory)
            throw error
        }
    }

    /// The OCI spec of a new container: Docker's defaults plus the request, against the image.
    private func makeSpec(request: ContainerCreateRequest, image: ResolvedImage, id: String, hostname: String)
        throws(StackError) -> Spec
    {
        let files = EtcFiles(
            hostname: hostname, domainname: request.domainname ?? "",
            hostResolvConf: FileSystem.readText("/etc/resolv.conf"),
            hostNetwork: request.hostConfig.networkMode == "host")
        let directory = paths.container(id)
        try FileSystem.write(directory + "/hostname", files.hostname)
        try FileSystem.write(directory + "/hosts", files.hosts)
        try FileSystem.write(directory + "/resolv.conf", files.resolvConf)
        let layers = try images.layerPaths(image.id)
        let identity = try UserResolver.resolve(
            request.user.flatMap { $0.isEmpty ? nil : $0 } ?? image.config.user ?? "",
            passwd: FileSystem.readFromLayers(layers, "etc/passwd"),
            group: FileSystem.readFromLayers(layers, "etc/group"))
        return try OCISpecBuilder().build(
            request: request, image: image.config.defaults, rootfs: paths.rootfs(id), hostname: hostname,
            identity: identity,
            etcFiles: ["/etc/hostname": directory + "/hostname", "/etc/hosts": directory + "/hosts",
                "/etc/resolv.conf": directory + "/resolv.conf"],
            initPath: request.hostConfig.initProcess == true ? paths.initBinary : nil,
            cgroupsPath: nil, netnsPath: nil, deviceNumber: FileSystem.deviceNumber)
    }

    func resolvedCommand(request: ContainerCreateRequest, image: ImageRuntimeConfig) -> [String] {
        if let cmd = request.cmd, !cmd.isEmpty { return cmd }
        if request.entrypoint != nil { return [] }
        return image.cmd ?? []
    }

    func resolvedEntrypoint(request: ContainerCreateRequest, image: ImageRuntimeConfig) -> [String]? {
        if let entrypoint = request.entrypoint { return entrypoint.isEmpty ? nil : entrypoint }
        return image.entrypoint
    }
}
