import ContainerConfig
import RuntimeSpec
import StackAPI
import StackCore
import Testing
import Volumes

/// The spec builder with the engine's resolved mounts.
@Suite struct ResolvedMountTests {
    static func build(_ mounts: [ResolvedMount], _ change: (inout ContainerCreateRequest) -> Void = { _ in })
        throws(StackError) -> [Spec.Mount]
    {
        var request = ContainerCreateRequest(image: "busybox")
        change(&request)
        return try OCISpecBuilder.build(
            request: request, image: ImageDefaults(cmd: ["/bin/sh"]), rootfs: "rootfs", hostname: "h",
            identity: .root, etcFiles: ["/etc/hosts": "/c/hosts"], initPath: nil, cgroupsPath: "",
            netnsPath: nil, architecture: "amd64", resolvedMounts: mounts
        ).mounts ?? []
    }

    @Test func volumesBindsAndTmpfsBecomeOCIMounts() throws {
        let mounts = try Self.build([
            ResolvedMount(kind: .volume, name: "data", source: "/v/data/_data", target: "/data", readOnly: true),
            ResolvedMount(kind: .bind, source: "/srv", target: "/srv", propagation: "rshared"),
            ResolvedMount(kind: .tmpfs, source: "", target: "/scratch", tmpfsSize: 1 << 20, tmpfsMode: 0o1770,
                tmpfsOptions: ["exec"]),
        ])
        let data = try #require(mounts.first { $0.destination == "/data" })
        #expect(data.type == "bind" && data.source == "/v/data/_data" && data.options == ["rbind", "ro", "rprivate"])
        let srv = try #require(mounts.first { $0.destination == "/srv" })
        #expect(srv.options == ["rbind", "rw", "rshared"])
        let scratch = try #require(mounts.first { $0.destination == "/scratch" })
        #expect(scratch.type == "tmpfs" && scratch.options == ["nosuid", "nodev", "exec", "size=1048576", "mode=1770"])
    }

    @Test func parentsComeBeforeChildrenWhateverTheOrderAsked() throws {
        let mounts = try Self.build([
            ResolvedMount(kind: .bind, source: "/h/c", target: "/a/b/c"),
            ResolvedMount(kind: .bind, source: "/h/a", target: "/a"),
            ResolvedMount(kind: .volume, name: "v1", source: "/v/v1/_data", target: "/a/b"),
            ResolvedMount(kind: .bind, source: "/h/z", target: "/z"),
        ])
        let order = mounts.map(\.destination).filter { $0.hasPrefix("/a") || $0 == "/z" }
        #expect(order == ["/a", "/z", "/a/b", "/a/b/c"])
    }

    @Test func aSecondMountAtTheSamePlaceIsAnError() {
        #expect(throws: StackError.self) {
            try Self.build([
                ResolvedMount(kind: .bind, source: "/h", target: "/data"),
                ResolvedMount(kind: .volume, name: "v1", source: "/v/v1/_data", target: "/data"),
            ])
        }
        let error = #expect(throws: StackError.self) {
            try Self.build([
                ResolvedMount(kind: .tmpfs, source: "", target: "/x"), ResolvedMount(kind: .tmpfs, source: "", target: "/x"),
            ])
        }
        #expect(error?.message.contains("Duplicate mount point: /x") == true)
    }

    @Test func aResolvedMountReplacesDefaultsAndEtcFilesAtItsPlace() throws {
        let mounts = try Self.build([
            ResolvedMount(kind: .tmpfs, source: "", target: "/dev/shm", tmpfsSize: 4096),
            ResolvedMount(kind: .bind, source: "/mine/hosts", target: "/etc/hosts"),
        ])
        #expect(mounts.filter { $0.destination == "/dev/shm" }.count == 1)
        #expect(mounts.first { $0.destination == "/dev/shm" }?.options?.contains("size=4096") == true)
        #expect(mounts.filter { $0.destination == "/etc/hosts" }.map(\.source) == ["/mine/hosts"])
    }

    @Test func resolvedMountsReplaceTheHostConfigsBindsAndTmpfs() throws {
        // The engine resolved these already (named volumes included): the builder does not parse them again.
        let mounts = try Self.build([ResolvedMount(kind: .volume, name: "named", source: "/v/named/_data", target: "/n")]) {
            $0.hostConfig.binds = ["named:/n"]
            $0.hostConfig.tmpfs = ["/t": ""]
        }
        #expect(mounts.filter { $0.destination == "/n" }.map(\.source) == ["/v/named/_data"])
        #expect(!mounts.contains { $0.destination == "/t" })
    }

    @Test func driverOptionVolumesMountTheirFileSystem() throws {
        var mount = ResolvedMount(kind: .volume, name: "mem", source: "/v/mem/_data", target: "/m", readOnly: true)
        mount.fileSystem = .init(type: "tmpfs", device: "tmpfs", options: ["size=1m"])
        let built = try #require(try Self.build([mount]).first { $0.destination == "/m" })
        #expect(built.type == "tmpfs" && built.source == "tmpfs" && built.options == ["size=1m", "ro"])
        #expect(mount.mountPoint.source == "/v/mem/_data" && mount.mountPoint.rw == false && mount.mountPoint.driver == "local")
    }
}
