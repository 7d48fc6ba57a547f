import Foundation

/// Redirection of this process's stdout.
enum StandardOutput {
    /// Run `body` with fd 1 pointing at stderr, then restore it: `run` shows the progress of
    /// bringing up dependencies (which `UpCommand.converge` prints to stdout) on stderr, keeping
    /// stdout for the one-off container's output.
    static func toStandardError<T>(_ body: () async throws -> T) async throws -> T {
        let saved = dup(1)
        guard saved >= 0, dup2(2, 1) >= 0 else {
            if saved >= 0 { close(saved) }
            return try await body()
        }
        defer {
            dup2(saved, 1)
            close(saved)
        }
        return try await body()
    }
}
