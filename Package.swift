// swift-tools-version:6.1
import Foundation
import PackageDescription

/// stack-monitor is plain C linked statically. Against musl (Debian: musl-dev) it stays at about
/// 160 kB RSS; static glibc alone maps ~700 kB of text (fault-around over its ifunc string
/// functions), so glibc is only the fallback when musl is not installed.
let muslArch: String? = {
    #if arch(x86_64)
    return "x86_64-linux-musl"
    #elseif arch(arm64)
    return "aarch64-linux-musl"
    #else
    return nil
    #endif
}()
let muslLibrary = muslArch.map { "/usr/lib/\($0)" }
let useMusl = ProcessInfo.processInfo.environment["STACK_MONITOR_GLIBC"] == nil
    && muslLibrary.map { FileManager.default.fileExists(atPath: $0 + "/libc.a") } == true
let monitorCSettings: [CSetting] = [.define("_GNU_SOURCE")] + (useMusl
    ? [.unsafeFlags(["-nostdlibinc", "-isystem", "/usr/include/\(muslArch ?? "")"])] : [])
// swiftc drives the link; -nostdlib drops glibc's crt files and libc, musl's crt1.o and libc.a take their place.
let monitorLinkerSettings: [LinkerSetting] = [.unsafeFlags(["-static-executable"] + (useMusl
    ? ["-Xclang-linker", "-nostdlib", "-Xlinker", "\(muslLibrary ?? "")/crt1.o", "-Xlinker", "\(muslLibrary ?? "")/libc.a"]
    : []))]

