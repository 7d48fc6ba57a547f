import Foundation
import Testing
@testable import StackFile

@Suite struct SchemaEmbeddingTests {
    /// The repository root, found from this file's path (Tests/StackFileTests/ → ../..).
    private var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    @Test func embeddedSchemaMatchesTheSchemaFile() throws {
        let file = repositoryRoot.appendingPathComponent("schemas/stack.schema.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        // When this fails, run scripts/embed-schema.sh and commit the regenerated file.
        let inSync = EmbeddedSchema.text == text
        #expect(inSync, "EmbeddedSchema.swift is stale: run scripts/embed-schema.sh")
    }

    @Test func embeddedSchemaIsWellFormed() throws {
        let json = try JSONReader.parse(EmbeddedSchema.text)
        #expect(json["definitions"]?["service"] != nil)
        _ = try SchemaValidator(schemaJSON: EmbeddedSchema.text)
    }

    @Test func everyServiceAttributeOfComposeIsDescribed() throws {
        let json = try JSONReader.parse(EmbeddedSchema.text)
        guard case .object(let properties)? = json["definitions"]?["service"]?["properties"] else {
            Issue.record("no service properties")
            return
        }
        let names = Set(properties.map(\.key))
        for name in ["image", "build", "command", "deploy", "develop", "gpus", "post_start", "pre_stop",
                     "provider", "models", "label_file", "use_api_socket", "storage_opt", "credential_spec"] {
            #expect(names.contains(name), "service attribute \(name) missing")
        }
        #expect(names.count >= 90)
    }
}
