/// A service's `healthcheck`.
public struct HealthCheck: Sendable, Hashable, Codable {
    /// The probe to run.
    public enum Test: Sendable, Hashable, Codable {
        /// `["NONE"]`: disable the image's healthcheck.
        case disabled
        /// `["CMD", arg…]`: run the arguments directly.
        case exec([String])
        /// `["CMD-SHELL", command]` or a plain string: run with the container's shell.
        case shell(String)

        /// The Docker form: `["CMD", …]`, `["CMD-SHELL", …]` or `["NONE"]`.
        public var arguments: [String] {
            switch self {
            case .disabled: return ["NONE"]
            case .exec(let args): return ["CMD"] + args
            case .shell(let command): return ["CMD-SHELL", command]
            }
        }

        /// Reads the Docker form; nil for an empty list, which means "inherit from the image".
        public static func parse(_ arguments: [String]) -> Test?? {
            guard let first = arguments.first else { return .some(nil) }
            switch first {
            case "NONE": return .some(.disabled)
            case "CMD": return .some(.exec(Array(arguments.dropFirst())))
            case "CMD-SHELL": return .some(.shell(arguments.dropFirst().joined(separator: " ")))
            default: return nil
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            // The canonical form is a list; a plain string is a shell command.
            guard let arguments = try? container.decode([String].self) else {
                self = .shell(try container.decode(String.self))
                return
            }
            guard case .some(.some(let test)) = Test.parse(arguments) else {
                throw container.invalid(
                    "healthcheck test must start with \"CMD\", \"CMD-SHELL\" or \"NONE\", not \(arguments.first.map { "\"\($0)\"" } ?? "nothing")")
            }
            self = test
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(arguments)
        }
    }

    /// The probe; nil inherits the image's.
    public var test: Test?
    public var interval: Duration?
    public var timeout: Duration?
    /// Consecutive failures before the container is unhealthy.
    public var retries: Int?
    /// Failures during this time after start do not count.
    public var startPeriod: Duration?
    /// Probe interval during the start period.
    public var startInterval: Duration?
    /// `disable: true`: no healthcheck at all.
    public var disabled: Bool

    public init(
        test: Test? = nil, interval: Duration? = nil, timeout: Duration? = nil, retries: Int? = nil,
        startPeriod: Duration? = nil, startInterval: Duration? = nil, disabled: Bool = false
    ) {
        self.test = test
        self.interval = interval
        self.timeout = timeout
        self.retries = retries
        self.startPeriod = startPeriod
        self.startInterval = startInterval
        self.disabled = disabled
    }

    /// True when no probe will run: `disable: true` or a `NONE` test.
    public var isDisabled: Bool { disabled || test == .disabled }

    enum CodingKeys: String, CodingKey {
        case test, interval, timeout, retries
        case startPeriod = "start_period"
        case startInterval = "start_interval"
        case disabled = "disable"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let arguments = try? c.decodeIfPresent([String].self, forKey: .test), arguments.isEmpty {
            test = nil
        } else {
            test = try c.optional(.test)
        }
        interval = try c.duration(.interval)
        timeout = try c.duration(.timeout)
        retries = try c.optional(.retries)
        startPeriod = try c.duration(.startPeriod)
        startInterval = try c.duration(.startInterval)
        disabled = try c.value(.disabled, or: false)
    }
}
