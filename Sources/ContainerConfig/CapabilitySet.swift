import StackCore

/// `--cap-add`/`--cap-drop`/`--privileged` applied to a base capability set, as Docker does.
public enum CapabilitySet {
    /// Every capability this engine knows, `CAP_*` names in kernel order.
    public static var all: [String] { CapabilityName.all }

    /// Normalizes names: upper case, `CAP_` prefixed (except `ALL`), known, without repeats.
    public static func normalize(_ names: [String], path: String) throws(StackError) -> [String] {
        var result: [String] = []
        for (index, raw) in names.enumerated() {
            var name = raw.trimmingSpaces().uppercased()
            if name != "ALL" && !name.hasPrefix("CAP_") { name = "CAP_" + name }
            if name != "ALL" && CapabilityName.number(of: name) == nil {
                throw StackError(.invalidArgument, "unknown capability: \"\(raw)\"", path: "\(path)[\(index)]")
            }
            if !result.contains(name) { result.append(name) }
        }
        return result
    }

    /// The resulting set:
    /// - privileged: every capability;
    /// - `ALL` added: every capability but the dropped ones;
    /// - `ALL` dropped: only the added ones;
    /// - otherwise: `base` without the dropped ones, plus the added ones.
    /// `available`: the capabilities the engine itself holds (its bounding set); "all" (privileged,
    /// `--cap-add ALL`) means all of those, as Docker's, since no process can grant more.
    public static func tweak(
        _ base: [String], add: [String], drop: [String], privileged: Bool, available: [String]? = nil
    ) throws(StackError) -> [String] {
        let all = available.map { available in Self.all.filter(available.contains) } ?? Self.all
        if privileged { return all }
        let added = try normalize(add, path: "HostConfig.CapAdd")
        let dropped = try normalize(drop, path: "HostConfig.CapDrop")
        if added.isEmpty && dropped.isEmpty { return base }
        var result: [String]
        if added.contains("ALL") {
            result = all.filter { !dropped.contains($0) }
        } else if dropped.contains("ALL") {
            result = added
        } else {
            result = base.filter { !dropped.contains($0) }
            for name in added where !result.contains(name) { result.append(name) }
        }
        return result
    }
}
