import Testing
import StackCore
@testable import StackFile

/// The `raw` env-file format: `KEY=VALUE` lines taken verbatim.
@Suite struct DotEnvRawTests {
    func parse(_ text: String, lookup: [String: String] = [:]) throws(StackError) -> [DotEnv.Entry] {
        try DotEnv.parseRaw(text, file: "raw.env", lookup: { lookup[$0] })
    }

    @Test func valuesAreVerbatim() throws {
        let entries = try parse("""
            JSON='{"key": "value"}'
            DOLLAR=${HOME} $x
            ESC="a\\nb"
            HASH=1 # not a comment
            TRAIL=x  \n
            """)
        let values = entries.map(\.value)
        #expect(entries.map(\.key) == ["JSON", "DOLLAR", "ESC", "HASH", "TRAIL"])
        #expect(values == ["'{\"key\": \"value\"}'", "${HOME} $x", "\"a\\nb\"", "1 # not a comment", "x  "])
    }

    @Test func commentsBlankLinesLeadingBlanksCRLFAndBOM() throws {
        let entries = try parse("\u{FEFF}# comment\r\n\r\n   A=1\r\n\t# also comment\r\nB==2\r\n")
        #expect(entries.map(\.key) == ["A", "B"])
        #expect(entries.map(\.value) == ["1", "=2"])
    }

    @Test func bareKeysUseLookup() throws {
        let entries = try parse("SET\nUNSET\nSET=override\n", lookup: ["SET": "from-env"])
        #expect(entries.map(\.key) == ["SET", "UNSET"])
        #expect(entries[0].value == "override")
        #expect(entries[1].value == nil)
    }

    @Test func invalidLines() {
        for (text, line, message) in [
            ("A=1\nB C=2\n", 2, "variable 'B C' contains whitespaces"),
            ("A=1\nB\t=2\n", 2, "contains whitespaces"),
            ("=x\n", 1, "no variable name on line '=x'"),
        ] {
            do {
                _ = try parse(text)
                Issue.record("expected an error for \(text.debugDescription)")
            } catch {
                #expect(error.mark?.line == line)
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
    }
}
