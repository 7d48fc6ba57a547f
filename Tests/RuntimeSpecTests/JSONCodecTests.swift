import StackCore
import Testing

@testable import RuntimeSpec

@Suite struct JSONCodecTests {
    @Test func parsesEveryKind() throws {
        let value = try JSONParser.parse(#" {"a": [true, false, null, -0, 1.5e-3, "x"], "b": {}, "c": []} "#)
        #expect(value == .object([
            .init("a", .array([.bool(true), .bool(false), .null, .number("-0"), .number("1.5e-3"), .string("x")])),
            .init("b", .object([])), .init("c", .array([])),
        ]))
    }

    @Test func decodesEscapes() throws {
        let value = try JSONParser.parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00""#)
        #expect(value == .string("\"\\/\u{08}\u{0C}\n\r\tAé😀"))
    }

    @Test(arguments: [
        ("[1,]", "1:4: invalid JSON: unexpected ']', expected a value"),
        ("{\"a\" 1}", "1:6: invalid JSON: unexpected '1', expected ':' after a member name"),
        ("01", "1:2: invalid JSON: numbers must not have leading zeros"),
        ("1.", "1:3: invalid JSON: a number needs digits after '.'"),
        ("-", "1:2: invalid JSON: a number needs digits after '-'"),
        ("\"abc", "1:5: invalid JSON: unterminated string"),
        ("\"a\u{01}\"", "1:3: invalid JSON: control character U+0001 must be escaped in a string"),
        (#""\x""#, "1:3: invalid JSON: invalid escape \\'x'"),
        (#""\ud800""#, "1:8: invalid JSON: unpaired surrogate \\uD800"),
        ("tru", "1:1: invalid JSON: unexpected 't', expected a value"),
        ("NaN", "1:1: invalid JSON: unexpected 'N', expected a value"),
        ("[1 2]", "1:4: invalid JSON: unexpected '2', expected ',' or ']'"),
    ])
    func rejectsInvalidDocuments(text: String, message: String) {
        #expect(throws: StackError.self) { try JSONParser.parse(text, file: "f.json") }
        do {
            _ = try JSONParser.parse(text, file: "f.json")
        } catch {
            #expect(error.description == "f.json:" + message)
        }
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: StackError.self) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONParser.parse(fine)) != nil)
    }

    @Test func writerEscapesAndIndents() {
        let value = JSONValue.object([
            .init("s", .string("a\"b\\c\n\u{01}é")), .init("n", .array([.number("1"), .null])), .init("e", .object([])),
        ])
        #expect(JSONWriter.write(value) == #"{"s":"a\"b\\c\n\u0001é","n":[1,null],"e":{}}"#)
        #expect(JSONWriter.write(value, indent: "  ") == """
            {
              "s": "a\\"b\\\\c\\n\\u0001é",
              "n": [
                1,
                null
              ],
              "e": {}
            }
            """)
    }

    struct Sample: Codable, Equatable {
        var zeta: Int8
        var alpha: [String: UInt64]
        var nested: [[Double]]
        var optional: String?
        var flag: Bool
    }

    @Test func encoderKeepsDeclarationOrderAndSortsDictionaries() throws {
        let sample = Sample(zeta: -128, alpha: ["b": UInt64.max, "a": 0, "c": 7], nested: [[1, 2.5], []], optional: nil, flag: false)
        let text = try JSONValueEncoder().encodeString(sample)
        #expect(text == #"{"zeta":-128,"alpha":{"a":0,"b":18446744073709551615,"c":7},"nested":[[1,2.5],[]],"flag":false}"#)
        #expect(try JSONValueDecoder().decode(Sample.self, from: Array(text.utf8)) == sample)
    }

    @Test func encoderRefusesNonFiniteNumbers() {
        #expect(throws: StackError.self) { try JSONValueEncoder().encodeString([Double.nan]) }
    }

    @Test func decodesTopLevelScalarsAndDuplicateKeys() throws {
        #expect(try JSONValueDecoder().decode(UInt64.self, from: Array("18446744073709551615".utf8)) == UInt64.max)
        #expect(try JSONValueDecoder().decode(Int64.self, from: Array("-9223372036854775808".utf8)) == Int64.min)
        #expect(try JSONValueDecoder().decode([String].self, from: Array(#"["a"]"#.utf8)) == ["a"])
        // The last of duplicate members wins, as with Go's decoder.
        let root = try JSONValueDecoder().decode(Spec.Root.self, from: Array(#"{"path":"a","path":"b"}"#.utf8))
        #expect(root.path == "b")
    }

    @Test func pathsQuoteKeysThatAreNotNames() {
        let keys: [any CodingKey] = [JSONKey(stringValue: "linux"), JSONKey(stringValue: "sysctl"),
                                     JSONKey(stringValue: "net.ipv4.ip_forward"), JSONKey(intValue: 2)]
        #expect(JSONPath.render(keys) == #"linux.sysctl["net.ipv4.ip_forward"][2]"#)
    }
}
