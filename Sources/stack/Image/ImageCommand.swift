import StackCore
import APIClient
import ArgumentParser
import Foundation
import StackAPI

/// `stack image …`: the engine's image store.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image", abstract: "Manage images.",
        subcommands: [ImageImport.self, ImageLoad.self, ImageSave.self, ImageList.self, ImageInspectCommand.self,
            ImageTag.self, ImageRemove.self])
}

/// Reads all of stdin (an archive piped to import or load).
enum StandardInput {
    static func readAll() -> Data { FileHandle.standardInput.readDataToEndOfFile() }

    /// The archive on stdin for `what` (`load`, `import`): refused from a terminal or when empty, as Docker's CLI.
    static func archive(for what: String) throws -> Data {
        guard isatty(0) == 0 else {
            throw ValidationError("requested \(what) from stdin, but stdin is a terminal: pipe an archive in or name a file")
        }
        let data = readAll()
        guard !data.isEmpty else { throw ValidationError("requested \(what) from stdin, but stdin is empty") }
        return data
    }
}

/// An absolute form of a path the user gave (the daemon reads it on this host).
enum AbsolutePath {
    static func of(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// `stack image import FILE|- [NAME[:TAG]]`: a rootfs tarball as a one-layer image.
struct ImageImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import a root filesystem tarball (gzip, xz, zstd or plain) as an image.")
    @Option(name: [.short, .customLong("change")], help: "Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL).")
    var changes: [String] = []
    @Option(name: [.short, .customLong("message")], help: "Set a commit message for the imported image.")
    var message: String?
    @Argument(help: "The tarball, or - for stdin.") var file: String
    @Argument(help: "The image reference to tag it with.") var reference: String?

    func run() async throws {
        var query: [(String, String)] = changes.map { ("changes", $0) }
        if let reference { query.append(("repo", reference)) }
        if let message { query.append(("message", message)) }
        var body: Data?
        if file == "-" {
            body = try StandardInput.archive(for: "import")
        } else {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw ValidationError("cannot read \(file)")
            }
            query.append(("path", AbsolutePath.of(file)))
        }
        let answer = try await EngineConnection.with { client in
            try EngineConnection.decode(
                [String: String].self, try await client.request("POST", "/images/import", query: query, body: body))
        }
        Output.line(answer["Id"] ?? "")
    }
}

/// `stack image load -i FILE` (or stdin): a docker-save archive or an OCI layout.
struct ImageLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Load images from a docker-save archive or an OCI layout (tar or directory).")
    @Option(name: [.short, .customLong("input")], help: "Read from this file or directory instead of stdin.")
    var input: String?
    @Flag(name: .shortAndLong, help: "Suppress the load output.") var quiet = false

    func run() async throws {
        var query: [(String, String)] = []
        var body: Data?
        if let input {
            query.append(("path", AbsolutePath.of(input)))
        } else {
            body = try StandardInput.archive(for: "load")
        }
        let answer = try await EngineConnection.with { client in
            try EngineConnection.decode(
                [String: [String]].self, try await client.request("POST", "/images/load", query: query, body: body))
        }
        if !quiet { for line in answer["Loaded"] ?? [] { Output.line(line) } }
    }
}

/// `stack image save [-o FILE] IMAGE...`: a tar with both an OCI layout and docker's manifest.json.
struct ImageSave: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "save", abstract: "Save images to a tar archive.")
    @Option(name: [.short, .customLong("output")], help: "Write to a file instead of stdout.") var output: String?
    @Argument(help: "Images.") var images: [String]

    func run() async throws {
        var query = images.map { ("names", $0) }
        if let output {
            query.append(("path", AbsolutePath.of(output)))
            try await EngineConnection.with { client in _ = try await client.request("GET", "/images/get", query: query) }
            return
        }
        guard isatty(1) == 0 else {
            throw ValidationError("refusing to write an archive to a terminal: use -o FILE or redirect stdout")
        }
        try await EngineConnection.with { client in
            for try await chunk in try await client.stream("GET", "/images/get", query: query) { Output.write(1, chunk) }
        }
    }
}

