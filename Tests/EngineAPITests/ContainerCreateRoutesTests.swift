import APIServer
import Engine
import Foundation
import StackCore
import Testing

/// create, ls, inspect and rename through the routes, against fake drivers.
@Suite struct ContainerCreateRoutesTests {
    @Test func createAnswers201WithAnIdAndRecordsTheContainer() async throws {
        let harness = try EngineAPIHarness()
        let reply = try await harness.send(
            "POST", "/containers/create", query: [("name", "web")], body: ["Image": "tiny", "Cmd": ["/bin/hello", "x"]])
        #expect(reply.status == 201, "\(reply.text)")
        let id = try #require(try reply.object()["Id"] as? String)
        #expect(id.count == 64 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        let record = try harness.store.containers.get(id)
        #expect(record?.name == "web")
        #expect(record?.state == .created)
        #expect(FileManager.default.fileExists(atPath: harness.paths.container(id) + "/config.json"))
        #expect(harness.monitor.launches.isEmpty, "create starts nothing")
        #expect(harness.rootfs.mounted.isEmpty, "create mounts nothing")
    }

    @Test func createOfAnUnknownImageIs404AndLeavesNothing() async throws {
        let harness = try EngineAPIHarness()
        let reply = try await harness.send("POST", "/containers/create", body: ["Image": "nosuch:1"])
        #expect(reply.status == 404)
        #expect((try reply.object()["message"] as? String)?.contains("No such image: nosuch:1") == true)
        #expect(try harness.store.containers.list(all: true).isEmpty)
    }

    @Test func aDuplicateNameIs409() async throws {
        let harness = try EngineAPIHarness()
        let first = try await harness.create(name: "db")
        let reply = try await harness.send("POST", "/containers/create", query: [("name", "db")], body: ["Image": "tiny"])
        #expect(reply.status == 409)
        #expect((try reply.object()["message"] as? String)?.contains(first) == true, "names the holder")
        #expect(try harness.store.containers.list(all: true).count == 1)
    }

    @Test(arguments: ["{not json", "{\"Image\": 5}", "[]"])
    func aBadBodyIs400(body: String) async throws {
        let harness = try EngineAPIHarness()
        let reply = try await harness.send("POST", "/containers/create", body: body)
        #expect(reply.status == 400, "\(reply.text)")
        #expect(try harness.store.containers.list(all: true).isEmpty)
    }

    @Test func anInvalidNameIs400() async throws {
        let harness = try EngineAPIHarness()
        let reply = try await harness.send("POST", "/containers/create", query: [("name", "bad name!")], body: ["Image": "tiny"])
        #expect(reply.status == 400, "\(reply.text)")
    }

    @Test func lsShowsRunningContainersUnlessAllIsAsked() async throws {
        let harness = try EngineAPIHarness()
        let created = try await harness.create(name: "idle")
        let running = try await harness.run(name: "busy")

        let plain = try await harness.send("GET", "/containers/json")
        #expect(plain.status == 200)
        let listed = try plain.array()
        #expect(listed.map { $0["Id"] as? String } == [running])
        let entry = try #require(listed.first)
        #expect(entry["Names"] as? [String] == ["/busy"])
        #expect(entry["State"] as? String == "running")
        #expect((entry["Status"] as? String)?.hasPrefix("Up ") == true)
        #expect(entry["Image"] as? String == "tiny")
        #expect(entry["Command"] as? String == "/bin/hello")

        let all = try await harness.send("GET", "/containers/json", query: [("all", "1")]).array()
        #expect(Set(all.compactMap { $0["Id"] as? String }) == [created, running])
        let idle = try #require(all.first { $0["Id"] as? String == created })
        #expect(idle["State"] as? String == "created")
        #expect(idle["Status"] as? String == "Created")

        #expect(try await harness.send("GET", "/containers/json", query: [("all", "maybe")]).status == 400)
    }

    @Test func inspectHasDockersKeys() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.create(
            name: "probe", ["Env": ["A=1"], "Labels": ["team": "x"], "HostConfig": ["Memory": 64 << 20]])
        let created = try await harness.inspect(id)
        #expect(created["Id"] as? String == id)
        #expect(created["Name"] as? String == "/probe")
        #expect(created["Path"] as? String == "/bin/hello")
        #expect(created["Args"] as? [String] == [])
        #expect(created["Image"] as? String == harness.imageID.description)
        #expect(created["RestartCount"] as? Int == 0)
        #expect(created["LogPath"] as? String == harness.paths.log(id))
        let config = try #require(created["Config"] as? [String: Any])
        #expect(config["Image"] as? String == "tiny")
        #expect(config["Hostname"] as? String == String(id.prefix(12)))
        #expect((config["Env"] as? [String])?.contains("A=1") == true)
        #expect(config["Labels"] as? [String: String] == ["team": "x"])
        #expect((created["HostConfig"] as? [String: Any])?["Memory"] as? Int == 64 << 20)
        let state = try #require(created["State"] as? [String: Any])
        #expect(state["Status"] as? String == "created")
        #expect(state["Running"] as? Bool == false)
        #expect(state["Pid"] as? Int == 0)
        for key in ["Paused", "Restarting", "OOMKilled", "Dead", "ExitCode", "Error", "StartedAt", "FinishedAt"] {
            #expect(state[key] != nil, "State.\(key)")
        }

        #expect(try await harness.send("POST", "/containers/\(id)/start").status == 204)
        let running = try await harness.state(id)
        #expect(running["Status"] as? String == "running")
        #expect(running["Running"] as? Bool == true)
        let launched = try #require(harness.runtime.entry(id))
        #expect(running["Pid"] as? Int == Int(launched.pid), "the pid the monitor reported")
        #expect((running["StartedAt"] as? String)?.hasPrefix("0001") == false)

        #expect(try await harness.send("GET", "/containers/nosuch/json").status == 404)
        #expect(try await harness.send("GET", "/containers/\(id.prefix(12))/json").status == 200, "by short id")
    }

    @Test func renameChangesTheNameAndRefusesATakenOne() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.create(name: "old")
        _ = try await harness.create(name: "taken")
        #expect(try await harness.send("POST", "/containers/old/rename", query: [("name", "new")]).status == 204)
        #expect(try await harness.inspect(id)["Name"] as? String == "/new")
        #expect(try await harness.send("GET", "/containers/old/json").status == 404)
        #expect(try await harness.send("POST", "/containers/new/rename", query: [("name", "taken")]).status == 409)
        #expect(try await harness.send("POST", "/containers/new/rename").status == 400)
        #expect(try await harness.send("POST", "/containers/nosuch/rename", query: [("name", "x")]).status == 404)
        #expect(try await harness.inspect(id)["Name"] as? String == "/new")
    }
}
