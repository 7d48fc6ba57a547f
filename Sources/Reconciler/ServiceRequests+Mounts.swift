import ContainerConfig
import StackAPI
import StackCore
import StackModel

extension ServiceRequests {
    /// `volumes` as `HostConfig.Mounts` (each checked with `--mount`'s rules), `tmpfs` as
    /// `HostConfig.Tmpfs`, and `volumes_from` as `HostConfig.VolumesFrom`.
    static func applyMounts(_ spec: Service, to host: inout HostConfig, desired: DesiredState) throws(StackError) {
        for (index, mount) in spec.volumes.enumerated() {
            let path = "volumes[\(index)]"
            let mountSpec = try self.mountSpec(mount, service: spec.name, path: path, desired: desired)
            do {
                _ = try MountParsing.request(from: mountSpec)
            } catch {
                throw invalid(spec.name, path, error)
            }
            host.mounts.append(mountSpec)
        }
        for (index, entry) in spec.tmpfs.enumerated() {
            do {
                let (path, options) = try RunFlagParsing.tmpfs(entry)
                host.tmpfs[path] = options
            } catch {
                throw invalid(spec.name, "tmpfs[\(index)]", error)
            }
        }
        for (index, entry) in spec.volumesFrom.enumerated() {
            let source: String
            switch entry.source {
            case .container(let name):
                source = name
            case .service(let name):
                guard let parent = desired.service(named: name) else {
                    throw StackError(
                        .invalidStackFile, "volumes_from names an unknown service \"\(name)\"",
                        path: "services.\(spec.name).volumes_from[\(index)]")
                }
                source = parent.containerName(number: 1)
            }
            host.volumesFrom.append(entry.readOnly ? source + ":ro" : source)
        }
    }

    /// One `volumes` entry as a `Mounts` entry: a bind with the host path as loaded, a named volume
    /// under its engine name, an anonymous volume (no source) or a tmpfs.
    static func mountSpec(
        _ mount: ServiceMount, service: String, path: String, desired: DesiredState
    ) throws(StackError) -> MountSpec {
        var result = MountSpec(type: mount.type.rawValue, target: mount.target, readOnly: mount.readOnly)
        switch mount.type {
        case .bind:
            guard let source = mount.source else {
                throw StackError(.invalidStackFile, "a bind mount needs a source", path: "services.\(service).\(path)")
            }
            result.source = source
            let options = mount.bind ?? BindOptions()
            if options.createHostPath || options.propagation != nil {
                result.bindOptions = MountSpec.BindOptions(
                    propagation: options.propagation?.rawValue ?? "", createMountpoint: options.createHostPath)
            }
        case .volume:
            if let source = mount.source {
                result.source = desired.volumes.first { $0.key == source }?.name ?? source
            }
            if mount.volume?.subpath != nil {
                throw unsupported(service, "\(path).volume.subpath", "volume subpaths are not supported yet")
            }
            if mount.volume?.nocopy == true { result.volumeOptions = MountSpec.VolumeOptions(noCopy: true) }
        case .tmpfs:
            if let options = mount.tmpfs, options.size != nil || options.mode != nil {
                result.tmpfsOptions = MountSpec.TmpfsOptions(
                    sizeBytes: options.size ?? 0, mode: options.mode?.rawValue ?? 0)
            }
        case .image, .npipe, .cluster:
            throw unsupported(service, "\(path).type", "\(mount.type.rawValue) mounts are not supported")
        }
        return result
    }
}
