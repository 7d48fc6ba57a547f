import StackAPI
import StackCore

/// Docker's json-file options: `max-size` (a size, e.g. 10m) and `max-file` (how many files in
/// all, 1 by default). Without `max-size` the log is not rotated, as in Docker.
struct LogRotation: Sendable, Hashable {
    var maxSize: Int64?
    var maxFiles: Int?

    init() {}

    init(_ config: HostConfig.LogConfig?) throws(StackError) {
        guard let config else { return }
        guard config.type.isEmpty || config.type == "json-file" else {
            throw StackError(.unsupported, "log driver \"\(config.type)\" is not supported (only json-file)")
        }
        for (key, value) in config.config {
            switch key {
            case "max-size":
                guard let size = ByteSize.parse(value), size > 0 else {
                    throw StackError(.invalidArgument, "--log-opt max-size: invalid size \"\(value)\"")
                }
                maxSize = size
            case "max-file":
                guard let count = Int(value), count >= 1 else {
                    throw StackError(.invalidArgument, "--log-opt max-file: must be a positive number, got \"\(value)\"")
                }
                maxFiles = count
            default:
                throw StackError(.invalidArgument, "--log-opt: unknown option \"\(key)\" for the json-file driver")
            }
        }
        if maxFiles != nil && maxSize == nil {
            throw StackError(.invalidArgument, "--log-opt max-file needs max-size")
        }
    }
}
