/// Builds a `Spec` straight from the parsed JSON, without Codable, for the members a usual
/// config.json has (runc's and crun's `spec`, most engines' output); nil for anything else, and
/// `SpecLoader` then decodes through Codable, which also words every error.
///
/// Why: config.json is decoded by every `create` and again by the container's init, and Codable's
/// first use of each type makes the Swift runtime instantiate generic containers and look up
/// conformances by scanning every conformance record of the binary: about 3 M instructions per
/// process, a quarter of the runtime's work before the clone. The result here must equal
/// Codable's in every case it returns one (tests compare them); so it follows the same rules:
/// the last of duplicate members wins, `null` is absent for optionals, unknown members are
/// ignored, integers convert exactly (`JSONScalarDecoding.integer`). Whatever it does not handle
/// (wrong types, `null` where a value is required, members like `seccomp` or
/// `resources.memory`) returns nil rather than an answer.
enum SpecFastDecoding {
    /// Not handled here: decode through Codable.
    struct Unsupported: Error {}

    static func spec(_ value: JSONValue) -> Spec? {
        try? decodeSpec(value)
    }

    private static func decodeSpec(_ value: JSONValue) throws(Unsupported) -> Spec {
        var ociVersion: String?
        var spec = Spec()
        for member in try members(value) {
            let value = member.value
            switch member.key {
            case "ociVersion": ociVersion = try string(value)
            case "process": spec.process = try optional(value, process)
            case "root": spec.root = try optional(value, root)
            case "hostname": spec.hostname = try optional(value, string)
            case "domainname": spec.domainname = try optional(value, string)
            case "mounts": spec.mounts = try optional(value) { (v) throws(Unsupported) in try array(v, mount) }
            case "hooks": spec.hooks = try optional(value, hooks)
            case "annotations": spec.annotations = try optional(value, stringMap)
            case "linux": spec.linux = try optional(value, linux)
            default: continue  // not a member of Spec: ignored, as Codable does
            }
        }
        guard let ociVersion else { throw Unsupported() }
        spec.ociVersion = ociVersion
        return spec
    }

    // MARK: Members

    private static func process(_ value: JSONValue) throws(Unsupported) -> Spec.Process {
        var cwd: String?
        var process = Spec.Process()
        for member in try members(value) {
            let value = member.value
            switch member.key {
            case "terminal": process.terminal = try optional(value, bool)
            case "consoleSize": process.consoleSize = try optional(value, consoleSize)
            case "user": process.user = try optional(value, user) ?? Spec.User()
            case "args": process.args = try optional(value, strings)
            case "commandLine": process.commandLine = try optional(value, string)
            case "env": process.env = try optional(value, strings)
            case "cwd": cwd = try string(value)
            case "capabilities": process.capabilities = try optional(value, capabilities)
            case "rlimits": process.rlimits = try optional(value) { (v) throws(Unsupported) in try array(v, rlimit) }
            case "noNewPrivileges": process.noNewPrivileges = try optional(value, bool)
            case "apparmorProfile": process.apparmorProfile = try optional(value, string)
            case "oomScoreAdj": process.oomScoreAdj = try optional(value, integer)
            case "selinuxLabel": process.selinuxLabel = try optional(value, string)
            case "scheduler", "ioPriority", "execCPUAffinity": try absent(value)
            default: continue
            }
        }
        guard let cwd else { throw Unsupported() }
        process.cwd = cwd
        return process
    }

    private static func consoleSize(_ value: JSONValue) throws(Unsupported) -> Spec.ConsoleSize {
        var height: UInt?
        var width: UInt?
        for member in try members(value) {
            switch member.key {
            case "height": height = try integer(member.value)
            case "width": width = try integer(member.value)
            default: continue
            }
        }
        guard let height, let width else { throw Unsupported() }
        return Spec.ConsoleSize(height: height, width: width)
    }

    private static func user(_ value: JSONValue) throws(Unsupported) -> Spec.User {
        var user = Spec.User()
        for member in try members(value) {
            let value = member.value
            switch member.key {
            case "uid": user.uid = try optional(value, integer) ?? 0
            case "gid": user.gid = try optional(value, integer) ?? 0
            case "umask": user.umask = try optional(value, integer)
            case "additionalGids":
                user.additionalGids = try optional(value) { (v) throws(Unsupported) -> [UInt32] in try array(v, integer) }
            case "username": user.username = try optional(value, string)
            default: continue
            }
        }
        return user
    }

