import APIServer
import Engine
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import StackAPI
import StackCore

/// The volume endpoints and the container archive endpoints of `cp`, Docker's API.
public enum VolumeRoutes {
    /// Docker's header carrying a path's stat as base64 JSON.
    public static let pathStatHeader = "X-Docker-Container-Path-Stat"

    /// Add the volume and archive routes for `engine` to `router`.
    public static func register(on router: Router, engine: ContainerEngine) {
        router.get("/volumes") { request in
            .json(.ok, try await engine.listVolumes(try filter(request)))
        }
        router.post("/volumes/create") { request in
            let body: VolumeCreateRequest = request.body.isEmpty ? VolumeCreateRequest() : try request.decode()
            return .json(.created, try await engine.createVolume(body))
        }
        router.post("/volumes/prune") { request in
            .json(.ok, try await engine.pruneVolumes(try filter(request)))
        }
        router.get("/volumes/{name}") { request in
            .json(.ok, try await engine.inspectVolume(try request.parameter("name")))
        }
        router.delete("/volumes/{name}") { request in
            try await engine.removeVolume(try request.parameter("name"), force: try request.queryBool("force"))
            return .empty()
        }

        router.head("/containers/{id}/archive") { request in
            let stat = try await engine.statPath(try request.parameter("id"), path: try path(request))
            return APIResponse(status: .ok, headers: [(pathStatHeader, try encode(stat))], body: .empty)
        }
        router.get("/containers/{id}/archive") { request in
            let (file, stat) = try await engine.archivePath(try request.parameter("id"), path: try path(request))
            var response = APIResponse.stream(
                .ok, contentType: "application/x-tar", FileStreaming.chunks(of: file, removing: true))
            response.headers.append((pathStatHeader, try encode(stat)))
            return response
        }
        router.put("/containers/{id}/archive") { request in
            try await engine.extractArchive(
                try request.parameter("id"), path: try path(request), archive: request.body,
                copyUIDGID: try request.queryBool("copyUIDGID"))
            return .empty(.ok)
        }
    }

    static func path(_ request: APIRequest) throws -> String {
        guard let path = request.query("path"), !path.isEmpty else { throw APIError(.badRequest, "missing ?path=") }
        return path
    }

    /// Docker's `filters` query (`{"label":["a=b"]}`); absent or empty: no filter.
    static func filter(_ request: APIRequest) throws -> VolumeFilter {
        guard let text = request.query("filters"), !text.isEmpty else { return VolumeFilter() }
        let decoded: [String: [String]]
        do {
            decoded = try JSONDecoder().decode([String: [String]].self, from: Data(text.utf8))
        } catch {
            // Docker also accepts {"key":{"value":true}}.
            guard let sets = try? JSONDecoder().decode([String: [String: Bool]].self, from: Data(text.utf8)) else {
                throw APIError(.badRequest, "invalid filters: \(text)")
            }
            decoded = sets.mapValues { $0.filter(\.value).keys.sorted() }
        }
        return try VolumeFilter(json: decoded)
    }

    static func encode(_ stat: ContainerPathStat) throws -> String {
        let data = try JSONEncoder().encode(stat)
        return data.base64EncodedString()
    }
}
