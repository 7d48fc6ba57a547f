import Testing
import StackModel
@testable import Reconciler

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // Two blocks after padding.
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func incrementalUpdatesMatchOneShot() {
        let text = String(repeating: "0123456789", count: 25)
        var hasher = SHA256()
        let bytes = Array(text.utf8)
        hasher.update(Array(bytes[0..<7]))
        hasher.update(Array(bytes[7..<130]))
        hasher.update(Array(bytes[130...]))
        #expect(hasher.finalize().hexString == SHA256.hex(text))
    }
}

@Suite struct CanonicalValueTests {
    @Test func objectsSortTheirMembersAndStringsAreEscaped() throws {
        let value = CanonicalValue.object([
            "b": .array([.number("1"), .bool(false), .null]), "a": .string("x\"y\n\u{1}"),
        ])
        #expect(value.text == #"{"a":"x\"y\n\u0001","b":[1,false,null]}"#)
    }

    @Test func encoderLeavesOutNilOptionalsAndPruneDropsEmptyCollections() throws {
        var service = Service(name: "web", image: "nginx")
        service.environment = ["A": "1", "UNSET": nil]
        service.stopGracePeriod = .seconds(3)
        let encoded = try CanonicalEncoder.encode(service)
        #expect(encoded.members["user"] == nil)
        #expect(encoded.members["labels"] == .object([:]))
        #expect(encoded.members["environment"] == .object(["A": .string("1"), "UNSET": .null]))
        let pruned = encoded.pruned()
        #expect(pruned.members["labels"] == nil)
        #expect(pruned.members["image"] == .string("nginx"))
        #expect(pruned.members["environment"] == .object(["A": .string("1")]))
        #expect(pruned.members["stop_grace_period"] != nil)
    }
}

@Suite struct ConfigHashTests {
    let base = """
        services:
          web:
            image: nginx:1.27
            environment:
              A: "1"
              B: "2"
            ports: ["8080:80"]
            restart: always
        """

    func hash(_ yaml: String) throws -> ConfigHash {
        let project = try loadProject(yaml)
        return ConfigHash(service: try #require(project.service(named: "web")))
    }

    @Test func keyOrderDoesNotMatter() throws {
        let reordered = """
            services:
              web:
                restart: always
                ports: ["8080:80"]
                environment:
                  B: "2"
                  A: "1"
                image: nginx:1.27
            """
        #expect(try hash(reordered) == hash(base))
    }

    @Test func buildPullPolicyDependsOnProfilesReplicasAndDevelopAreLeftOut() throws {
        let decorated = """
            services:
              web:
                image: nginx:1.27
                build: ./web
                pull_policy: always
                profiles: [front]
                scale: 3
                deploy:
                  replicas: 3
                depends_on:
                  db:
                    condition: service_healthy
                environment:
                  A: "1"
                  B: "2"
                ports: ["8080:80"]
                restart: always
                develop:
                  watch:
                    - path: ./src
                      action: sync
                      target: /app
              db:
                image: postgres
                profiles: [front]
            """
        let project = try loadProject(decorated, profiles: ["front"])
        let web = try #require(project.service(named: "web"))
        #expect(web.build != nil && web.replicas == 3 && !web.dependsOn.isEmpty && !web.profiles.isEmpty)
        #expect(web.develop != nil && web.pullPolicy != nil)
        #expect(ConfigHash(service: web) == (try hash(base)))
    }

    @Test func otherDeployFieldsStillCount() throws {
        let limited = base + "\n    deploy:\n      replicas: 2\n      resources:\n        limits:\n          memory: 64m\n"
        let changed = try hash(limited)
        #expect(changed.digest != (try hash(base)).digest)
        #expect(changed.changedFields(from: try hash(base).fields) == ["deploy"])
    }

    @Test func environmentAndImageChangesAreNamed() throws {
        let old = try hash(base)
        let new = try hash(base.replacing("B: \"2\"", with: "B: \"3\"")
            .replacing("nginx:1.27", with: "nginx:1.28"))
        #expect(new.digest != old.digest)
        #expect(new.changedFields(from: old.fields) == ["environment", "image"])
    }

    @Test func addedAndRemovedFieldsAreNamed() throws {
        let old = try hash(base)
        let new = try hash(base + "\n    user: \"1000\"\n")
        #expect(new.changedFields(from: old.fields) == ["user"])
        #expect(old.changedFields(from: new.fields) == ["user"])
    }

    @Test func fieldsLabelRoundTrips() throws {
        let value = try hash(base)
        #expect(value.digest.count == 64)
        #expect(ConfigHash.parseFieldsLabel(value.fieldsLabel) == value.fields)
        #expect(value.fieldsLabel.hasPrefix("environment="))
        #expect(ConfigHash.parseFieldsLabel("a=1,broken") == nil)
        #expect(ConfigHash.parseFieldsLabel("") == [:])
    }
}