let package = Package(
    name: "stack",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "stack", targets: ["stack"]),
        .executable(name: "stack-runtime", targets: ["stack-runtime"]),
        .executable(name: "stackd", targets: ["stackd"]),
        .executable(name: "stack-monitor", targets: ["stack-monitor"]),
        .executable(name: "stack-init", targets: ["stack-init"]),
        .executable(name: "stack-dns-bench", targets: ["stack-dns-bench"]),
        .executable(name: "stack-proxy", targets: ["stack-proxy"]),
        .library(name: "StackFile", targets: ["StackFile"]),
        .library(name: "StackModel", targets: ["StackModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    ],
    targets: [
        // System libraries, found through pkg-config; apt names the Debian packages.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // Pure Swift: errors, source positions, small value helpers. No C, no OS.
        .target(name: "StackCore"),
        // The desired-state value types. Pure.
        .target(name: "StackModel", dependencies: ["StackCore"]),
        // Desired state from a Project, observed state, the plan between them (`up`'s reconciler) and the
        // engine requests of its steps (ContainerConfig's parsers check values). Pure: no Foundation I/O, no OS.
        .target(name: "Reconciler", dependencies: ["StackModel", "StackCore", "StackAPI", "ContainerConfig"]),
        // The stack file loader: libyaml → node tree → interpolation → merge → canonical form → model.
        .target(
            name: "StackFile",
            dependencies: ["StackCore", "StackModel", "CYAML"]
        ),
        // cgroup v1, v2 and hybrid management for the runtime, behind a file-system protocol.
        .target(name: "Cgroups", dependencies: ["StackCore", "LinuxOS", "CRuntime"]),
        // The OCI runtime-spec 1.1 model (config.json, state), its validation and `runc spec`'s default. Pure.
        .target(name: "RuntimeSpec", dependencies: ["StackCore"]),
        // The daemon's state in SQLite (libsqlite3): connection, migrations, typed records.
        .target(name: "Store", dependencies: ["StackCore", "CSQLite"]),
        .executableTarget(
            name: "stack",
            dependencies: [
                "StackFile", "StackModel", "StackCore", "StackAPI", "ContainerConfig", "APIClient", "Volumes", "Reconciler",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: [
                // Release builds link the Swift libraries in (full Foundation needs CoreFoundation
                // and ICU named): less start-up work per command.
                .unsafeFlags(
                    ["-static-stdlib", "-lCoreFoundation", "-l_FoundationICU", "-l_FoundationCollections", "-l_FoundationCShims", "-lswiftSynchronization"],
                    .when(configuration: .release)),
            ]),
        // The loader under libFuzzer (scripts/fuzz.sh), or a replayer of inputs without it.
        .executableTarget(name: "stack-fuzz", dependencies: ["StackFile", "StackCore", "DNS", "DNSServer"]),
        // Kernel calls Swift cannot make directly (seccomp, capset, prctl, memfd) and the fork-based seccomp probe.
        .target(name: "CSeccompHelpers"),
        // OCI seccomp profiles compiled to BPF with libseccomp; loading the filter; capability sets.
        .target(name: "Seccomp", dependencies: ["StackCore", "LinuxOS", "CSeccomp", "CSeccompHelpers"]),
        // The C path between clone and execve (async-signal-safe), and syscall wrappers Swift lacks.
        .target(name: "CRuntime", publicHeadersPath: "include"),
        // The syscall layer: errno, the Syscalls protocol (real and recording), Spawner, mounts.
        .target(name: "LinuxOS", dependencies: ["StackCore", "CRuntime"]),
        // The container's init, inside its namespaces: rootfs, /dev, pivot_root, process setup, exec.
        .target(name: "ContainerInit", dependencies: ["RuntimeSpec", "LinuxOS", "Seccomp", "StackCore", "CRuntime"]),
        // The OCI runtime: state directory, create/start/kill/delete/exec, hooks, OCI → cgroup and seccomp.
        .target(
            name: "Runtime",
            dependencies: ["ContainerInit", "RuntimeSpec", "LinuxOS", "Cgroups", "Seccomp", "StackCore", "CRuntime"]),
        // runc's command line over `Runtime`. Release builds link the Swift libraries in
        // (-static-stdlib): loading and relocating libswiftCore and friends was a third of a
        // `run`'s start-up. System C libraries (libseccomp, glibc) stay dynamic. (The container's
        // init is no second process image: the cloned child runs a plan in C, see ContainerInit.)
        .executableTarget(
            name: "stack-runtime",
            dependencies: [
                "Runtime", "ContainerInit", "RuntimeSpec", "StackCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: [
                .unsafeFlags(
                    ["-static-stdlib", "-l_FoundationCollections", "-l_FoundationCShims"],
                    .when(configuration: .release)),
            ]),
        // The per-container monitor (what conmon is to podman): plain C, linked statically, no Swift runtime.
        .executableTarget(
            name: "stack-monitor",
            cSettings: monitorCSettings,
            linkerSettings: monitorLinkerSettings),
        // The userland port proxy (docker-proxy's role: published ports on loopback, where DNAT does not
        // apply): plain C, one epoll loop, static and without the Swift runtime, like stack-monitor.
        .executableTarget(
            name: "stack-proxy",
            cSettings: monitorCSettings,
            linkerSettings: monitorLinkerSettings),
        // stackd's side of networking: network namespaces, bridges, nftables, the port proxy's launcher.
        .target(name: "Networking", dependencies: ["Netlink", "StackCore", "LinuxOS", "CRuntime"]),
        .testTarget(
            name: "NetworkingTests", dependencies: ["Networking", "Netlink", "StackCore", "LinuxOS", "CRuntime", "stack-proxy"]),
        // stackd's side of the monitor: launching it, exit records, json-file logs, attach and control sockets.
        .target(name: "Monitor", dependencies: ["StackCore", "LinuxOS", "CRuntime"]),
        // rtnetlink from Swift: message codec, the NETLINK_ROUTE socket (and a recording fake), iproute2-shaped verbs.
        .target(name: "Netlink", dependencies: ["StackCore", "LinuxOS", "CRuntime"]),
        .testTarget(name: "NetlinkTests", dependencies: ["Netlink", "StackCore", "CRuntime"]),
        .testTarget(name: "MonitorTests", dependencies: ["Monitor", "StackCore", "RuntimeSpec"]),
        // The image store: content-addressed blobs, OCI/Docker image formats, layer unpacking, overlay rootfs.
        .target(name: "Images", dependencies: ["StackCore", "LinuxOS", "CArchive", "CCrypto"]),
        .testTarget(name: "ImagesTests", dependencies: ["Images", "LinuxOS", "StackCore"]),
        // The Docker Engine API's wire types (PascalCase JSON), shared by `stack` and `stackd`.
        .target(name: "StackAPI", dependencies: ["StackCore"]),
        // The embedded DNS server's pure parts: the RFC 1035 message codec and the resolver's handlers. No OS.
        .target(name: "DNS", dependencies: ["StackCore"]),
        .testTarget(name: "DNSTests", dependencies: ["DNS", "StackCore"]),
        // recvmmsg/sendmmsg batches and eventfd for the DNS server (Swift's Glibc module lacks them).
        .target(name: "CDNSSocket", publicHeadersPath: "include"),
        // The embedded DNS server: UDP and TCP listeners per gateway address, the synchronous local answer
        // path, upstream forwarding, resolv.conf reading.
        .target(name: "DNSServer", dependencies: ["DNS", "StackCore", "LinuxOS", "CDNSSocket"]),
        .testTarget(name: "DNSServerTests", dependencies: ["DNSServer", "DNS", "StackCore", "CDNSSocket"]),
        // A DNSService on 127.0.0.1 with fake containers, for bench/dns-server.sh (dnsperf).
        .executableTarget(name: "stack-dns-bench", dependencies: ["DNSServer", "DNS", "StackCore"]),
        // Address management for bridge networks: pools, subnet choice, address allocation, MACs. Pure.
        .target(name: "IPAM", dependencies: ["StackCore"]),
        .testTarget(name: "IPAMTests", dependencies: ["IPAM", "StackCore"]),
        // The wire types' JSON shapes (round trips against Docker's key names).
        .testTarget(name: "StackAPITests", dependencies: ["StackAPI", "StackCore"]),
        // `docker run`-style options → an OCI runtime spec: flag parsers, Docker's defaults (capabilities,
        // seccomp, mounts, devices), user resolution and the spec builder. Pure: no OS calls.
        .target(name: "ContainerConfig", dependencies: ["StackCore", "RuntimeSpec", "StackAPI", "Volumes"]),
        // The tiny init for `--init` (PID 1: forwards signals, reaps zombies): plain C, static, no Swift runtime.
        .executableTarget(
            name: "stack-init",
            // Bind-mounted into containers whose root may have no libc: static, no Swift runtime
            // (no_swift_runtime.c), and against musl where it is installed, like stack-monitor.
            cSettings: monitorCSettings,
            linkerSettings: monitorLinkerSettings),
        .testTarget(
            name: "ContainerConfigTests",
            dependencies: [
                "ContainerConfig", "StackAPI", "RuntimeSpec", "Seccomp", "StackCore", "Volumes", "stack-init",
                "stack-runtime",
            ]),
        .testTarget(
            name: "RuntimeTests",
            dependencies: ["Runtime", "ContainerInit", "RuntimeSpec", "LinuxOS", "Cgroups", "Seccomp", "StackCore", "stack-runtime"]),
        // The daemon's HTTP/1.1 API server over a Unix socket (SwiftNIO): router, JSON, streams, upgrade.
        .target(
            name: "APIServer",
            dependencies: [
                "StackCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        // The CLI's side of the API: requests, streamed bodies, upgraded connections, starting stackd.
        .target(
            name: "APIClient",
            dependencies: [
                "StackCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        // The daemon's process mechanics: paths, the root lock, pid file, signals, serving until told to stop.
        .target(name: "Daemon", dependencies: ["APIServer", "StackCore", "LinuxOS"]),
        // The engine: containers over the store, images, monitors and the runtime.
        .target(
            name: "Engine",
            dependencies: [
                "Store", "Images", "Monitor", "ContainerConfig", "Runtime", "RuntimeSpec", "Cgroups", "StackAPI",
                "LinuxOS", "StackCore", "CRuntime", "Networking", "Netlink", "DNS", "DNSServer", "IPAM", "Volumes",
            ]),
        // The engine's HTTP routes (containers, exec, images) over ContainerEngine and ImageStore.
        .target(name: "EngineAPI", dependencies: ["Engine", "APIServer", "Images", "StackAPI", "Runtime", "StackCore"]),
        // The daemon. Release builds link the Swift libraries in, as stack-runtime does: idle RSS then
        // counts only the pages stackd touches, not whole shared libraries.
        .executableTarget(
            name: "stackd",
            dependencies: [
                "Daemon", "APIServer", "StackCore", "Engine", "EngineAPI", "Images", "Store", "StackAPI", "Runtime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: [
                .unsafeFlags(
                    ["-static-stdlib", "-l_FoundationCollections", "-l_FoundationCShims", "-lswiftSynchronization"],
                    .when(configuration: .release)),
            ]),
        // Server and client against each other on a temp socket; a real stackd started by DaemonConnector.
        .testTarget(name: "APITests", dependencies: ["APIServer", "APIClient", "Daemon", "StackCore", "stackd"]),
        // The engine end to end through the built CLI (root: real containers), and its pure parts.
        .testTarget(name: "EngineTests", dependencies: ["Engine", "StackAPI", "stack", "stackd", "stack-monitor", "stack-runtime", "stack-init", "stack-proxy"]),
        // The API handlers over a real store and image store, with fake runtime, monitor, rootfs and exits (unprivileged).
        .testTarget(
            name: "EngineAPITests",
            dependencies: [
                "EngineAPI", "Engine", "APIServer", "Images", "Store", "StackAPI", "StackCore", "Monitor", "Networking", "DNS",
                "IPAM", "Volumes",
            ]),
        .testTarget(name: "StackCoreTests", dependencies: ["StackCore"]),
        // Runs the built `stack` binary (so `stack` must be built first: `swift build --build-tests` does).
        .testTarget(name: "StackCLITests", dependencies: ["stack"]),
        .testTarget(name: "LinuxOSTests", dependencies: ["LinuxOS", "CRuntime", "StackCore"]),
        .testTarget(name: "StackFileTests", dependencies: ["StackFile", "StackModel", "StackCore"]),
        .testTarget(name: "ReconcilerTests", dependencies: ["Reconciler", "StackFile", "StackModel", "StackCore", "StackAPI"]),
        .testTarget(name: "SeccompTests", dependencies: ["Seccomp", "CSeccomp", "CSeccompHelpers", "StackCore"]),
        .testTarget(name: "CgroupsTests", dependencies: ["Cgroups", "StackCore"]),
        .testTarget(name: "RuntimeSpecTests", dependencies: ["RuntimeSpec", "StackCore"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "StackCore"]),
        // The xattr calls Swift's Glibc module does not import (llistxattr, lgetxattr, lsetxattr).
        .target(name: "CVolumes", publicHeadersPath: "include"),
        // Volumes: mount requests, volume names, the local driver's layout, copy-up into a fresh
        // volume and `container cp`'s confined tar packing and unpacking.
        .target(name: "Volumes", dependencies: ["StackCore", "LinuxOS", "CArchive", "CVolumes"]),
        .testTarget(name: "VolumesTests", dependencies: ["Volumes", "LinuxOS", "CArchive", "CVolumes", "StackCore"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CYAML", "CArchive", "CSeccomp", "CSQLite"]),
    ],
    swiftLanguageModes: [.v6]
)
