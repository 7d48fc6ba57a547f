// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "stack",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "stack", targets: ["stack"]),
        .executable(name: "stack-runtime", targets: ["stack-runtime"]),
        .library(name: "StackFile", targets: ["StackFile"]),
        .library(name: "StackModel", targets: ["StackModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries, found through pkg-config; apt names the Debian packages.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // Pure Swift: errors, source positions, small value helpers. No C, no OS.
        .target(name: "StackCore"),
        // The desired-state value types. Pure.
        .target(name: "StackModel", dependencies: ["StackCore"]),
        // The stack file loader: libyaml → node tree → interpolation → merge → canonical form → model.
        .target(
            name: "StackFile",
            dependencies: ["StackCore", "StackModel", "CYAML"]
        ),
        // cgroup v1, v2 and hybrid management for the runtime, behind a file-system protocol.
        .target(name: "Cgroups", dependencies: ["StackCore", "LinuxOS", "CRuntime"]),
        // The OCI runtime-spec 1.1 model (config.json, state), its validation and `runc spec`'s default. Pure.
        .target(name: "RuntimeSpec", dependencies: ["StackCore"]),
        .executableTarget(
            name: "stack",
            dependencies: [
                "StackFile", "StackModel", "StackCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The loader under libFuzzer (scripts/fuzz.sh), or a replayer of inputs without it.
        .executableTarget(name: "stack-fuzz", dependencies: ["StackFile", "StackCore"]),
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
        // (-static-stdlib): every `run` starts this binary twice (the runtime and the container's
        // init), and loading and relocating libswiftCore and friends was a third of that time.
        // System C libraries (libseccomp, glibc) stay dynamic.
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
        .testTarget(
            name: "RuntimeTests",
            dependencies: ["Runtime", "ContainerInit", "RuntimeSpec", "LinuxOS", "Cgroups", "Seccomp", "StackCore", "stack-runtime"]),
        .testTarget(name: "StackCoreTests", dependencies: ["StackCore"]),
        // Runs the built `stack` binary (so `stack` must be built first: `swift build --build-tests` does).
        .testTarget(name: "StackCLITests", dependencies: ["stack"]),
        .testTarget(name: "LinuxOSTests", dependencies: ["LinuxOS", "CRuntime", "StackCore"]),
        .testTarget(name: "StackFileTests", dependencies: ["StackFile", "StackModel", "StackCore"]),
        .testTarget(name: "SeccompTests", dependencies: ["Seccomp", "CSeccomp", "CSeccompHelpers", "StackCore"]),
        .testTarget(name: "CgroupsTests", dependencies: ["Cgroups", "StackCore"]),
        .testTarget(name: "RuntimeSpecTests", dependencies: ["RuntimeSpec", "StackCore"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CYAML", "CArchive", "CSeccomp", "CSQLite"]),
    ],
    swiftLanguageModes: [.v6]
)
