/// A container's lifecycle state, spelled as Docker prints it (`State.Status` in inspect).
public enum ContainerState: String, Sendable, CaseIterable, Codable {
    case created, running, paused, restarting, removing, exited, dead

    /// True for the states `docker ps` lists without `-a`: the container has live processes.
    public var isUp: Bool {
        switch self {
        case .running, .paused, .restarting: return true
        case .created, .removing, .exited, .dead: return false
        }
    }
}
