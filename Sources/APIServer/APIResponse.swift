#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// What a route handler answers: a status, extra headers, and one of four kinds of body.
public struct APIResponse: Sendable {
    public enum Body: Sendable {
        /// No body (`Content-Length: 0`, or none at all for 204/304).
        case empty
        /// A complete body with `Content-Length`.
        case bytes([UInt8])
        /// A chunked body sent as items arrive; the stream is cancelled when the client goes away.
        case stream(AsyncThrowingStream<[UInt8], any Error>)
        /// Docker-style connection hijack: after the response head, the connection is raw bytes both ways.
        case hijack(@Sendable (HijackedConnection) async throws -> Void)
    }

    public var status: APIStatus
    public var headers: [(name: String, value: String)]
    public var body: Body

    public init(status: APIStatus, headers: [(name: String, value: String)] = [], body: Body) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body encoded from a value (Docker's PascalCase keys come from the type's CodingKeys).
    public static func json<T: Encodable>(_ status: APIStatus = .ok, _ value: T) -> APIResponse {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            return json(status, data: try encoder.encode(value))
        } catch {
            return APIResponse.error(APIError(.internalServerError, "cannot encode the response: \(error)"))
        }
    }

    /// A JSON body already encoded.
    public static func json(_ status: APIStatus = .ok, data: Data) -> APIResponse {
        APIResponse(status: status, headers: [("Content-Type", "application/json")], body: .bytes([UInt8](data)))
    }

    /// A plain-text body.
    public static func text(_ status: APIStatus = .ok, _ text: String) -> APIResponse {
        APIResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: .bytes(Array(text.utf8)))
    }

    /// No body.
    public static func empty(_ status: APIStatus = .noContent) -> APIResponse {
        APIResponse(status: status, body: .empty)
    }

    /// A chunked body streamed from `stream` (logs -f, events). Each item is written as it arrives.
    public static func stream(
        _ status: APIStatus = .ok, contentType: String, _ stream: AsyncThrowingStream<[UInt8], any Error>
    ) -> APIResponse {
        APIResponse(status: status, headers: [("Content-Type", contentType)], body: .stream(stream))
    }

    /// Hijack the connection (attach, exec start). With `Upgrade: tcp` in the request the server answers
    /// `101 UPGRADED`; without, `200 OK`, as Docker does. Then `handler` owns the raw connection.
    public static func hijack(
        contentType: String = "application/vnd.docker.raw-stream",
        _ handler: @escaping @Sendable (HijackedConnection) async throws -> Void
    ) -> APIResponse {
        APIResponse(status: .ok, headers: [("Content-Type", contentType)], body: .hijack(handler))
    }

    /// The JSON error body `{"message": "..."}` with the error's status.
    public static func error(_ error: APIError) -> APIResponse {
        json(error.status, ErrorBody(message: error.message))
    }

    /// Docker's error body.
    public struct ErrorBody: Codable, Sendable {
        public var message: String
        public init(message: String) { self.message = message }
    }
}
