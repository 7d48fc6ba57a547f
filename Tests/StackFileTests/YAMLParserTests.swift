import Testing
import StackCore
@testable import StackFile

@Suite struct YAMLParserTests {
    func parse(_ text: String) throws -> Node {
        let docs = try YAMLParser().parse(text, file: "t.yaml")
        return try #require(docs.first)
    }

    @Test func scalarsResolveWithCoreSchema() throws {
        let node = try parse("a: 1\nb: true\nc: null\nd: '1'\ne: 1.50\nf: yes\ng: 0o17\nh: ~\n")
        #expect(node["a"]?.scalar == .int(1))
        #expect(node["b"]?.scalar == .bool(true))
        #expect(node["c"]?.isNull == true)
        #expect(node["d"]?.scalar == .string("1"))
        #expect(node["e"]?.scalar == .float(1.5, text: "1.50"))
        #expect(node["f"]?.scalar == .string("yes"))
        #expect(node["g"]?.scalar == .int(15))
        #expect(node["h"]?.isNull == true)
    }

    @Test func marksAreOneBased() throws {
        let node = try parse("services:\n  web:\n    image: x\n")
        let image = try #require(node["services"]?["web"]?["image"])
        #expect(image.mark.line == 3)
        #expect(image.mark.column == 12)
        #expect(node["services"]?.entry("web")?.keyMark.line == 2)
    }

    @Test func mergeKeysExplicitWins() throws {
        let node = try parse("""
            x: &base {a: 1, b: 2}
            y: &other {b: 3, c: 4}
            s:
              <<: [*base, *other]
              a: 9
            """)
        #expect(node["s"]?["a"]?.scalar == .int(9))
        #expect(node["s"]?["b"]?.scalar == .int(2))
        #expect(node["s"]?["c"]?.scalar == .int(4))
    }

    @Test func duplicateKeysAreRejected() {
        #expect(throws: StackError.self) { try parse("a: 1\nb: 2\na: 3\n") }
        do {
            _ = try parse("a: 1\nb: 2\na: 3\n")
        } catch let error as StackError {
            #expect(error.description.contains("t.yaml:3:1"))
            #expect(error.message.contains("already defined at line 1"))
        } catch {}
    }

    @Test func aliasBombIsBounded() throws {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
            previous = name
        }
        #expect(throws: StackError.self) { try parse(text) }
    }

    @Test func selfReferenceIsACycle() {
        #expect(throws: StackError.self) { try parse("x: &h\n  e:\n    <<: *h\n") }
    }

    @Test func deepNestingIsRejected() {
        let text = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: StackError.self) { try parse(text) }
    }

    @Test func tabsAndInvalidUTF8GetPositions() {
        #expect(throws: StackError.self) { try parse("a:\n\tb: 1\n") }
        var bytes: [UInt8] = Array("a: ".utf8) + [0xff, 0xfe] + Array("\n".utf8)
        #expect(throws: StackError.self) { try YAMLParser().parse(bytes: &bytes, file: "t.yaml") }
    }

    @Test func tagsAreKept() throws {
        let node = try parse("ports: !reset []\ncommand: !override [a]\nx: !reset\n")
        #expect(node["ports"]?.tag == .reset)
        #expect(node["command"]?.tag == .override)
        #expect(node["x"]?.tag == .reset)
        #expect(node["x"]?.isNull == true)
    }

    @Test func multipleDocuments() throws {
        let docs = try YAMLParser().parse("a: 1\n---\na: 2\n", file: "t.yaml")
        #expect(docs.count == 2)
    }

    @Test func nonStringKeysAreFlagged() throws {
        let node = try parse("123: a\n'456': b\n")
        #expect(node.entries?[0].keyIsString == false)
        #expect(node.entries?[1].keyIsString == true)
    }
}
