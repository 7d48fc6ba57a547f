import StackCore
import StackModel

/// The last stage of the loader: the canonical (long-syntax) node tree to a `Project`.
public enum ProjectDecoder {
    /// Decodes `root` (the canonical tree `docker compose config` would print) into a project
    /// called `name`, whose relative paths were resolved against `workingDirectory`. Unknown keys
    /// and `x-` extensions are ignored; resource names left out are resolved as Compose does.
    public static func decode(_ root: Node, name: String, workingDirectory: String) throws(StackError) -> Project {
        guard root.isMapping || root.isNull else {
            throw StackError(
                .invalidStackFile, "the stack file must be a mapping, not \(DecodingFailure.describe(root))",
                mark: root.mark)
        }
        var project = try NodeDecoder().decode(Project.self, from: root)
        project.name = name
        project.workingDirectory = workingDirectory
        project.resolveResourceNames()
        return project
    }
}
