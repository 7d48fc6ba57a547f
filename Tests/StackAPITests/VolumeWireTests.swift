import Foundation
import StackAPI
import Testing

@Suite struct VolumeWireTests {
    static func json<T: Encodable>(_ value: T) throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try #require(try JSONSerialization.jsonObject(with: encoder.encode(value)) as? [String: Any])
    }

    @Test func volumeTypesUseDockersKeys() throws {
        let volume = Volume(
            name: "data", mountpoint: "/var/lib/stack/volumes/data/_data", createdAt: "2026-11-29T11:00:00Z",
            labels: ["a": "b"])
        let object = try Self.json(volume)
        #expect(Set(object.keys) == ["Name", "Driver", "Mountpoint", "CreatedAt", "Labels", "Scope", "Options"])
        #expect(object["Scope"] as? String == "local" && object["Driver"] as? String == "local")
        #expect(try JSONDecoder().decode(Volume.self, from: JSONEncoder().encode(volume)) == volume)
        // Docker sends null labels and options; a daemon may omit UsageData.
        let docker = #"{"Name":"x1","Driver":"local","Mountpoint":"/m","CreatedAt":"c","Labels":null,"Options":null,"Scope":"local","UsageData":{"Size":42,"RefCount":2}}"#
        let decoded = try JSONDecoder().decode(Volume.self, from: Data(docker.utf8))
        #expect(decoded.labels == [:] && decoded.usageData == Volume.UsageData(size: 42, refCount: 2))

        let create = try JSONDecoder().decode(
            VolumeCreateRequest.self, from: Data(#"{"Name":"db","DriverOpts":{"type":"tmpfs"},"Labels":{"k":"v"}}"#.utf8))
        #expect(create == VolumeCreateRequest(name: "db", driverOpts: ["type": "tmpfs"], labels: ["k": "v"]))
        #expect(try JSONDecoder().decode(VolumeCreateRequest.self, from: Data("{}".utf8)) == VolumeCreateRequest())

        let list = try Self.json(VolumeListResponse(volumes: [volume]))
        #expect((list["Volumes"] as? [Any])?.count == 1 && (list["Warnings"] as? [Any])?.count == 0)
        let prune = try Self.json(VolumePruneResponse(volumesDeleted: ["a"], spaceReclaimed: 10))
        #expect(prune["VolumesDeleted"] as? [String] == ["a"] && prune["SpaceReclaimed"] as? Int == 10)
    }

    @Test func hostConfigMountsAndVolumesFrom() throws {
        let body = #"""
            {"Image":"busybox","Volumes":{"/data":{},"/cache":{}},
             "HostConfig":{"VolumesFrom":["store:ro"],"Mounts":[
               {"Type":"bind","Source":"/srv","Target":"/srv","ReadOnly":true,"BindOptions":{"Propagation":"rslave","CreateMountpoint":true}},
               {"Type":"volume","Source":"db","Target":"/db","VolumeOptions":{"NoCopy":true,"Labels":{"x":"y"}}},
               {"Type":"tmpfs","Target":"/run","TmpfsOptions":{"SizeBytes":65536,"Mode":1023}}]}}
            """#
        let request = try JSONDecoder().decode(ContainerCreateRequest.self, from: Data(body.utf8))
        #expect(request.volumes == ["/cache", "/data"])
        #expect(request.hostConfig.volumesFrom == ["store:ro"])
        let mounts = request.hostConfig.mounts
        #expect(mounts.count == 3)
        #expect(mounts[0].bindOptions == MountSpec.BindOptions(propagation: "rslave", createMountpoint: true))
        #expect(mounts[0].readOnly)
        #expect(mounts[1].volumeOptions == MountSpec.VolumeOptions(noCopy: true, labels: ["x": "y"]))
        #expect(mounts[2].tmpfsOptions == MountSpec.TmpfsOptions(sizeBytes: 65536, mode: 0o1777))
        #expect(mounts[2].source == "" && mounts[2].bindOptions == nil)
        // Round trip, and the set-like `Volumes` object on the wire.
        let encoded = try JSONEncoder().encode(request)
        #expect(try JSONDecoder().decode(ContainerCreateRequest.self, from: encoded) == request)
        let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        #expect((object["Volumes"] as? [String: Any]).map { Set($0.keys) } == ["/data", "/cache"])
        // Without volumes nothing is sent; without the keys everything is empty.
        let plain = try JSONDecoder().decode(ContainerCreateRequest.self, from: Data(#"{"Image":"x"}"#.utf8))
        #expect(plain.volumes.isEmpty && plain.hostConfig.mounts.isEmpty && plain.hostConfig.volumesFrom.isEmpty)
        #expect(try Self.json(plain)["Volumes"] == nil)
    }

    @Test func inspectMounts() throws {
        let point = MountPoint(
            type: "volume", name: "db", source: "/v/db/_data", destination: "/db", driver: "local", mode: "z",
            rw: false)
        let object = try Self.json(point)
        #expect(Set(object.keys) == ["Type", "Name", "Source", "Destination", "Driver", "Mode", "RW", "Propagation"])
        #expect(object["RW"] as? Bool == false)
        #expect(try JSONDecoder().decode(MountPoint.self, from: JSONEncoder().encode(point)) == point)
        var inspect = ContainerInspect(
            id: "abc", created: "c", path: "sh", args: [], state: ContainerStateInfo(
                status: "created", running: false, paused: false, restarting: false, oomKilled: false, dead: false,
                pid: 0, exitCode: 0, error: "", startedAt: "", finishedAt: ""),
            image: "sha256:x", name: "/n", restartCount: 0, logPath: "", hostConfig: HostConfig(),
            config: ContainerConfigInfo(
                hostname: "h", domainname: "", user: "", tty: false, openStdin: false, env: [], cmd: [],
                entrypoint: nil, image: "busybox", workingDir: "", labels: [:], stopSignal: nil))
        inspect.mounts = [point]
        let encoded = try JSONEncoder().encode(inspect)
        #expect(try JSONDecoder().decode(ContainerInspect.self, from: encoded).mounts == [point])
        // An older daemon's answer without "Mounts" still decodes.
        var withoutMounts = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        withoutMounts["Mounts"] = nil
        let old = try JSONDecoder().decode(
            ContainerInspect.self, from: JSONSerialization.data(withJSONObject: withoutMounts))
        #expect(old.mounts.isEmpty && old.id == "abc")
    }
}
