/// The label keys that carry a project's state on its containers, networks and volumes.
///
/// Labels are the state: the observed state is rebuilt from them alone, so a restarted CLI or
/// daemon knows which container belongs to which service and with which configuration.
public enum ComposeLabel {
    public static let project = "com.docker.compose.project"
    public static let service = "com.docker.compose.service"
    public static let containerNumber = "com.docker.compose.container-number"
    public static let configHash = "com.docker.compose.config-hash"
    public static let oneOff = "com.docker.compose.oneoff"
    public static let configFiles = "com.docker.compose.project.config_files"
    public static let workingDir = "com.docker.compose.project.working_dir"
    public static let dependsOn = "com.docker.compose.depends_on"
    public static let image = "com.docker.compose.image"
    public static let version = "com.docker.compose.version"
    public static let network = "com.docker.compose.network"
    public static let volume = "com.docker.compose.volume"
    /// stack's own: per-field hashes of the configuration (`ConfigHash.fieldsLabel`), so a
    /// recreate can name the fields that changed. Compose does not write it.
    public static let configFields = "io.stack.config-fields"
}
