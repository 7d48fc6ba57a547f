#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Docker's `/_ping` and `/version`, so Docker-speaking tools recognise the daemon.
public enum DockerCompat {
    /// The Docker Engine API version whose shapes the API follows.
    public static let apiVersion = "1.43"
    /// The oldest API version a client may ask for.
    public static let minimumAPIVersion = "1.24"

    /// `GET /version`'s body (Docker's field names).
    public struct Version: Codable, Sendable {
        public var Version: String
        public var ApiVersion: String
        public var MinAPIVersion: String
        public var Os: String
        public var Arch: String
        public var KernelVersion: String
        public var Components: [Component]

        public struct Component: Codable, Sendable {
            public var Name: String
            public var Version: String
        }
    }

    /// Register `GET|HEAD /_ping` (`OK`) and `GET /version`.
    public static func register(on router: Router, engineVersion: String) {
        let ping: Router.Handler = { _ in
            var response = APIResponse.text(.ok, "OK")
            response.headers += [("Cache-Control", "no-cache, no-store, must-revalidate"), ("Pragma", "no-cache")]
            return response
        }
        router.get("/_ping", ping)
        router.head("/_ping", ping)
        let version = Version(
            Version: engineVersion, ApiVersion: apiVersion, MinAPIVersion: minimumAPIVersion, Os: "linux",
            Arch: goArch, KernelVersion: kernelRelease,
            Components: [.init(Name: "Engine", Version: engineVersion)])
        router.get("/version") { _ in .json(.ok, version) }
    }

    /// The machine in Go's spelling (`amd64`, `arm64`), as Docker reports it.
    static var goArch: String {
        #if arch(x86_64)
        return "amd64"
        #elseif arch(arm64)
        return "arm64"
        #else
        return "unknown"
        #endif
    }

    /// The running kernel's release, e.g. `6.1.0-18-amd64`.
    static var kernelRelease: String {
        let text = (try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)) ?? ""
        return text.trimmed
    }
}
