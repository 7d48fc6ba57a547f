/// `POST /containers/create`'s answer.
public struct ContainerCreateResponse: Codable, Sendable, Hashable {
    public var id: String
    public var warnings: [String]

    public init(id: String, warnings: [String] = []) {
        self.id = id
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey { case id = "Id", warnings = "Warnings" }
}

/// `POST /containers/{id}/wait`'s answer: the exit status once the container has stopped.
public struct ContainerWaitResponse: Codable, Sendable, Hashable {
    public var statusCode: Int32
    /// Why waiting failed, when it did.
    public var error: String?

    public init(statusCode: Int32, error: String? = nil) {
        self.statusCode = statusCode
        self.error = error
    }

    enum CodingKeys: String, CodingKey { case statusCode = "StatusCode", error = "Error" }
}

/// `GET /containers/{id}/top`'s answer: `ps`-like columns.
public struct ContainerTopResponse: Codable, Sendable, Hashable {
    public var titles: [String]
    public var processes: [[String]]

    public init(titles: [String], processes: [[String]]) {
        self.titles = titles
        self.processes = processes
    }

    enum CodingKeys: String, CodingKey { case titles = "Titles", processes = "Processes" }
}

/// `DELETE /images/{name}`'s answer items, as docker rmi prints them.
public struct ImageDeleteItem: Codable, Sendable, Hashable {
    public var untagged: String?
    public var deleted: String?

    public init(untagged: String? = nil, deleted: String? = nil) {
        self.untagged = untagged
        self.deleted = deleted
    }

    enum CodingKeys: String, CodingKey { case untagged = "Untagged", deleted = "Deleted" }
}

/// One image as `GET /images/json` lists it.
public struct ImageSummary: Codable, Sendable, Hashable {
    public var id: String
    public var repoTags: [String]
    /// Seconds since the epoch.
    public var created: Int64
    public var size: Int64

    public init(id: String, repoTags: [String], created: Int64, size: Int64) {
        self.id = id
        self.repoTags = repoTags
        self.created = created
        self.size = size
    }

    enum CodingKeys: String, CodingKey { case id = "Id", repoTags = "RepoTags", created = "Created", size = "Size" }
}

/// `POST /containers/{id}/exec`'s body: a process to run in a running container.
public struct ExecRequest: Codable, Sendable, Hashable {
    public var cmd: [String]
    public var env: [String]
    public var workingDir: String?
    public var user: String?
    public var tty: Bool
    public var attachStdin: Bool
    public var detach: Bool
    public var privileged: Bool
    /// The terminal's size, `[height, width]`, with `tty`.
    public var consoleSize: [Int]?

    public init(
        cmd: [String], env: [String] = [], workingDir: String? = nil, user: String? = nil, tty: Bool = false,
        attachStdin: Bool = false, detach: Bool = false, privileged: Bool = false, consoleSize: [Int]? = nil
    ) {
        self.consoleSize = consoleSize
        self.cmd = cmd
        self.env = env
        self.workingDir = workingDir
        self.user = user
        self.tty = tty
        self.attachStdin = attachStdin
        self.detach = detach
        self.privileged = privileged
    }

    enum CodingKeys: String, CodingKey {
        case cmd = "Cmd", env = "Env", workingDir = "WorkingDir", user = "User", tty = "Tty"
        case attachStdin = "AttachStdin", detach = "Detach", privileged = "Privileged"
        case consoleSize = "ConsoleSize"
    }
}

/// One reading of a container's resource use (`stats --no-stream`): two CPU readings so the
/// client can compute a percentage, as Docker's `precpu_stats`.
public struct ContainerStatsSample: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var read: String
    public var cpuTotalNanoseconds: UInt64
    public var systemNanoseconds: UInt64
    public var previousCPUTotalNanoseconds: UInt64
    public var previousSystemNanoseconds: UInt64
    public var onlineCPUs: Int
    public var memoryUsage: UInt64
    public var memoryLimit: UInt64
    public var pids: UInt64

    public init(
        id: String, name: String, read: String, cpuTotalNanoseconds: UInt64, systemNanoseconds: UInt64,
        previousCPUTotalNanoseconds: UInt64 = 0, previousSystemNanoseconds: UInt64 = 0, onlineCPUs: Int,
        memoryUsage: UInt64, memoryLimit: UInt64, pids: UInt64
    ) {
        self.id = id
        self.name = name
        self.read = read
        self.cpuTotalNanoseconds = cpuTotalNanoseconds
        self.systemNanoseconds = systemNanoseconds
        self.previousCPUTotalNanoseconds = previousCPUTotalNanoseconds
        self.previousSystemNanoseconds = previousSystemNanoseconds
        self.onlineCPUs = onlineCPUs
        self.memoryUsage = memoryUsage
        self.memoryLimit = memoryLimit
        self.pids = pids
    }

    /// CPU use in percent of one CPU × online CPUs, as docker stats computes it.
    public var cpuPercent: Double {
        let cpu = Double(cpuTotalNanoseconds) - Double(previousCPUTotalNanoseconds)
        let system = Double(systemNanoseconds) - Double(previousSystemNanoseconds)
        guard cpu > 0, system > 0 else { return 0 }
        return cpu / system * Double(max(onlineCPUs, 1)) * 100
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id", name = "Name", read = "Read", cpuTotalNanoseconds = "CPUTotal", systemNanoseconds = "SystemCPU"
        case previousCPUTotalNanoseconds = "PreCPUTotal", previousSystemNanoseconds = "PreSystemCPU"
        case onlineCPUs = "OnlineCPUs", memoryUsage = "MemoryUsage", memoryLimit = "MemoryLimit", pids = "Pids"
    }
}
