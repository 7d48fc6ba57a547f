/// An archive entry name made safe to join under a layer directory: `./` and empty components
/// dropped; any `..` component is refused (absolute names are refused by the entry writer).
struct LayerPath: Hashable {
    /// The components, none empty, `.` or `..`; empty for the layer's root.
    let components: [String]

    /// nil when the name has a `..` component (it could leave the layer).
    init?(entryName: String) {
        var parts: [String] = []
        for part in entryName.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { return nil }
            parts.append(String(part))
        }
        components = parts
    }

    init(components: [String]) { self.components = components }

    var isRoot: Bool { components.isEmpty }

    /// `a/b/c`.
    var relative: String { components.joined(separator: "/") }

    /// The last component (empty for the root).
    var name: String { components.last ?? "" }

    /// The containing directory.
    var parent: LayerPath { LayerPath(components: Array(components.dropLast())) }

    /// `root/a/b/c`.
    func absolute(in root: String) -> String { isRoot ? root : root + "/" + relative }

    /// The path with its last component replaced.
    func sibling(named name: String) -> LayerPath { LayerPath(components: Array(components.dropLast()) + [name]) }
}
