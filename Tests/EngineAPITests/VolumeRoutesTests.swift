import APIServer
import Engine
import EngineAPI
import Foundation
import Images
import StackCore
import Testing

/// The volume routes, volumes at container create and remove, copy-up at start, and the archive
/// routes of `cp`, against fake drivers (the rootfs is a plain directory here).
@Suite struct VolumeRoutesTests {
    static func harness() throws -> EngineAPIHarness {
        let harness = try EngineAPIHarness()
        VolumeRoutes.register(on: harness.router, engine: harness.engine)
        return harness
    }

    static func message(_ reply: Reply) -> String { ((try? reply.object())?["message"] as? String) ?? reply.text }

    @Test func createListInspectAndRemove() async throws {
        let harness = try Self.harness()
        let created = try await harness.send(
            "POST", "/volumes/create", body: [
                "Name": "data", "Labels": ["tier": "db"],
                "DriverOpts": ["type": "tmpfs", "device": "tmpfs", "o": "size=1m"],
            ])
        #expect(created.status == 201, "\(created.text)")
        let object = try created.object()
        #expect(object["Name"] as? String == "data")
        #expect(object["Mountpoint"] as? String == harness.paths.root + "/volumes/data/_data")
        #expect(object["Driver"] as? String == "local" && object["Scope"] as? String == "local")
        #expect((object["CreatedAt"] as? String)?.hasSuffix("Z") == true)
        #expect(FileManager.default.fileExists(atPath: harness.paths.root + "/volumes/data/_data"))
        // The same name again answers the existing volume.
        let again = try await harness.send("POST", "/volumes/create", body: ["Name": "data"])
        let againLabels = try again.object()["Labels"] as? [String: String]
        #expect(again.status == 201 && againLabels == ["tier": "db"])
        #expect(try await harness.send("POST", "/volumes/create", body: ["Name": "other"]).status == 201)

        let list = try await harness.send("GET", "/volumes")
        let names = (try list.object()["Volumes"] as? [[String: Any]] ?? []).compactMap { $0["Name"] as? String }
        #expect(names == ["data", "other"])
        let labelled = try await harness.send("GET", "/volumes", query: [("filters", "{\"label\":[\"tier=db\"]}")])
        #expect((try labelled.object()["Volumes"] as? [[String: Any]])?.count == 1)
        let bad = try await harness.send("GET", "/volumes", query: [("filters", "{\"colour\":[\"x\"]}")])
        #expect(bad.status == 400)

        let inspect = try await harness.send("GET", "/volumes/data")
        let options = try inspect.object()["Options"] as? [String: String]
        #expect(inspect.status == 200 && options == ["type": "tmpfs", "device": "tmpfs", "o": "size=1m"])
        #expect(try await harness.send("DELETE", "/volumes/data").status == 204)
        #expect(!FileManager.default.fileExists(atPath: harness.paths.root + "/volumes/data"))
        let gone = try await harness.send("GET", "/volumes/data")
        #expect(gone.status == 404 && Self.message(gone).contains("no such volume"))
        #expect(try await harness.send("DELETE", "/volumes/data").status == 404)
        #expect(try await harness.send("DELETE", "/volumes/data", query: [("force", "1")]).status == 204)
    }

    @Test func badNamesAndDriversAreRefused() async throws {
        let harness = try Self.harness()
        for name in ["a/b", "..", "x", "-lead"] {
            let reply = try await harness.send("POST", "/volumes/create", body: ["Name": name])
            #expect(reply.status == 400, "\(name): \(reply.text)")
        }
        let driver = try await harness.send("POST", "/volumes/create", body: ["Name": "ok", "Driver": "nfs"])
        #expect(driver.status == 404)
        let option = try await harness.send("POST", "/volumes/create", body: ["Name": "ok", "DriverOpts": ["colour": "red"]])
        #expect(option.status == 400 && Self.message(option).contains("invalid option key: \"colour\""))
        let bind = try await harness.send(
            "POST", "/volumes/create",
            body: ["Name": "ok", "DriverOpts": ["type": "none", "device": harness.directory + "/nosuch", "o": "bind"]])
        #expect(bind.status == 400 && Self.message(bind).contains("bind source path does not exist"))
        let anonymous = try await harness.send("POST", "/volumes/create", body: [String: Any]())
        let name = try anonymous.object()["Name"] as? String ?? ""
        #expect(name.count == 64 && name.allSatisfy(\.isHexDigit))
        #expect(try harness.store.volumes.get(name)?.anonymous == false, "named at random, not anonymous (as Docker)")
        #expect(try harness.store.volumes.list().count == 1)
    }

