import StackCore
import StackModel

/// Direct decoding of a service's `healthcheck` and `deploy`. Same contract as
/// `ServiceDecoding`: nil means "let `Codable` decode it"; every value returned equals the
/// `Codable` result; keys a type does not know are ignored.
extension ServicePartsDecoding {
    private typealias R = DirectNodeReading

    // MARK: Healthcheck

    /// `healthcheck:` (`decodeIfPresent(HealthCheck.self)`).
    static func optionalHealthCheck(_ node: Node) -> HealthCheck?? {
        if node.isNull { return .some(nil) }
        guard case .mapping(let entries) = node.kind else { return nil }
        var check = HealthCheck()
        for index in entries.indices {
            let value = entries[index].value
            switch entries[index].key {
            case "test":
                guard let test = healthTest(value) else { return nil }
                check.test = test
            case "interval":
                guard let duration = R.duration(value) else { return nil }
                check.interval = duration
            case "timeout":
                guard let duration = R.duration(value) else { return nil }
                check.timeout = duration
            case "start_period":
                guard let duration = R.duration(value) else { return nil }
                check.startPeriod = duration
            case "start_interval":
                guard let duration = R.duration(value) else { return nil }
                check.startInterval = duration
            case "retries":
                guard let number = R.optionalInteger(value, as: Int.self) else { return nil }
                check.retries = number
            case "disable":
                guard let flag = R.bool(value, or: false) else { return nil }
                check.disabled = flag
            default: continue
            }
        }
        return .some(check)
    }

    /// `test:`: an empty list or null is no test; a list is the Docker form; a string is a shell
    /// command.
    private static func healthTest(_ node: Node) -> HealthCheck.Test?? {
        switch node.kind {
        case .scalar(.null): return .some(nil)
        case .sequence:
            guard let arguments = R.stringList(node) else { return nil }
            if arguments.isEmpty { return .some(nil) }
            guard case .some(.some(let test)) = HealthCheck.Test.parse(arguments) else { return nil }
            return .some(test)
        case .scalar:
            return R.text(node).map { .some(.shell($0)) }
        case .mapping: return nil
        }
    }

    // MARK: Deploy

    /// `deploy:` (`decodeIfPresent(DeployConfig.self)`); device requests go to `Codable`.
    static func optionalDeploy(_ node: Node) -> DeployConfig?? {
        if node.isNull { return .some(nil) }
        guard case .mapping(let entries) = node.kind else { return nil }
        var deploy = DeployConfig()
        for index in entries.indices {
            let value = entries[index].value
            switch entries[index].key {
            case "mode":
                guard let text = R.optionalText(value) else { return nil }
                deploy.mode = text
            case "replicas":
                guard let number = R.optionalInteger(value, as: Int.self) else { return nil }
                deploy.replicas = number
            case "labels":
                guard let map = R.stringMap(value) else { return nil }
                deploy.labels = map
            case "resources":
                guard let resources = optionalResources(value) else { return nil }
                deploy.resources = resources
            case "restart_policy":
                guard let policy = optionalRestartPolicy(value) else { return nil }
                deploy.restartPolicy = policy
            default: continue
            }
        }
        return .some(deploy)
    }

    private static func optionalResources(_ node: Node) -> Resources?? {
        if node.isNull { return .some(nil) }
        guard case .mapping(let entries) = node.kind else { return nil }
        var resources = Resources()
        for index in entries.indices {
            switch entries[index].key {
            case "limits":
                guard let spec = optionalResourceSpec(entries[index].value) else { return nil }
                resources.limits = spec
            case "reservations":
                guard let spec = optionalResourceSpec(entries[index].value) else { return nil }
                resources.reservations = spec
            default: continue
            }
        }
        return .some(resources)
    }

    private static func optionalResourceSpec(_ node: Node) -> ResourceSpec?? {
        if node.isNull { return .some(nil) }
        guard case .mapping(let entries) = node.kind else { return nil }
        var spec = ResourceSpec()
        for index in entries.indices {
            let value = entries[index].value
            switch entries[index].key {
            case "cpus":
                guard let number = R.optionalDouble(value) else { return nil }
                spec.cpus = number
            case "memory":
                guard let bytes = R.byteSize(value) else { return nil }
                spec.memory = bytes
            case "pids":
                guard let number = R.optionalInteger(value, as: Int64.self) else { return nil }
                spec.pids = number
            case "devices":
                // Only "none": device requests decode through `Codable`.
                guard value.isNull || value.items?.isEmpty == true else { return nil }
                spec.devices = []
            default: continue
            }
        }
        return .some(spec)
    }

    private static func optionalRestartPolicy(_ node: Node) -> DeployRestartPolicy?? {
        if node.isNull { return .some(nil) }
        guard case .mapping(let entries) = node.kind else { return nil }
        var policy = DeployRestartPolicy()
        for index in entries.indices {
            let value = entries[index].value
            switch entries[index].key {
            case "condition":
                guard let condition = R.optionalEnum(value, as: DeployRestartPolicy.Condition.self) else { return nil }
                policy.condition = condition
            case "delay":
                guard let duration = R.duration(value) else { return nil }
                policy.delay = duration
            case "max_attempts":
                guard let number = R.optionalInteger(value, as: Int.self) else { return nil }
                policy.maxAttempts = number
            case "window":
                guard let duration = R.duration(value) else { return nil }
                policy.window = duration
            default: continue
            }
        }
        return .some(policy)
    }
}
