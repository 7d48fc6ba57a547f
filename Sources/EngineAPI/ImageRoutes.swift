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
import Images
import StackAPI
import StackCore

/// The image endpoints. Names go in the query (`?name=`), since references hold slashes.
public enum ImageRoutes {
    /// Add the image routes to `router`; uploads are staged in `scratch`, and `engine` tells
    /// which images containers use.
    public static func register(on router: Router, images: ImageStore, engine: ContainerEngine, scratch: String) {
        router.get("/images/json") { _ in
            .json(.ok, try await BlockingWork.run { try images.list() })
        }
        router.get("/images/inspect") { request in
            let name = try required(request, "name")
            return .json(.ok, try await BlockingWork.run { try images.inspect(name) })
        }
        router.post("/images/import") { request in
            let reference = try request.query("repo").flatMap { $0.isEmpty ? nil : $0 }.map {
                text throws(StackError) in try ImageReference(parsing: text)
            }
            let changes = request.queryValues("changes")
            let message = request.query("message")
            let source = try await source(request, scratch: scratch)
            defer { source.cleanup() }
            let id = try await BlockingWork.run {
                try images.importRootfs(from: .path(source.path), reference: reference, changes: changes, message: message)
            }
            return .json(.ok, ["Id": id.description])
        }
        router.post("/images/load") { request in
            let source = try await source(request, scratch: scratch)
            defer { source.cleanup() }
            let loaded = try await BlockingWork.run { try images.load(from: .path(source.path)) }
            var lines: [String] = []
            for image in loaded {
                if image.tags.isEmpty { lines.append("Loaded image ID: \(image.id)") }
                for tag in image.tags { lines.append("Loaded image: \(tag.familiar)") }
            }
            return .json(.ok, ["Loaded": lines])
        }
        router.get("/images/get") { request in
            let names = request.queryValues("names")
            guard !names.isEmpty else { throw APIError(.badRequest, "save needs at least one image (?names=)") }
            if let output = request.query("path") {
                try await BlockingWork.run { try images.save(names, to: .path(output)) }
                return .empty()
            }
            let temporary = scratch + "/save-\(ContainerIdentity.newID().prefix(16)).tar"
            try await BlockingWork.run { try images.save(names, to: .path(temporary)) }
            return .stream(.ok, contentType: "application/x-tar", FileStreaming.chunks(of: temporary, removing: true))
        }
        router.post("/images/tag") { request in
            let source = try required(request, "source")
            let target = try ImageReference(parsing: try required(request, "target"))
            try await BlockingWork.run { try images.tag(source, as: target) }
            return .empty(.created)
        }
        router.delete("/images/remove") { request in
            let name = try required(request, "name")
            let force = try request.queryBool("force")
            let imageID = try images.resolve(name)
            let users = try await engine.containers(usingImage: imageID.description)
            let removed = try await BlockingWork.run { try images.remove(name, force: force, usedBy: users) }
            return .json(.ok, removed.map { removal -> ImageDeleteItem in
                switch removal {
                case .untagged(let reference): return ImageDeleteItem(untagged: reference)
                case .deleted(let digest): return ImageDeleteItem(deleted: digest.description)
                }
            })
        }
    }

    static func required(_ request: APIRequest, _ name: String) throws -> String {
        guard let value = request.query(name), !value.isEmpty else { throw APIError(.badRequest, "missing ?\(name)=") }
        return value
    }

    /// Where the archive is: a path the client named (`?path=`, on this host), or the request
    /// body written to a scratch file.
    struct Source: Sendable {
        var path: String
        var temporary: Bool
        func cleanup() { if temporary { unlink(path) } }
    }

    static func source(_ request: APIRequest, scratch: String) async throws -> Source {
        if let path = request.query("path"), !path.isEmpty { return Source(path: path, temporary: false) }
        guard !request.body.isEmpty else { throw APIError(.badRequest, "no archive: send it as the body or name ?path=") }
        let path = scratch + "/upload-\(ContainerIdentity.newID().prefix(16))"
        guard FileManager.default.createFile(atPath: path, contents: Data(request.body), attributes: [.posixPermissions: 0o600])
        else { throw APIError(.internalServerError, "cannot write \(path)") }
        return Source(path: path, temporary: true)
    }
}
