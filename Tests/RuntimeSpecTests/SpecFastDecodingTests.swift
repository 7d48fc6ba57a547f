import StackCore
import Testing

@testable import RuntimeSpec

/// `SpecFastDecoding` must give exactly what Codable gives whenever it gives anything: checked on
/// the fixtures and on hundreds of variants of them (members removed, nulled, of the wrong type,
/// duplicated).
@Suite struct SpecFastDecodingTests {
    /// The full fixture without the members the fast path leaves to Codable.
    static func fastFull() throws -> JSONValue {
        var value = try JSONParser.parse(Fixtures.full)
        value = removing(value, at: ["process"], keys: ["scheduler", "ioPriority", "execCPUAffinity"])
        value = removing(
            value, at: ["linux"], keys: ["seccomp", "timeOffsets", "netDevices", "intelRdt", "memoryPolicy", "personality"])
        value = removing(
            value, at: ["linux", "resources"],
            keys: ["memory", "cpu", "pids", "blockIO", "hugepageLimits", "network", "rdma"])
        return value
    }

    static func removing(_ value: JSONValue, at path: [String], keys: Set<String>) -> JSONValue {
        guard case .object(let members) = value else { return value }
        if path.isEmpty { return .object(members.filter { !keys.contains($0.key) }) }
        return .object(members.map { member in
            member.key == path[0] ? JSONValue.Member(member.key, removing(member.value, at: Array(path.dropFirst()), keys: keys)) : member
        })
    }

    static func codable(_ value: JSONValue) -> Spec? {
        try? JSONValueDecoder().decode(Spec.self, from: value)
    }

    @Test func usualDocumentsTakeTheFastPathAndMatchCodable() throws {
        let documents = [
            try Self.fastFull(),
            try JSONParser.parse(Fixtures.minimal),
            try JSONParser.parse(SpecLoader.encode(DefaultSpec.make())),
        ]
        for document in documents {
            let fast = try #require(SpecFastDecoding.spec(document))
            #expect(fast == Self.codable(document))
        }
        // The fast path keeps what it reads: a few members of the full fixture.
        let full = try #require(SpecFastDecoding.spec(try Self.fastFull()))
        #expect(full.process?.user.username == "app")
        #expect(full.process?.rlimits?.last?.hard == UInt64.max)
        #expect(full.linux?.resources?.devices?.isEmpty == false)
    }

    @Test func membersItLeavesToCodableMakeItStepAside() throws {
        #expect(SpecFastDecoding.spec(try JSONParser.parse(Fixtures.full)) == nil)
        #expect(try SpecLoader.decode(text: Fixtures.full).process?.scheduler != nil)
    }

    @Test func everyVariantEitherMatchesCodableOrIsLeftToIt() throws {
        var taken = 0
        var variants = 0
        for document in [try Self.fastFull(), try JSONParser.parse(Fixtures.minimal)] {
            for variant in Self.variants(of: document) {
                variants += 1
                guard let fast = SpecFastDecoding.spec(variant) else { continue }
                taken += 1
                #expect(fast == Self.codable(variant), "\(JSONWriter.write(variant))")
            }
        }
        // Both outcomes occur: many variants are still usual documents, many are not.
        #expect(taken > 50 && taken < variants)
    }

    @Test func errorsStillComeFromCodable() {
        #expect(throws: StackError.self) {
            try SpecLoader.decode(text: #"{"ociVersion": "1.1.0", "process": {"cwd": "/", "args": "x"}}"#)
        }
        do {
            _ = try SpecLoader.decode(text: #"{"ociVersion": "1.1.0", "process": {"cwd": "/", "args": "x"}}"#)
        } catch {
            #expect(error.description.contains("process.args"))
            #expect(error.description.contains("expected an array of strings, found a string"))
        }
    }

    /// Every object member of `value`, in turn, removed, set to null, replaced by values of other
    /// kinds, and duplicated with another value after it.
    static func variants(of value: JSONValue) -> [JSONValue] {
        let replacements: [JSONValue] = [.null, .string("x"), .number("7"), .number("-1"), .number("1.5"), .bool(true), .array([]), .object([])]
        var result: [JSONValue] = []
        func walk(_ node: JSONValue, rebuild: (JSONValue) -> JSONValue) {
            switch node {
            case .object(let members):
                for (index, member) in members.enumerated() {
                    var removed = members
                    removed.remove(at: index)
                    result.append(rebuild(.object(removed)))
                    for replacement in replacements where replacement != member.value {
                        var replaced = members
                        replaced[index].value = replacement
                        result.append(rebuild(.object(replaced)))
                    }
                    var duplicated = members
                    duplicated.insert(JSONValue.Member(member.key, .string("dup")), at: index)
                    result.append(rebuild(.object(duplicated)))
                    walk(member.value) { changed in
                        var copy = members
                        copy[index].value = changed
                        return rebuild(.object(copy))
                    }
                }
            case .array(let items):
                for (index, item) in items.enumerated() {
                    walk(item) { changed in
                        var copy = items
                        copy[index] = changed
                        return rebuild(.array(copy))
                    }
                }
            default:
                break
            }
        }
        walk(value) { $0 }
        return result
    }
}
