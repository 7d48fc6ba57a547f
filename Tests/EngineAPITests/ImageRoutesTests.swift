import APIServer
import Engine
import Foundation
import Images
import StackCore
import Testing

/// The image routes over a real image store (on the engine's SQLite store).
@Suite struct ImageRoutesTests {
    @Test func listAndInspectShowTheImportedImage() async throws {
        let harness = try EngineAPIHarness()
        let listed = try await harness.send("GET", "/images/json")
        #expect(listed.status == 200)
        let images = try listed.array()
        #expect(images.count == 1)
        let image = try #require(images.first)
        #expect(image["Id"] as? String == harness.imageID.description)
        #expect(image["RepoTags"] as? [String] == ["tiny:latest"])
        #expect((image["Size"] as? Int ?? 0) > 0)

        let inspected = try await harness.send("GET", "/images/inspect", query: [("name", "tiny")])
        #expect(inspected.status == 200)
        let object = try inspected.object()
        #expect(object["Id"] as? String == harness.imageID.description)
        #expect(object["RepoTags"] as? [String] == ["tiny:latest"])
        let config = try #require(object["Config"] as? [String: Any])
        #expect(config["Cmd"] as? [String] == ["/bin/hello"])

        #expect(try await harness.send("GET", "/images/inspect", query: [("name", "nosuch")]).status == 404)
        #expect(try await harness.send("GET", "/images/inspect").status == 400)
    }

    @Test func tagAddsAReferenceThatCreateCanUse() async throws {
        let harness = try EngineAPIHarness()
        let tagged = try await harness.send("POST", "/images/tag", query: [("source", "tiny"), ("target", "other:1")])
        #expect(tagged.status == 201)
        let tags = try await harness.send("GET", "/images/json").array().first?["RepoTags"] as? [String]
        #expect(Set(tags ?? []) == ["tiny:latest", "other:1"])
        let created = try await harness.send("POST", "/containers/create", body: ["Image": "other:1"])
        #expect(created.status == 201)
        #expect(try await harness.send("POST", "/images/tag", query: [("source", "nosuch"), ("target", "x:1")]).status == 404)
        #expect(try await harness.send("POST", "/images/tag", query: [("source", "tiny")]).status == 400)
    }

    @Test func removeUntagsThenDeletes() async throws {
        let harness = try EngineAPIHarness()
        _ = try await harness.send("POST", "/images/tag", query: [("source", "tiny"), ("target", "other:1")])
        let untagged = try await harness.send("DELETE", "/images/remove", query: [("name", "other:1")])
        #expect(untagged.status == 200)
        let first = try untagged.array()
        #expect(first.count == 1)
        #expect(first.first?["Untagged"] as? String == "other:1")
        #expect(try await harness.send("GET", "/images/json").array().count == 1, "the image stays")

        let layers = try harness.images.layerPaths(harness.imageID)
        let deleted = try await harness.send("DELETE", "/images/remove", query: [("name", "tiny")])
        #expect(deleted.status == 200)
        let items = try deleted.array()
        #expect(items.first?["Untagged"] as? String == "tiny:latest")
        #expect(items.contains { $0["Deleted"] as? String == harness.imageID.description })
        #expect(try await harness.send("GET", "/images/json").array().isEmpty)
        #expect(layers.allSatisfy { !FileManager.default.fileExists(atPath: $0) }, "its layer directories are gone")
        #expect(try await harness.send("DELETE", "/images/remove", query: [("name", "tiny")]).status == 404)
    }

    @Test func removeOfAnImageAContainerUsesIs409UntilTheContainerIsGone() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.create()
        let refused = try await harness.send("DELETE", "/images/remove", query: [("name", "tiny")])
        #expect(refused.status == 409)
        #expect((try refused.object()["message"] as? String)?.contains(String(id.prefix(12))) == true)
        #expect(try await harness.send("GET", "/images/json").array().count == 1)

        #expect(try await harness.send("DELETE", "/containers/\(id)").status == 204)
        #expect(try await harness.send("DELETE", "/images/remove", query: [("name", "tiny")]).status == 200)
        #expect(try await harness.send("POST", "/containers/create", body: ["Image": "tiny"]).status == 404)
    }
}
