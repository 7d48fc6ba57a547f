import StackCore

/// An error a handler throws to answer with a specific status; the body is `{"message": "..."}`.
///
/// Other errors map through `APIError.init(mapping:)`: a `StackError` by its code (`.notFound` → 404,
/// `.invalidArgument`/`.invalidStackFile` → 400,
/// `.conflict` → 409, `.notModified` → 304, `.unsupported` → 501, anything else → 500), any other error → 500.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: APIStatus
    public var message: String

    public init(_ status: APIStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status): \(message)" }

    /// The status and message the server answers with for any error a handler throws.
    public init(mapping error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as StackError:
            self.init(APIError.status(for: error.code), error.description)
        default:
            self.init(.internalServerError, String(describing: error))
        }
    }

    /// The status a `StackError` code answers with.
    public static func status(for code: StackError.Code) -> APIStatus {
        switch code {
        case .notFound: return .notFound
        case .invalidArgument, .invalidStackFile: return .badRequest
        case .unsupported: return .notImplemented
        case .conflict: return .conflict
        case .notModified: return .notModified
        case .system, .internalError: return .internalServerError
        }
    }

    public static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    public static func conflict(_ message: String) -> APIError { APIError(.conflict, message) }
}
