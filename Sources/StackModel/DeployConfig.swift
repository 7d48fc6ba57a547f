/// A service's `deploy` section, as far as a single-host engine uses it.
public struct DeployConfig: Sendable, Hashable, Codable {
    /// `replicated` (default) or `global`.
    public var mode: String?
    public var replicas: Int?
    public var labels: [String: String]
    public var resources: Resources?
    public var restartPolicy: DeployRestartPolicy?

    public init(
        mode: String? = nil, replicas: Int? = nil, labels: [String: String] = [:], resources: Resources? = nil,
        restartPolicy: DeployRestartPolicy? = nil
    ) {
        self.mode = mode
        self.replicas = replicas
        self.labels = labels
        self.resources = resources
        self.restartPolicy = restartPolicy
    }

    enum CodingKeys: String, CodingKey {
        case mode, replicas, labels, resources
        case restartPolicy = "restart_policy"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mode = try c.optional(.mode)
        replicas = try c.optional(.replicas)
        labels = try c.stringMap(.labels)
        resources = try c.optional(.resources)
        restartPolicy = try c.optional(.restartPolicy)
    }
}

/// `deploy.resources`: upper limits and guaranteed reservations.
public struct Resources: Sendable, Hashable, Codable {
    public var limits: ResourceSpec?
    public var reservations: ResourceSpec?

    public init(limits: ResourceSpec? = nil, reservations: ResourceSpec? = nil) {
        self.limits = limits
        self.reservations = reservations
    }
}

/// One side of `deploy.resources` (limits or reservations).
public struct ResourceSpec: Sendable, Hashable, Codable {
    /// CPUs as a fraction of one CPU (`0.5`, `2`).
    public var cpus: Double?
    /// Memory in bytes.
    public var memory: Int64?
    /// Maximum number of processes (limits only).
    public var pids: Int64?
    /// Device requests such as GPUs (reservations only).
    public var devices: [DeviceRequest]

    public init(cpus: Double? = nil, memory: Int64? = nil, pids: Int64? = nil, devices: [DeviceRequest] = []) {
        self.cpus = cpus
        self.memory = memory
        self.pids = pids
        self.devices = devices
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cpus = try c.optional(.cpus)
        memory = try c.byteSize(.memory)
        pids = try c.optional(.pids)
        devices = try c.value(.devices, or: [])
    }
}

/// A request for host devices (`deploy.resources.reservations.devices[]`).
public struct DeviceRequest: Sendable, Hashable, Codable {
    public var capabilities: [String]
    /// How many devices; -1 means all (`count: all`).
    public var count: Int?
    public var deviceIDs: [String]
    public var driver: String?
    public var options: [String: String]

    public init(
        capabilities: [String] = [], count: Int? = nil, deviceIDs: [String] = [], driver: String? = nil,
        options: [String: String] = [:]
    ) {
        self.capabilities = capabilities
        self.count = count
        self.deviceIDs = deviceIDs
        self.driver = driver
        self.options = options
    }

    enum CodingKeys: String, CodingKey {
        case capabilities, count, driver, options
        case deviceIDs = "device_ids"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        capabilities = try c.value(.capabilities, or: [])
        if let text = try? c.decodeIfPresent(String.self, forKey: .count), text == "all" {
            count = -1
        } else {
            count = try c.optional(.count)
        }
        deviceIDs = try c.value(.deviceIDs, or: [])
        driver = try c.optional(.driver)
        options = try c.stringMap(.options)
    }
}

/// `deploy.restart_policy`: the Swarm-style restart policy.
public struct DeployRestartPolicy: Sendable, Hashable, Codable {
    /// When to restart.
    public enum Condition: String, StackFileEnum {
        case none
        case onFailure = "on-failure"
        case any
    }

    public var condition: Condition?
    /// Wait between restart attempts.
    public var delay: Duration?
    public var maxAttempts: Int?
    /// How long to wait before deciding a restart succeeded.
    public var window: Duration?

    public init(condition: Condition? = nil, delay: Duration? = nil, maxAttempts: Int? = nil, window: Duration? = nil) {
        self.condition = condition
        self.delay = delay
        self.maxAttempts = maxAttempts
        self.window = window
    }

    /// The equivalent engine restart policy (`any` is `always`, `on-failure` keeps `max_attempts`).
    public var restartPolicy: RestartPolicy? {
        switch condition {
        case .none?: return RestartPolicy.no
        case .onFailure?: return .onFailure(maxRetries: maxAttempts)
        case .any?: return .always
        case nil: return nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case condition, delay, window
        case maxAttempts = "max_attempts"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        condition = try c.optional(.condition)
        delay = try c.duration(.delay)
        maxAttempts = try c.optional(.maxAttempts)
        window = try c.duration(.window)
    }
}
