import StackCore

/// The checks runc and crun make on a configuration before they create anything.
///
/// `validate` throws the first error as `StackError(.invalidArgument)` naming the field
/// (`config.json: process.cwd: must be an absolute path, got "tmp"`) and returns the warnings;
/// `problems` lists every finding.
public enum SpecValidator {
    /// Validates `spec`; throws the first error, returns warnings.
    ///
    /// - Parameters:
    ///   - forCreate: the spec is about to be run, so `root`, `process` and `process.args` are required.
    ///   - systemdCgroup: `cgroupsPath` is in systemd's `slice:prefix:name` form.
    ///   - file: the name errors carry, e.g. `config.json` or the bundle's path to it.
    @discardableResult
    public static func validate(
        _ spec: Spec, forCreate: Bool = true, systemdCgroup: Bool = false, file: String = SpecLoader.configFileName
    ) throws(StackError) -> [StackWarning] {
        let found = problems(spec, forCreate: forCreate, systemdCgroup: systemdCgroup)
        if let first = found.first(where: { $0.severity == .error }) { throw first.error(file: file) }
        return found.map { $0.warning(file: file) }
    }

    /// Validates a process for `exec --process`; throws the first error, returns warnings.
    @discardableResult
    public static func validate(process: Spec.Process, file: String = "process.json") throws(StackError) -> [StackWarning] {
        var checker = SpecChecker(spec: Spec(), systemdCgroup: false)
        checker.checkProcess(process, path: "", forCreate: true)
        if let first = checker.problems.first(where: { $0.severity == .error }) { throw first.error(file: file) }
        return checker.problems.map { $0.warning(file: file) }
    }

    /// Every finding for `spec`, errors and warnings, in document order.
    public static func problems(_ spec: Spec, forCreate: Bool = true, systemdCgroup: Bool = false) -> [SpecProblem] {
        var checker = SpecChecker(spec: spec, systemdCgroup: systemdCgroup)
        checker.checkAll(forCreate: forCreate)
        return checker.problems
    }
}

/// Walks a spec and collects problems; one method per section.
struct SpecChecker {
    let spec: Spec
    let systemdCgroup: Bool
    var problems: [SpecProblem] = []

    init(spec: Spec, systemdCgroup: Bool) {
        self.spec = spec
        self.systemdCgroup = systemdCgroup
    }

    mutating func error(_ path: String, _ message: String) {
        problems.append(SpecProblem(.error, path: path, message))
    }

    mutating func warn(_ path: String, _ message: String) {
        problems.append(SpecProblem(.warning, path: path, message))
    }

    /// The namespace entry of `type` and its position, when listed.
    func namespace(_ type: NamespaceType) -> (index: Int, namespace: Spec.Namespace)? {
        guard let namespaces = spec.linux?.namespaces,
            let index = namespaces.firstIndex(where: { $0.type == type.rawValue })
        else { return nil }
        return (index, namespaces[index])
    }

    func hasNamespace(_ type: NamespaceType) -> Bool { namespace(type) != nil }

    mutating func checkAll(forCreate: Bool) {
        checkVersion()
        checkRoot(forCreate: forCreate)
        if let process = spec.process {
            checkProcess(process, path: "process", forCreate: forCreate)
        } else if forCreate {
            error("process", "is required to create a container")
        }
        checkHostnames()
        checkMounts()
        checkHooks()
        if let linux = spec.linux { checkLinux(linux) }
    }

    mutating func checkVersion() {
        let version = spec.ociVersion
        let major = version.prefix { $0 != "." }
        guard !version.isEmpty, major.allSatisfy(\.isASCII), let number = Int(major) else {
            error("ociVersion", "\"\(version)\" is not a version (expected 1.x.y)")
            return
        }
        if number != 1 {
            error("ociVersion", "version \(version) is not supported: this runtime implements runtime-spec 1.x")
        } else if !Self.isSemanticVersion(version) {
            warn("ociVersion", "\"\(version)\" is not a semantic version")
        }
    }

    static func isSemanticVersion(_ text: String) -> Bool {
        var core = Substring(text)
        if let cut = core.firstIndex(where: { $0 == "-" || $0 == "+" }) {
            let rest = core[core.index(after: cut)...]
            guard !rest.isEmpty, rest.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "+") })
            else { return false }
            core = core[..<cut]
        }
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    mutating func checkRoot(forCreate: Bool) {
        guard let root = spec.root else {
            if forCreate { error("root", "is required on Linux") }
            return
        }
        if root.path.isEmpty { error("root.path", "must not be empty") }
    }

    mutating func checkHostnames() {
        for (name, value) in [("hostname", spec.hostname), ("domainname", spec.domainname)] {
            guard let value, !value.isEmpty else { continue }
            if !hasNamespace(.uts) {
                error(name, "cannot be set without a uts namespace in linux.namespaces")
            }
        }
    }

    mutating func checkMounts() {
        for (position, mount) in (spec.mounts ?? []).enumerated() {
            let path = SpecPath.item("mounts", position)
            if mount.destination.isEmpty {
                error(path + ".destination", "must not be empty")
            } else if !mount.destination.hasPrefix("/") {
                warn(path + ".destination", "\"\(mount.destination)\" should be an absolute path; it is taken relative to /")
            }
            switch (mount.uidMappings, mount.gidMappings) {
            case (nil, nil): break
            case (let uids?, let gids?):
                checkMappings(uids, path: path + ".uidMappings")
                checkMappings(gids, path: path + ".gidMappings")
            case (nil, _): error(path + ".uidMappings", "is required with gidMappings for an idmapped mount")
            case (_, nil): error(path + ".gidMappings", "is required with uidMappings for an idmapped mount")
            }
        }
    }

    mutating func checkMappings(_ mappings: [Spec.IDMapping], path: String) {
        if mappings.isEmpty { error(path, "must list at least one mapping") }
        for (position, mapping) in mappings.enumerated() {
            let item = SpecPath.item(path, position)
            if mapping.size == 0 {
                error(item + ".size", "must be at least 1")
            } else if UInt64(mapping.containerID) + UInt64(mapping.size) > 1 << 32
                || UInt64(mapping.hostID) + UInt64(mapping.size) > 1 << 32
            {
                error(item, "the range of \(mapping.size) ids overflows 32 bits")
            }
        }
    }

    mutating func checkHooks() {
        guard let hooks = spec.hooks else { return }
        for (name, list) in hooks.all {
            for (position, hook) in list.enumerated() {
                let path = SpecPath.item("hooks.\(name)", position)
                if !hook.path.hasPrefix("/") {
                    error(path + ".path", "must be an absolute path, got \"\(hook.path)\"")
                }
                if let timeout = hook.timeout, timeout < 1 {
                    error(path + ".timeout", "must be at least 1 second, got \(timeout)")
                }
            }
        }
    }
}
