/// One host port forwarded to a running container (what `stack container port` lists), kept in
/// the container's directory as ports.json while it runs, so a restarted stackd knows them.
struct PublishedPort: Codable, Sendable, Hashable {
    var proto: String
    /// "" for every address.
    var hostIP: String
    var hostPort: UInt16
    var containerIP: String
    var containerPort: UInt16
    /// The bridge its DNAT rule sends traffic to.
    var bridge: String

    /// Docker's key: `80/tcp`.
    var key: String { "\(containerPort)/\(proto)" }
}
