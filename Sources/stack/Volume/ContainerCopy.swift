import APIClient
import ArgumentParser
import Foundation
import StackCore
import Volumes

/// `stack container cp [-a] SRC DEST`: one side `CONTAINER:PATH`, the other a host path or `-` (a tar
/// on stdin or stdout), with Docker's rules for what lands where.
struct ContainerCopy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cp", abstract: "Copy files/folders between a container and the local filesystem.")
    @Flag(name: .shortAndLong, help: "Archive mode (copy all uid/gid information).") var archive = false
    @Flag(name: .shortAndLong, help: "Suppress progress output.") var quiet = false
    @Argument(help: "CONTAINER:SRC_PATH or a host path (- for a tar on stdin).") var source: String
    @Argument(help: "CONTAINER:DEST_PATH or a host path (- for a tar on stdout).") var destination: String

    /// Docker's split: a path starting with `/` or `.` is local; otherwise `NAME:PATH` names a container.
    static func split(_ argument: String) -> (container: String?, path: String) {
        if argument.hasPrefix("/") || argument.hasPrefix(".") { return (nil, argument) }
        guard let colon = argument.firstIndex(of: ":") else { return (nil, argument) }
        let container = String(argument[..<colon])
        if container.contains("/") { return (nil, argument) }
        return (container, String(argument[argument.index(after: colon)...]))
    }

    func run() async throws {
        let from = Self.split(source)
        let to = Self.split(destination)
        switch (from.container, to.container) {
        case (let container?, nil):
            try await copyOut(container: container, path: Self.absolute(from.path), to: to.path)
        case (nil, let container?):
            try await copyIn(from: from.path, container: container, path: Self.absolute(to.path))
        case (_?, _?):
            throw ValidationError("copying between containers is not supported")
        case (nil, nil):
            throw ValidationError("must specify at least one container source")
        }
    }

    /// A container path as the API wants it (relative paths are from `/`, as Docker's working dir).
    static func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : "/" + path }

    // MARK: container → host

    private func copyOut(container: String, path: String, to destination: String) async throws {
        let query = [("path", path)]
        if destination == "-" {
            try await EngineConnection.with { client in
                for try await chunk in try await client.stream("GET", "/containers/\(container)/archive", query: query) {
                    Output.write(1, chunk)
                }
            }
            return
        }
        let target = AbsolutePath.of(destination)
        var info = stat()
        let exists = stat(target, &info) == 0
        let isDirectory = exists && (info.st_mode & S_IFMT) == S_IFDIR
        if !exists && destination.hasSuffix("/") {
            throw ValidationError("destination directory \(destination) does not exist")
        }
        let parent = isDirectory ? target : (target as NSString).deletingLastPathComponent
        var parentInfo = stat()
        guard stat(parent, &parentInfo) == 0, (parentInfo.st_mode & S_IFMT) == S_IFDIR else {
            throw ValidationError("destination directory \(parent) does not exist")
        }
        let tarFile = parent + "/.stack-cp-\(UUID().uuidString).tar"
        defer { unlink(tarFile) }
        try await EngineConnection.with { client in
            let sourceStat = try await Self.pathStat(client, container: container, path: path)
            if sourceStat?.isDirectory == true && exists && !isDirectory {
                throw StackError(.invalidArgument, "cannot copy a directory to a file: \(destination)")
            }
            guard FileManager.default.createFile(atPath: tarFile, contents: nil, attributes: [.posixPermissions: 0o600]),
                let handle = FileHandle(forWritingAtPath: tarFile)
            else { throw StackError(.system, "cannot write \(tarFile)") }
            defer { try? handle.close() }
            for try await chunk in try await client.stream("GET", "/containers/\(container)/archive", query: query) {
                try handle.write(contentsOf: chunk)
            }
        }
        let fd = open(tarFile, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StackError(.system, "cannot read \(tarFile)") }
        defer { close(fd) }
        let owner = (uid: getuid(), gid: getgid())
        if isDirectory {
            try PathArchive.unpack(root: "/", path: target, from: fd, owner: owner)
            return
        }
        // A new name (or a file replaced): extract next to it, then rename the top entry into place.
        let contentOnly = path.hasSuffix("/.") || MountPathText.components(path).isEmpty
        let staging = parent + "/.stack-cp-\(UUID().uuidString)"
        guard mkdir(staging, contentOnly ? 0o755 : 0o700) == 0 else { throw StackError(.system, "cannot create \(staging)") }
        defer { try? FileManager.default.removeItem(atPath: staging) }
        try PathArchive.unpack(root: "/", path: staging, from: fd, owner: owner)
        let top = contentOnly ? staging : staging + "/" + (MountPathText.components(path).last ?? "")
        guard rename(top, target) == 0 else {
            throw StackError(.system, "cannot move the copy into \(destination): \(String(cString: strerror(errno)))")
        }
    }

    // MARK: host → container

    private func copyIn(from source: String, container: String, path: String) async throws {
        if source == "-" {
            let body = try StandardInput.archive(for: "cp")
            try await EngineConnection.with { client in
                _ = try await client.request(
                    "PUT", "/containers/\(container)/archive", query: [("path", path), ("copyUIDGID", archive ? "1" : "0")],
                    body: body)
            }
            return
        }
        let local = AbsolutePath.of(source)
        var info = stat()
        guard lstat(local.hasSuffix("/.") ? String(local.dropLast(2)) : local, &info) == 0 else {
            throw ValidationError("could not find the file \(source)")
        }
        let sourceIsDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        try await EngineConnection.with { client in
            let destinationStat = try await Self.pathStat(client, container: container, path: path)
            var extractAt = path
            var entryName: String?
            if let destinationStat, destinationStat.isDirectory {
                extractAt = path
            } else {
                if destinationStat == nil && path.hasSuffix("/") {
                    throw StackError(.notFound, "destination directory \(path) does not exist in container \(container)")
                }
                if destinationStat != nil && sourceIsDirectory {
                    throw StackError(.invalidArgument, "cannot copy a directory to a file: \(path)")
                }
                let components = MountPathText.components(path)
                extractAt = "/" + components.dropLast().joined(separator: "/")
                entryName = components.last
            }
            let body = try Self.tar(local, entryName: entryName)
            _ = try await client.request(
                "PUT", "/containers/\(container)/archive",
                query: [("path", extractAt), ("copyUIDGID", archive ? "1" : "0")], body: body)
        }
    }

    /// A tar of a host path, its top entry optionally renamed.
    static func tar(_ path: String, entryName: String?) throws -> Data {
        let file = FileManager.default.temporaryDirectory.path + "/stack-cp-\(UUID().uuidString).tar"
        let fd = open(file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StackError(.system, "cannot create \(file)") }
        unlink(file)
        defer { close(fd) }
        try PathArchive.pack(root: "/", path: path, to: fd, entryName: entryName)
        lseek(fd, 0, SEEK_SET)
        return FileHandle(fileDescriptor: fd, closeOnDealloc: false).readDataToEndOfFile()
    }

    /// The container path's stat from `HEAD …/archive`, nil when it does not exist.
    static func pathStat(_ client: APIClient, container: String, path: String) async throws -> PathStat? {
        do {
            let response = try await client.request("HEAD", "/containers/\(container)/archive", query: [("path", path)])
            guard let header = response.header("X-Docker-Container-Path-Stat"),
                let data = Data(base64Encoded: header)
            else { return nil }
            return try JSONDecoder().decode(PathStat.self, from: data)
        } catch let error as APIClientError {
            if case .server(let status, _) = error, status == 404 {
                // A missing container is an error; a missing path is an answer.
                _ = try await client.request("GET", "/containers/\(container)/json")
                return nil
            }
            throw error
        }
    }

    /// The decoded `X-Docker-Container-Path-Stat`.
    struct PathStat: Decodable {
        var name: String
        var mode: UInt32
        var isDirectory: Bool { mode & (1 << 31) != 0 }
    }
}

/// Splitting paths into components.
enum MountPathText {
    static func components(_ path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { $0 != "." && !$0.isEmpty }
    }
}
