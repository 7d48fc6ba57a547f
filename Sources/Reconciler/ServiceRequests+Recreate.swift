import ContainerConfig
import StackAPI
import StackModel

extension ServiceRequests {
    /// Makes a replacement container keep its predecessor's anonymous volumes, as Compose does on
    /// recreate: each anonymous `Mounts` entry (a volume without source) takes the volume the old
    /// container had at the same path, and each of `imageVolumes` (the image's `VOLUME` paths, when
    /// the caller knows them) not mounted otherwise gets the old container's volume there.
    ///
    /// `previous` is the old container's inspected `Mounts`; its tmpfs and bind entries are ignored.
    public static func inheritAnonymousVolumes(
        _ request: inout ContainerCreateRequest, from previous: [MountPoint], imageVolumes: [String] = []
    ) {
        var old: [String: MountPoint] = [:]
        for mount in previous where mount.type == "volume" && !mount.name.isEmpty {
            old[MountParsing.cleanPath(mount.destination)] = mount
        }
        var mounted = Set<String>()
        for index in request.hostConfig.mounts.indices {
            let target = MountParsing.cleanPath(request.hostConfig.mounts[index].target)
            mounted.insert(target)
            let mount = request.hostConfig.mounts[index]
            guard mount.type == "volume", mount.source.isEmpty, let inherited = old[target] else { continue }
            request.hostConfig.mounts[index].source = inherited.name
        }
        for path in imageVolumes.map(MountParsing.cleanPath).sorted() where !mounted.contains(path) {
            guard let inherited = old[path] else { continue }
            request.hostConfig.mounts.append(
                MountSpec(type: "volume", source: inherited.name, target: path, readOnly: !inherited.rw))
            mounted.insert(path)
        }
    }
}
