/// An HTTP status code as the API's handlers use it, without exposing SwiftNIO's types.
public struct APIStatus: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    public var rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }
    public init(_ code: Int) { self.rawValue = code }
    public init(integerLiteral value: Int) { self.rawValue = value }

    public var description: String { String(rawValue) }

    public static let switchingProtocols: APIStatus = 101
    public static let ok: APIStatus = 200
    public static let created: APIStatus = 201
    public static let noContent: APIStatus = 204
    public static let notModified: APIStatus = 304
    public static let badRequest: APIStatus = 400
    public static let unauthorized: APIStatus = 401
    public static let forbidden: APIStatus = 403
    public static let notFound: APIStatus = 404
    public static let methodNotAllowed: APIStatus = 405
    public static let conflict: APIStatus = 409
    public static let payloadTooLarge: APIStatus = 413
    public static let internalServerError: APIStatus = 500
    public static let notImplemented: APIStatus = 501
    public static let serviceUnavailable: APIStatus = 503
}
