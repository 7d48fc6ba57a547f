import StackCore

/// Why a request to the daemon failed.
public enum APIClientError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The daemon answered with an error status; `message` is its JSON `message` (or the body as text).
    case server(status: Int, message: String)
    /// The connection ended before the response did.
    case connectionClosed
    /// The daemon did not answer the way HTTP requires (e.g. no `101` for an upgrade).
    case protocolError(String)
    /// No daemon answers and none could be started.
    case daemonUnavailable(String)

    /// The HTTP status for `.server` errors.
    public var status: Int? {
        if case .server(let status, _) = self { return status }
        return nil
    }

    public var description: String {
        switch self {
        case .server(let status, let message): return "Error response from daemon (\(status)): \(message)"
        case .connectionClosed: return "the connection to stackd closed before the response was complete"
        case .protocolError(let message): return "unexpected answer from stackd: \(message)"
        case .daemonUnavailable(let message): return message
        }
    }

    /// The same failure as a `StackError` (404 → `.notFound`, 400 → `.invalidArgument`, else `.system`).
    public var stackError: StackError {
        switch status {
        case 404: return StackError(.notFound, description)
        case 400: return StackError(.invalidArgument, description)
        default: return StackError(.system, description)
        }
    }
}
