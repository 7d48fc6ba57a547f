#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// One query item; a key may repeat (`?filter=a&filter=b`).
public struct QueryItem: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A request as a route handler sees it: the body is read completely before the handler runs.
public struct APIRequest: Sendable {
    /// Upper-case method, e.g. `GET`.
    public var method: String
    /// The path without the query and without a Docker version prefix (`/v1.43`), percent-decoded.
    public var path: String
    /// Values of the route pattern's `{name}` segments.
    public var pathParameters: [String: String]
    public var query: [QueryItem]
    /// Header names as sent; look them up with `header(_:)` (case-insensitive).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(
        method: String, path: String, pathParameters: [String: String] = [:], query: [QueryItem] = [],
        headers: [(name: String, value: String)] = [], body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.pathParameters = pathParameters
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The value of a path parameter; throws 400 when the route has none by that name.
    public func parameter(_ name: String) throws(APIError) -> String {
        guard let value = pathParameters[name] else { throw APIError.badRequest("missing path parameter \(name)") }
        return value
    }

    /// The first value of a query key.
    public func query(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// Every value of a repeated query key, in order.
    public func queryValues(_ name: String) -> [String] { query.filter { $0.name == name }.map(\.value) }

    /// A query flag the way Docker reads them: `1`, `true`, `True` are true; absent → `default`.
    public func queryBool(_ name: String, default defaultValue: Bool = false) throws(APIError) -> Bool {
        guard let text = query(name) else { return defaultValue }
        switch text.lowercased() {
        case "1", "true", "yes": return true
        case "0", "false", "no", "": return false
        default: throw APIError.badRequest("invalid boolean for query parameter \(name): \(text)")
        }
    }

    /// A query integer; throws 400 when present but not an integer.
    public func queryInt(_ name: String) throws(APIError) -> Int? {
        guard let text = query(name), !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw APIError.badRequest("invalid integer for query parameter \(name): \(text)") }
        return value
    }

    /// The first header of that name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.equalsIgnoringCase(name) }?.value
    }

    /// Whether the client asked for a Docker-style upgrade (`Connection: Upgrade`, `Upgrade: tcp`).
    public var wantsUpgrade: Bool {
        guard let connection = header("Connection")?.lowercased(), header("Upgrade") != nil else { return false }
        return connection.split(separator: ",").contains { $0.trimmed == "upgrade" }
    }

    /// Decode the body as JSON; a malformed body is a 400 with the decoder's reason.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws(APIError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch {
            throw APIError.badRequest("invalid JSON body: \(Self.describe(error))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context),
            DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, let context):
            let path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            return "\(path): missing"
        default:
            return String(describing: error)
        }
    }
}
