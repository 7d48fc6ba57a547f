/// One container as `GET /containers/json` lists it (Docker's list shape, PascalCase keys).
public struct ContainerSummary: Codable, Sendable, Hashable {
    public var id: String
    /// Docker's form: `["/name"]`.
    public var names: [String]
    /// The reference the container was created from, as the user wrote it.
    public var image: String
    public var imageID: String
    /// The command line, joined with spaces (entrypoint then command).
    public var command: String
    /// Seconds since the epoch.
    public var created: Int64
    /// created, running, paused, restarting, removing, exited, dead.
    public var state: String
    /// Human status: `Up 3 seconds`, `Exited (0) 2 minutes ago`, `Created`.
    public var status: String
    public var exitCode: Int32
    public var labels: [String: String]

    public init(
        id: String, names: [String], image: String, imageID: String, command: String, created: Int64,
        state: String, status: String, exitCode: Int32, labels: [String: String]
    ) {
        self.id = id
        self.names = names
        self.image = image
        self.imageID = imageID
        self.command = command
        self.created = created
        self.state = state
        self.status = status
        self.exitCode = exitCode
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id", names = "Names", image = "Image", imageID = "ImageID", command = "Command"
        case created = "Created", state = "State", status = "Status", exitCode = "ExitCode", labels = "Labels"
    }
}