/// `stack image ls`.
struct ImageList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List images.", aliases: ["list"])
    @Flag(name: .shortAndLong, help: "Only show image ids.") var quiet = false
    @Option(name: .long, help: "Output format: table or json.") var format = "table"

    func run() async throws {
        guard format == "table" || format == "json" else {
            throw ValidationError("--format must be table or json")
        }
        let images = try await EngineConnection.with { client in
            try EngineConnection.decode([ImageSummary].self, try await client.request("GET", "/images/json"))
        }
        if quiet {
            for image in images { Output.line(String(image.id.dropFirst(7).prefix(12))) }
            return
        }
        let now = Date().timeIntervalSince1970
        let rows = images.flatMap { ImageRow.rows(of: $0, now: now) }
        if format == "json" {
            for row in rows { Output.line(row.json) }
            return
        }
        Table.print([["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]] + rows.map {
            [$0.repository, $0.tag, $0.id, $0.createdSince, $0.size]
        })
    }
}

/// One line of `image ls`: an image under one of its tags (or `<none>`).
struct ImageRow {
    var repository: String
    var tag: String
    var id: String
    var createdAt: String
    var createdSince: String
    var size: String

    static func rows(of image: ImageSummary, now: Double) -> [ImageRow] {
        let id = String(image.id.dropFirst(7).prefix(12))
        let createdSince = image.created > 0 ? HumanDuration.text(seconds: now - Double(image.created)) + " ago" : "N/A"
        let createdAt = image.created > 0 ? DockerTime.text(Double(image.created)) : ""
        let size = DecimalBytes.human(image.size)
        let tags = image.repoTags.isEmpty ? ["<none>:<none>"] : image.repoTags
        return tags.map { tag in
            let colon = tag.lastIndex(of: ":").map { tag[$0...].contains("/") ? nil : $0 } ?? nil
            let repository = colon.map { String(tag[..<$0]) } ?? tag
            let version = colon.map { String(tag[tag.index(after: $0)...]) } ?? "<none>"
            return ImageRow(
                repository: repository, tag: version, id: id, createdAt: createdAt, createdSince: createdSince, size: size)
        }
    }

    /// `docker images --format json`'s object (its keys; figures it does not know are "N/A").
    var json: String {
        let object: [String: Any] = [
            "Containers": "N/A", "CreatedAt": createdAt, "CreatedSince": createdSince, "Digest": "<none>", "ID": id,
            "Repository": repository, "SharedSize": "N/A", "Size": size, "Tag": tag, "UniqueSize": "N/A",
            "VirtualSize": size,
        ]
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: options) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Times as Docker's CLI prints CreatedAt (`2026-11-29 08:00:00 +0000 UTC`).
enum DockerTime {
    static func text(_ seconds: Double) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d +0000 UTC", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }
}

/// Decimal sizes as `docker images` prints them (`4.26MB`).
enum DecimalBytes {
    static func human(_ value: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var size = Double(value)
        var unit = 0
        while size >= 1000 && unit < units.count - 1 {
            size /= 1000
            unit += 1
        }
        return unit == 0 ? "\(value)B" : String(format: "%.3g%@", size, units[unit])
    }
}

/// `stack image inspect`.
struct ImageInspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Display detailed information on images.")
    @Argument(help: "Images.") var images: [String]

    func run() async throws {
        try await InspectOutput.print(images) { client, reference in
            try await client.request("GET", "/images/inspect", query: [("name", reference)])
        }
    }
}

/// `stack image tag SOURCE TARGET`.
struct ImageTag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tag", abstract: "Create a tag TARGET that refers to SOURCE.")
    @Argument(help: "The source image.") var source: String
    @Argument(help: "The new reference.") var target: String

    func run() async throws {
        try await EngineConnection.with { client in
            _ = try await client.request("POST", "/images/tag", query: [("source", source), ("target", target)])
        }
    }
}

/// `stack image rm`: untag until the last reference, then delete.
struct ImageRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove images.", aliases: ["remove", "rmi"])
    @Flag(name: .shortAndLong, help: "Force removal.") var force = false
    @Argument(help: "Images.") var images: [String]

    func run() async throws {
        var failed = false
        try await EngineConnection.with { client in
            for image in images {
                do {
                    let response = try await client.request(
                        "DELETE", "/images/remove", query: [("name", image), ("force", force ? "1" : "0")])
                    for item in try EngineConnection.decode([ImageDeleteItem].self, response) {
                        if let untagged = item.untagged { Output.line("Untagged: \(untagged)") }
                        if let deleted = item.deleted { Output.line("Deleted: \(deleted)") }
                    }
                } catch {
                    EngineConnection.report(error)
                    failed = true
                }
            }
        }
        if failed { throw ExitCode(1) }
    }
}
