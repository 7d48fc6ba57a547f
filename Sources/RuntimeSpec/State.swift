/// The state of a container as `state` prints it and hooks read it on stdin (runtime.md "State").
public struct State: Codable, Sendable, Hashable {
    public var ociVersion: String
    /// The container's id, unique on this host.
    public var id: String
    public var status: ContainerStatus
    /// The container's init process as seen from the host (runc prints 0 once it is stopped).
    public var pid: Int32?
    /// Absolute path of the bundle directory.
    public var bundle: String
    /// The annotations of config.json.
    public var annotations: [String: String]?

    public init(
        ociVersion: String = Spec.currentVersion, id: String, status: ContainerStatus, pid: Int32? = nil,
        bundle: String, annotations: [String: String]? = nil
    ) {
        self.ociVersion = ociVersion
        self.id = id
        self.status = status
        self.pid = pid
        self.bundle = bundle
        self.annotations = annotations
    }
}

/// A container's lifecycle status. `paused` is runc's and crun's addition to the spec's four.
public enum ContainerStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// `create` is running and has not finished.
    case creating
    /// `create` finished; the init waits for `start`.
    case created
    /// The user process has been executed and has not exited.
    case running
    /// The user process exited.
    case stopped
    /// The cgroup is frozen.
    case paused
}

extension ContainerStatus {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let status = ContainerStatus(rawValue: text) else {
            let known = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "unknown status \"\(text)\" (expected one of \(known))"))
        }
        self = status
    }
}