    private static func capabilities(_ value: JSONValue) throws(Unsupported) -> Spec.Capabilities {
        var sets = Spec.Capabilities()
        for member in try members(value) {
            let value = member.value
            switch member.key {
            case "bounding": sets.bounding = try optional(value, strings)
            case "effective": sets.effective = try optional(value, strings)
            case "inheritable": sets.inheritable = try optional(value, strings)
            case "permitted": sets.permitted = try optional(value, strings)
            case "ambient": sets.ambient = try optional(value, strings)
            default: continue
            }
        }
        return sets
    }

    private static func rlimit(_ value: JSONValue) throws(Unsupported) -> Spec.Rlimit {
        var type: String?
        var hard: UInt64?
        var soft: UInt64?
        for member in try members(value) {
            switch member.key {
            case "type": type = try string(member.value)
            case "hard": hard = try integer(member.value)
            case "soft": soft = try integer(member.value)
            default: continue
            }
        }
        guard let type, let hard, let soft else { throw Unsupported() }
        return Spec.Rlimit(type: type, hard: hard, soft: soft)
    }

    private static func root(_ value: JSONValue) throws(Unsupported) -> Spec.Root {
        var path: String?
        var readonly: Bool?
        for member in try members(value) {
            switch member.key {
            case "path": path = try string(member.value)
            case "readonly": readonly = try optional(member.value, bool)
            default: continue
            }
        }
        guard let path else { throw Unsupported() }
        return Spec.Root(path: path, readonly: readonly)
    }

    private static func mount(_ value: JSONValue) throws(Unsupported) -> Spec.Mount {
        var destination: String?
        var mount = Spec.Mount(destination: "")
        for member in try members(value) {
            let value = member.value
            switch member.key {
            case "destination": destination = try string(value)
            case "type": mount.type = try optional(value, string)
            case "source": mount.source = try optional(value, string)
            case "options": mount.options = try optional(value, strings)
            case "uidMappings": mount.uidMappings = try optional(value, idMappings)
            case "gidMappings": mount.gidMappings = try optional(value, idMappings)
            default: continue
            }
        }
        guard let destination else { throw Unsupported() }
        mount.destination = destination
        return mount
    }

    private static func idMappings(_ value: JSONValue) throws(Unsupported) -> [Spec.IDMapping] {
        try array(value) { (item) throws(Unsupported) -> Spec.IDMapping in
            var containerID: UInt32?
            var hostID: UInt32?
            var size: UInt32?
            for member in try members(item) {
                switch member.key {
                case "containerID": containerID = try integer(member.value)
                case "hostID": hostID = try integer(member.value)
                case "size": size = try integer(member.value)
                default: continue
                }
            }
            guard let containerID, let hostID, let size else { throw Unsupported() }
            return Spec.IDMapping(containerID: containerID, hostID: hostID, size: size)
        }
    }

    private static func hooks(_ value: JSONValue) throws(Unsupported) -> Spec.Hooks {
        var hooks = Spec.Hooks()
        for member in try members(value) {
            let list = try optional(member.value) { (v) throws(Unsupported) in try array(v, hook) }
            switch member.key {
            case "prestart": hooks.prestart = list
            case "createRuntime": hooks.createRuntime = list
            case "createContainer": hooks.createContainer = list
            case "startContainer": hooks.startContainer = list
            case "poststart": hooks.poststart = list
            case "poststop": hooks.poststop = list
            default: continue
            }
        }
        return hooks
    }

    private static func hook(_ value: JSONValue) throws(Unsupported) -> Spec.Hook {
        var path: String?
        var hook = Spec.Hook(path: "")
        for member in try members(value) {
            let value = member.value
            switch member.key {
            case "path": path = try string(value)
            case "args": hook.args = try optional(value, strings)
            case "env": hook.env = try optional(value, strings)
            case "timeout": hook.timeout = try optional(value, integer)
            default: continue
            }
        }
        guard let path else { throw Unsupported() }
        hook.path = path
        return hook
    }

    private static func linux(_ value: JSONValue) throws(Unsupported) -> Spec.Linux {
        var linux = Spec.Linux()
        for member in try members(value) {
            let value = member.value
            switch member.key {
            case "uidMappings": linux.uidMappings = try optional(value, idMappings)
            case "gidMappings": linux.gidMappings = try optional(value, idMappings)
            case "sysctl": linux.sysctl = try optional(value, stringMap)
            case "resources": linux.resources = try optional(value, resources)
            case "cgroupsPath": linux.cgroupsPath = try optional(value, string)
            case "namespaces": linux.namespaces = try optional(value) { (v) throws(Unsupported) in try array(v, namespace) }
            case "devices": linux.devices = try optional(value) { (v) throws(Unsupported) in try array(v, device) }
            case "rootfsPropagation": linux.rootfsPropagation = try optional(value, string)
            case "maskedPaths": linux.maskedPaths = try optional(value, strings)
            case "readonlyPaths": linux.readonlyPaths = try optional(value, strings)
            case "mountLabel": linux.mountLabel = try optional(value, string)
            case "timeOffsets", "netDevices", "seccomp", "intelRdt", "memoryPolicy", "personality": try absent(value)
            default: continue
            }
        }
        return linux
    }