    @Test func aVolumeInUseCannotBeRemovedAndTheErrorNamesTheContainer() async throws {
        let harness = try Self.harness()
        let id = try await harness.create(name: "user", ["HostConfig": ["Binds": ["data:/data:ro"]]])
        // Created on first use, and recorded as used.
        #expect(try harness.store.volumes.get("data")?.anonymous == false)
        #expect(try harness.store.volumes.users(volume: "data") == [id])
        let refused = try await harness.send("DELETE", "/volumes/data")
        #expect(refused.status == 409)
        #expect(Self.message(refused).contains("volume is in use - [\(id)]"), "\(refused.text)")
        let forced = try await harness.send("DELETE", "/volumes/data", query: [("force", "1")])
        #expect(forced.status == 409)
        let dangling = try await harness.send("GET", "/volumes", query: [("filters", "{\"dangling\":[\"true\"]}")])
        #expect((try dangling.object()["Volumes"] as? [[String: Any]])?.isEmpty == true)
        // Inspect's Mounts.
        let mounts = try await harness.inspect(id)["Mounts"] as? [[String: Any]] ?? []
        #expect(mounts.count == 1)
        #expect(mounts.first?["Name"] as? String == "data" && mounts.first?["Type"] as? String == "volume")
        #expect(mounts.first?["RW"] as? Bool == false && mounts.first?["Destination"] as? String == "/data")
        #expect(mounts.first?["Source"] as? String == harness.paths.root + "/volumes/data/_data")
        // Removing the container (even with v=1) keeps a named volume, now free.
        #expect(try await harness.send("DELETE", "/containers/\(id)", query: [("v", "1")]).status == 204)
        #expect(try harness.store.volumes.users(volume: "data").isEmpty)
        #expect(try await harness.send("DELETE", "/volumes/data").status == 204)
    }

    @Test func anonymousVolumesGoWithRmVAndPrune() async throws {
        let harness = try Self.harness()
        let kept = try await harness.create(["Volumes": ["/anon": [String: Any]()]])
        let removed = try await harness.create([
            "Volumes": ["/one": [String: Any]()],
            "HostConfig": ["Mounts": [["Type": "volume", "Target": "/two"], ["Type": "volume", "Source": "named", "Target": "/n"]]],
        ])
        let all = try harness.store.volumes.list()
        #expect(all.count == 4)
        #expect(all.filter(\.anonymous).count == 3)
        #expect(try await harness.send("DELETE", "/containers/\(removed)", query: [("v", "1")]).status == 204)
        #expect(try harness.store.volumes.list().map(\.name).contains("named"))
        #expect(try harness.store.volumes.list().count == 2)
        #expect(try await harness.send("DELETE", "/containers/\(kept)").status == 204)
        #expect(try harness.store.volumes.list().count == 2, "rm without v keeps anonymous volumes")
        let pruned = try await harness.send("POST", "/volumes/prune")
        #expect(pruned.status == 200)
        #expect((try pruned.object()["VolumesDeleted"] as? [String])?.count == 1)
        #expect(try harness.store.volumes.list().map(\.name) == ["named"])
        let all2 = try await harness.send("POST", "/volumes/prune", query: [("filters", "{\"all\":[\"true\"]}")])
        #expect((try all2.object()["VolumesDeleted"] as? [String]) == ["named"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: harness.paths.root + "/volumes").isEmpty)
    }

