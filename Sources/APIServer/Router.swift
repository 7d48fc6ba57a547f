/// Routes `(method, pattern)` to async handlers. Patterns are paths whose `{name}` segments capture
/// one path segment: `/containers/{id}/start`. A Docker version prefix (`/v1.43/...`) is ignored.
///
/// Register every route before the server starts; the router is read-only afterwards.
public final class Router: @unchecked Sendable {
    public typealias Handler = @Sendable (APIRequest) async throws -> APIResponse

    struct Route {
        var method: String
        var pattern: String
        var segments: [Segment]
        var handler: Handler
    }

    enum Segment: Equatable {
        case literal(String)
        case parameter(String)
    }

    private var routes: [Route] = []

    /// Called after each handler with the request, the status answered, and how long the handler took
    /// (`stackd --debug` logs requests with it). Set it before the server starts.
    public var onResponse: (@Sendable (APIRequest, APIStatus, Duration) -> Void)?

    public init() {}

    /// Add a route. Later registrations of the same method and pattern win.
    public func add(_ method: String, _ pattern: String, _ handler: @escaping Handler) {
        let segments = Router.split(pattern).map { part -> Segment in
            if part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(part)
        }
        routes.removeAll { $0.method == method.uppercased() && $0.segments == segments }
        routes.append(Route(method: method.uppercased(), pattern: pattern, segments: segments, handler: handler))
    }

    public func get(_ pattern: String, _ handler: @escaping Handler) { add("GET", pattern, handler) }
    public func post(_ pattern: String, _ handler: @escaping Handler) { add("POST", pattern, handler) }
    public func put(_ pattern: String, _ handler: @escaping Handler) { add("PUT", pattern, handler) }
    public func delete(_ pattern: String, _ handler: @escaping Handler) { add("DELETE", pattern, handler) }
    public func head(_ pattern: String, _ handler: @escaping Handler) { add("HEAD", pattern, handler) }

    /// The registered `(method, pattern)` pairs, in registration order.
    public var registered: [(method: String, pattern: String)] { routes.map { ($0.method, $0.pattern) } }

    /// Answer a request: find the route, fill in path parameters, run the handler, and turn a thrown
    /// error into its JSON error response. 404 for an unknown path, 405 for a known path and other method.
    public func respond(to request: APIRequest) async -> APIResponse {
        var request = request
        request.path = Router.stripVersion(request.path)
        let parts = Router.split(request.path)
        var pathMatched = false
        var found: (Route, [String: String])?
        for route in routes.reversed() {
            guard let parameters = Router.match(route.segments, parts) else { continue }
            pathMatched = true
            if route.method == request.method {
                found = (route, parameters)
                break
            }
            if request.method == "HEAD" && route.method == "GET" && found == nil {
                found = (route, parameters)
            }
        }
        guard let (route, parameters) = found else {
            if pathMatched {
                return .error(APIError(.methodNotAllowed, "method \(request.method) not allowed for \(request.path)"))
            }
            return .error(APIError(.notFound, "page not found: \(request.method) \(request.path)"))
        }
        request.pathParameters = parameters
        let clock = ContinuousClock()
        let start = clock.now
        let response: APIResponse
        do {
            response = try await route.handler(request)
        } catch {
            response = .error(APIError(mapping: error))
        }
        onResponse?(request, response.status, clock.now - start)
        return response
    }

    static func split(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    static func match(_ segments: [Segment], _ parts: [String]) -> [String: String]? {
        guard segments.count == parts.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let text): if text != part { return nil }
            case .parameter(let name): parameters[name] = part
            }
        }
        return parameters
    }

    /// `/v1.43/containers/json` → `/containers/json`.
    static func stripVersion(_ path: String) -> String {
        guard path.hasPrefix("/v") else { return path }
        let rest = path.dropFirst(2)
        let version = rest.prefix { $0 != "/" }
        guard !version.isEmpty, version.first?.isNumber == true,
            version.allSatisfy({ $0.isNumber || $0 == "." })
        else { return path }
        let remainder = rest.dropFirst(version.count)
        return remainder.isEmpty ? "/" : String(remainder)
    }
}
