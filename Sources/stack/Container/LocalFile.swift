import StackFile

/// Files the CLI reads on the user's behalf (env files, seccomp profiles).
enum LocalFile {
    static func readText(_ path: String) -> String? {
        guard let bytes = try? LocalFileSystem().read(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