    private static func namespace(_ value: JSONValue) throws(Unsupported) -> Spec.Namespace {
        var type: String?
        var path: String?
        for member in try members(value) {
            switch member.key {
            case "type": type = try string(member.value)
            case "path": path = try optional(member.value, string)
            default: continue
            }
        }
        guard let type else { throw Unsupported() }
        return Spec.Namespace(type: type, path: path)
    }

    private static func device(_ value: JSONValue) throws(Unsupported) -> Spec.Device {
        var type: String?
        var path: String?
        var device = Spec.Device(type: "", path: "")
        for member in try members(value) {
            let value = member.value
            switch member.key {
            case "type": type = try string(value)
            case "path": path = try string(value)
            case "major": device.major = try optional(value, integer)
            case "minor": device.minor = try optional(value, integer)
            case "fileMode": device.fileMode = try optional(value, integer)
            case "uid": device.uid = try optional(value, integer)
            case "gid": device.gid = try optional(value, integer)
            default: continue
            }
        }
        guard let type, let path else { throw Unsupported() }
        device.type = type
        device.path = path
        return device
    }

    private static func resources(_ value: JSONValue) throws(Unsupported) -> Spec.Linux.Resources {
        var resources = Spec.Linux.Resources()
        for member in try members(value) {
            let value = member.value
            switch member.key {
            case "devices": resources.devices = try optional(value) { (v) throws(Unsupported) in try array(v, deviceRule) }
            case "unified": resources.unified = try optional(value, stringMap)
            case "memory", "cpu", "pids", "blockIO", "hugepageLimits", "network", "rdma": try absent(value)
            default: continue
            }
        }
        return resources
    }

    private static func deviceRule(_ value: JSONValue) throws(Unsupported) -> Spec.Linux.DeviceRule {
        var allow: Bool?
        var rule = Spec.Linux.DeviceRule(allow: false)
        for member in try members(value) {
            let value = member.value
            switch member.key {
            case "allow": allow = try bool(value)
            case "type": rule.type = try optional(value, string)
            case "major": rule.major = try optional(value, integer)
            case "minor": rule.minor = try optional(value, integer)
            case "access": rule.access = try optional(value, string)
            default: continue
            }
        }
        guard let allow else { throw Unsupported() }
        rule.allow = allow
        return rule
    }

    // MARK: Values

    private static func members(_ value: JSONValue) throws(Unsupported) -> [JSONValue.Member] {
        guard case .object(let members) = value else { throw Unsupported() }
        return members
    }

    /// nil for `null` (an absent optional), else `decode(value)`.
    private static func optional<T>(_ value: JSONValue, _ decode: (JSONValue) throws(Unsupported) -> T)
        throws(Unsupported) -> T?
    {
        if case .null = value { return nil }
        return try decode(value)
    }

    /// A member this decoder leaves to Codable unless it is `null`.
    private static func absent(_ value: JSONValue) throws(Unsupported) {
        guard case .null = value else { throw Unsupported() }
    }

    private static func string(_ value: JSONValue) throws(Unsupported) -> String {
        guard case .string(let text) = value else { throw Unsupported() }
        return text
    }

    private static func bool(_ value: JSONValue) throws(Unsupported) -> Bool {
        guard case .bool(let flag) = value else { throw Unsupported() }
        return flag
    }

    private static func integer<T: FixedWidthInteger>(_ value: JSONValue) throws(Unsupported) -> T {
        do {
            return try JSONScalarDecoding.integer(T.self, value, [])
        } catch {
            throw Unsupported()
        }
    }

    private static func strings(_ value: JSONValue) throws(Unsupported) -> [String] {
        try array(value, string)
    }

    private static func stringMap(_ value: JSONValue) throws(Unsupported) -> [String: String] {
        var map: [String: String] = [:]
        for member in try members(value) { map[member.key] = try string(member.value) }
        return map
    }

    private static func array<T>(_ value: JSONValue, _ element: (JSONValue) throws(Unsupported) -> T)
        throws(Unsupported) -> [T]
    {
        guard case .array(let items) = value else { throw Unsupported() }
        var result: [T] = []
        result.reserveCapacity(items.count)
        for item in items { result.append(try element(item)) }
        return result
    }
}
