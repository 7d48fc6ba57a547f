/// What a container mount is made from (Docker's `Mount.Type`).
public enum MountKind: String, Sendable, Codable, CaseIterable {
    /// A host path bind-mounted into the container.
    case bind
    /// A managed volume (named, or anonymous with a random name), created on first use.
    case volume
    /// A fresh tmpfs, gone when the container stops.
    case tmpfs
}