    @Test func badMountsFailBeforeAnythingIsCreated() async throws {
        let harness = try Self.harness()
        let missing = harness.directory + "/missing"
        let bodies: [([String: Any], Int, String)] = [
            (["Mounts": [["Type": "bind", "Source": missing, "Target": "/x"]]], 400, "bind source path does not exist"),
            (["Binds": ["ok:/fine", "bad/name:/x"]], 400, "includes invalid characters"),
            (["Binds": ["ok:relative"]], 400, "mount path must be absolute"),
            (["Binds": ["aa:/same", "bb:/same"]], 400, "Duplicate mount point: /same"),
            (["VolumesFrom": ["nosuch"]], 404, "No such container: nosuch"),
            (["VolumesFrom": ["nosuch:rx"]], 400, "invalid mode"),
        ]
        for (host, status, message) in bodies {
            let reply = try await harness.send(
                "POST", "/containers/create", body: ["Image": "tiny", "Cmd": ["/bin/hello"], "HostConfig": host])
            #expect(reply.status == status, "\(host): \(reply.text)")
            #expect(Self.message(reply).contains(message), "\(host): \(reply.text)")
            #expect(try harness.store.containers.list(all: true).isEmpty)
            #expect(try harness.store.volumes.list().isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: missing))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: harness.paths.root + "/volumes")) ?? []).isEmpty)
    }

    @Test func volumesFromRepeatsMountsWithTheModeAsked() async throws {
        let harness = try Self.harness()
        let bind = harness.directory + "/bound"
        try FileManager.default.createDirectory(atPath: bind, withIntermediateDirectories: true)
        let source = try await harness.create(name: "store", ["Volumes": ["/db": [String: Any]()], "HostConfig": ["Binds": [bind + ":/b"]]])
        let readOnly = try await harness.create(["HostConfig": ["VolumesFrom": ["store:ro"], "Binds": [bind + ":/db"]]])
        let mounts = try await harness.inspect(readOnly)["Mounts"] as? [[String: Any]] ?? []
        // Its own bind at /db wins over the source's volume there.
        #expect(mounts.count == 2)
        #expect(mounts.allSatisfy { $0["RW"] as? Bool == false || $0["Destination"] as? String == "/db" })
        let plain = try await harness.create(["HostConfig": ["VolumesFrom": ["store"]]])
        let shared = try await harness.inspect(plain)["Mounts"] as? [[String: Any]] ?? []
        let volumeName = try #require(shared.first { $0["Destination"] as? String == "/db" }?["Name"] as? String)
        #expect(try harness.store.volumes.users(volume: volumeName) == [source, plain].sorted())
        // The consumer's rm -v leaves the source's anonymous volume alone.
        #expect(try await harness.send("DELETE", "/containers/\(plain)", query: [("v", "1")]).status == 204)
        #expect(try harness.store.volumes.get(volumeName) != nil)
    }

    @Test func copyUpAtStartFillsOnlyEmptyVolumesWithoutNocopy() async throws {
        let harness = try Self.harness()
        let id = try await harness.create([
            "HostConfig": ["Binds": ["filled:/data", "skipped:/data2:nocopy"]],
        ])
        // The fake rootfs is a plain directory: put the image's content there.
        for directory in ["/data", "/data2"] {
            try FileManager.default.createDirectory(
                atPath: harness.paths.rootfs(id) + directory, withIntermediateDirectories: true)
            try "content\n".write(toFile: harness.paths.rootfs(id) + directory + "/f", atomically: true, encoding: .utf8)
        }
        let start = try await harness.send("POST", "/containers/\(id)/start")
        #expect(start.status == 204, "\(start.text)")
        let volumes = harness.paths.root + "/volumes"
        #expect((try? String(contentsOfFile: volumes + "/filled/_data/f", encoding: .utf8)) == "content\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: volumes + "/skipped/_data").isEmpty)
    }

    @Test func archiveRoutesOfAStoppedContainerReachItsRootfsAndVolumes() async throws {
        let harness = try Self.harness()
        let id = try await harness.create(["HostConfig": ["Binds": ["vol:/vol"]]])
        try "in the rootfs\n".write(toFile: harness.paths.rootfs(id) + "/hello", atomically: true, encoding: .utf8)
        // GET: a tar named after the path's last component.
        let got = try await harness.send("GET", "/containers/\(id)/archive", query: [("path", "/hello")])
        #expect(got.status == 200)
        #expect(got.text.contains("hello") && got.text.contains("in the rootfs"))
        // HEAD: the stat header.
        let head = await harness.router.respond(
            to: APIRequest(method: "HEAD", path: "/containers/\(id)/archive", query: [QueryItem("path", "/hello")]))
        let header = try #require(head.headers.first { $0.name == VolumeRoutes.pathStatHeader }?.value)
        let stat = try JSONSerialization.jsonObject(with: try #require(Data(base64Encoded: header))) as? [String: Any]
        #expect(stat?["name"] as? String == "hello" && stat?["size"] as? Int == 14)
        // PUT into a volume path lands in the volume's directory, owned by the container's root.
        let tar = harness.directory + "/upload.tar"
        let writer = try TarWriter(path: tar)
        try writer.add("up.txt", .file(Array("uploaded\n".utf8)))
        try writer.finish()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: tar)))
        let put = await harness.router.respond(
            to: APIRequest(method: "PUT", path: "/containers/\(id)/archive", query: [QueryItem("path", "/vol")], body: bytes))
        #expect(put.status.rawValue == 200)
        #expect((try? String(contentsOfFile: harness.paths.root + "/volumes/vol/_data/up.txt", encoding: .utf8)) == "uploaded\n")
        let missing = try await harness.send("GET", "/containers/\(id)/archive", query: [("path", "/nothing")])
        #expect(missing.status == 404 && Self.message(missing).contains("Could not find the file /nothing in container"))
        #expect(harness.rootfs.mounted.isEmpty, "the rootfs mounted for the copy is unmounted again")
    }
}
