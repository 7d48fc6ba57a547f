#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
#endif
import ContainerConfig
import StackAPI
import StackCore

/// What the store keeps about a container beyond its state: the request it was created from
/// and what that resolved to against its image (the store treats it as opaque JSON).
struct StoredConfig: Codable, Sendable {
    var request: ContainerCreateRequest
    var resolved: ContainerConfigInfo
    var path: String
    var args: [String]
    /// The image's and the request's exposed ports ("80/tcp"), for `-P` and inspect.
    var exposedPorts: [String]?
    /// The mounts resolved at create (binds, volumes, tmpfs, `--volumes-from`); nil for containers
    /// created before volumes existed.
    var mounts: [ResolvedMount]? = nil

    /// The json-file rotation the request asked for (checked at create).
    var logRotation: LogRotation { (try? LogRotation(request.hostConfig.logConfig)) ?? LogRotation() }

    func json() throws(StackError) -> String {
        do {
            return String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
        } catch {
            throw StackError(.internalError, "encode container config: \(error)")
        }
    }

    static func decode(_ text: String?, container: String) throws(StackError) -> StoredConfig {
        guard let text else { throw StackError(.internalError, "container \(container) has no stored config") }
        do {
            return try JSONDecoder().decode(StoredConfig.self, from: Data(text.utf8))
        } catch {
            throw StackError(.internalError, "container \(container): stored config unreadable: \(error)")
        }
    }
}
