/// `POST /networks/create`'s answer.
public struct NetworkCreateResponse: Codable, Sendable, Hashable {
    public var id: String
    /// Empty when there is nothing to warn about.
    public var warning: String

    public init(id: String, warning: String = "") {
        self.id = id
        self.warning = warning
    }

    enum CodingKeys: String, CodingKey { case id = "Id", warning = "Warning" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        warning = try c.decodeIfPresent(String.self, forKey: .warning) ?? ""
    }
}

/// The body of `POST /networks/{id}/connect`.
public struct NetworkConnectRequest: Codable, Sendable, Hashable {
    /// The container's id or name.
    public var container: String
    /// The static address (`--ip`) and aliases (`--alias`) asked for, or nil.
    public var endpointConfig: EndpointSettings?

    public init(container: String, endpointConfig: EndpointSettings? = nil) {
        self.container = container
        self.endpointConfig = endpointConfig
    }

    enum CodingKeys: String, CodingKey { case container = "Container", endpointConfig = "EndpointConfig" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        container = try c.decodeIfPresent(String.self, forKey: .container) ?? ""
        endpointConfig = try c.decodeIfPresent(EndpointSettings.self, forKey: .endpointConfig)
    }
}

/// The body of `POST /networks/{id}/disconnect`.
public struct NetworkDisconnectRequest: Codable, Sendable, Hashable {
    /// The container's id or name.
    public var container: String
    /// Disconnect even when the container is not running or the network is unreachable.
    public var force: Bool

    public init(container: String, force: Bool = false) {
        self.container = container
        self.force = force
    }

    enum CodingKeys: String, CodingKey { case container = "Container", force = "Force" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        container = try c.decodeIfPresent(String.self, forKey: .container) ?? ""
        force = try c.decodeIfPresent(Bool.self, forKey: .force) ?? false
    }
}

/// `POST /networks/prune`'s answer: the names of the networks removed.
public struct NetworkPruneResponse: Codable, Sendable, Hashable {
    public var networksDeleted: [String]

    public init(networksDeleted: [String] = []) {
        self.networksDeleted = networksDeleted
    }

    enum CodingKeys: String, CodingKey { case networksDeleted = "NetworksDeleted" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        networksDeleted = try c.decodeIfPresent([String].self, forKey: .networksDeleted) ?? []
    }
}
