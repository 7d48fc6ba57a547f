import RuntimeSpec
import StackAPI
import StackCore

extension OCISpecBuilder {
    /// Docker's default mounts (with the request's /dev/shm size), then binds and tmpfs mounts (parents
    /// before children; a user mount replaces a default one at the same place), the /etc files, and the init.
    ///
    /// With `resolved` (the engine's resolution of binds, `Mounts`, tmpfs, volumes and `--volumes-from`)
    /// those are the user mounts and `host.binds`/`host.tmpfs` are not read again.
    static func mounts(
        _ host: HostConfig, etcFiles: [String: String], initPath: String?, resolved: [ResolvedMount]? = nil
    ) throws(StackError) -> [Spec.Mount] {
        if host.shmSize < 0 {
            throw StackError(.invalidArgument, "SHM size can not be less than 0", path: "HostConfig.ShmSize")
        }
        var user: [Spec.Mount] = []
        if let resolved {
            user = resolved.map(\.specMount)
        } else {
            user = try legacyMounts(host)
        }
        var seen = Set<String>()
        for mount in user where !seen.insert(mount.destination).inserted {
            throw StackError(.invalidArgument, "Duplicate mount point: \(mount.destination)", path: "HostConfig")
        }
        // Stable: mounts at the same depth keep their order.
        user = user.enumerated().sorted {
            (depth($0.element.destination), $0.offset) < (depth($1.element.destination), $1.offset)
        }.map(\.element)

        let shmSize = host.shmSize > 0 ? host.shmSize : DockerDefaults.shmSize
        var result = DockerDefaults.mounts(shmSize: shmSize, privileged: host.privileged)
            .filter { !seen.contains($0.destination) }
        result += user
        let etcOptions = ["rbind", "rprivate"] + (host.readonlyRootfs ? ["ro"] : [])
        for destination in etcFiles.keys.sorted() where !seen.contains(destination) {
            result.append(Spec.Mount(destination: destination, type: "bind", source: etcFiles[destination], options: etcOptions))
        }
        if let initPath {
            result.append(
                Spec.Mount(
                    destination: initDestination, type: "bind", source: initPath,
                    options: ["bind", "ro", "nosuid", "nodev", "rprivate"]))
        }
        return result
    }

    /// Binds (absolute host paths only) and tmpfs mounts straight from the host config, for callers
    /// that did not resolve mounts.
    static func legacyMounts(_ host: HostConfig) throws(StackError) -> [Spec.Mount] {
        var user: [Spec.Mount] = []
        for (index, bind) in host.binds.enumerated() {
            user.append(try bindMount(bind, readonlyRoot: host.readonlyRootfs, path: "HostConfig.Binds[\(index)]"))
        }
        for destination in host.tmpfs.keys.sorted() {
            let path = "HostConfig.Tmpfs.\(destination)"
            guard destination.hasPrefix("/"), destination != "/" else {
                throw StackError(.invalidArgument, "invalid tmpfs mount path \"\(destination)\": it must be absolute and not /", path: path)
            }
            let options = (host.tmpfs[destination] ?? "").split(separator: ",").map(String.init)
            user.append(
                Spec.Mount(
                    destination: destination, type: "tmpfs", source: "tmpfs",
                    options: mergeTmpfsOptions(["noexec", "nosuid", "nodev"] + options)))
        }
        return user
    }

    /// `host-src:container-dest[:ro|rw|z|Z|…]` with an absolute host path (named volumes need the engine).
    static func bindMount(_ text: String, readonlyRoot: Bool, path: String) throws(StackError) -> Spec.Mount {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty, parts[1].hasPrefix("/") else {
            throw StackError(.invalidArgument, "invalid bind \"\(text)\": expected /host/path:/container/path[:ro]", path: path)
        }
        guard parts[0].hasPrefix("/") else {
            throw StackError(.unsupported, "named volumes are not supported yet: \"\(parts[0])\"", path: path)
        }
        var options = ["rbind"]
        var propagation = "rprivate"
        for mode in (parts.count == 3 ? parts[2].split(separator: ",").map(String.init) : []) {
            switch mode {
            case "ro", "rw": options.append(mode)
            case "z", "Z", "nocopy", "consistent", "cached", "delegated": break
            case "private", "rprivate", "shared", "rshared", "slave", "rslave": propagation = mode
            default:
                throw StackError(.invalidArgument, "invalid mode \"\(mode)\" in bind \"\(text)\"", path: path)
            }
        }
        options.append(propagation)
        return Spec.Mount(destination: parts[1], type: "bind", source: parts[0], options: options)
    }

    /// Later options win: `exec` undoes `noexec`, `size=` replaces an earlier `size=`, and so on.
    static func mergeTmpfsOptions(_ options: [String]) -> [String] {
        let opposites: [String: String] = [
            "exec": "noexec", "noexec": "exec", "suid": "nosuid", "nosuid": "suid", "dev": "nodev", "nodev": "dev",
            "ro": "rw", "rw": "ro", "atime": "noatime", "noatime": "atime", "diratime": "nodiratime",
            "nodiratime": "diratime", "strictatime": "nostrictatime", "nostrictatime": "strictatime",
        ]
        var result: [String] = []
        for option in options where !option.isEmpty {
            if let key = option.split(separator: "=", maxSplits: 1).first, option.contains("=") {
                result.removeAll { $0.hasPrefix(key + "=") }
            } else {
                result.removeAll { $0 == option || $0 == opposites[option] }
            }
            result.append(option)
        }
        return result
    }

    private static func depth(_ path: String) -> Int { path.split(separator: "/").count }
}
