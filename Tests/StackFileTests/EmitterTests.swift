import Testing
import StackCore
@testable import StackFile

@Suite struct EmitterTests {
    let mark = SourceMark.synthetic("t")

    func roundTrip(_ node: Node) throws -> Node {
        let text = YAMLEmitter().emit(node)
        return try #require(try YAMLParser().parse(text, file: "out.yaml").first)
    }

    @Test(arguments: [
        "", "yes", "no", "on", "off", "true", "null", "~", "1", "1.5", "0755", "1:20", "8080:80", "1e3", "-", "- x",
        "-c", "? x", ": x", "a: b", "a #b", "#x", "&a", "*a", "!t", "|", ">", "'q'", "\"q\"", "%x", "@x", "`x",
        " lead", "trail ", "multi\nline", "tab\there", "back\\slash", "emoji 🙂", "127.0.0.1", "0x1F", ".inf",
        "a:", "[x]", "{x}", "x,y", "=", "<<", "\u{7f}", "\u{1}",
    ])
    func stringsSurviveARoundTrip(text: String) throws {
        let node = Node.mapping([Node.Entry(key: "k", keyMark: mark, value: .string(text, mark))], mark)
        let back = try roundTrip(node)
        #expect(back["k"]?.scalar == .string(text), "\(YAMLEmitter().emit(node))")
    }

    @Test func nestedStructuresSurvive() throws {
        let text = """
            name: p
            services:
              web:
                command: [sh, -c, 'echo "$$x"']
                ports:
                  - {target: 80, published: "8080", protocol: tcp}
                environment: {A: "1", B: null, C: ""}
                empty_list: []
                empty_map: {}
                nested: [[1, 2], [{a: b}]]
            """
        let node = try #require(try YAMLParser().parse(text, file: "in.yaml").first)
        #expect(try roundTrip(node).sameValue(as: node))
    }

    @Test func topLevelKeysInComposeOrderOthersSorted() {
        let node = Node.mapping(
            ["volumes", "x-z", "services", "name", "networks"].map {
                Node.Entry(key: $0, keyMark: mark, value: .string("v", mark))
            }, mark)
        let lines = YAMLEmitter().emit(node).split(separator: "\n").map { String($0.split(separator: ":")[0]) }
        #expect(lines == ["name", "services", "networks", "volumes", "x-z"])
    }

    @Test func jsonEscapesAndTypes() {
        let node = Node.mapping(
            [
                Node.Entry(key: "s", keyMark: mark, value: .string("a\"b\\c\n\u{1}", mark)),
                Node.Entry(key: "i", keyMark: mark, value: .int(3, mark)),
                Node.Entry(key: "f", keyMark: mark, value: Node(.scalar(.float(0.5, text: "0.50")), mark: mark)),
                Node.Entry(key: "b", keyMark: mark, value: .bool(true, mark)),
                Node.Entry(key: "n", keyMark: mark, value: .null(mark)),
                Node.Entry(key: "l", keyMark: mark, value: .sequence([], mark)),
            ], mark)
        let json = JSONEmitter().emit(node)
        #expect(json.contains(#""s": "a\"b\\c\n\u0001""#))
        #expect(json.contains(#""i": 3"#))
        #expect(json.contains(#""f": 0.5"#))
        #expect(json.contains(#""b": true"#))
        #expect(json.contains(#""n": null"#))
        #expect(json.contains(#""l": []"#))
    }
}
