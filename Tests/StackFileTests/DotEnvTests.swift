import Testing
import StackCore
@testable import StackFile

/// `.env` parsing (Compose's default env-file format).
@Suite struct DotEnvTests {
    func parse(_ text: String, lookup: [String: String] = [:]) throws(StackError) -> [DotEnv.Entry] {
        try DotEnv.parse(text, file: "app.env", lookup: { lookup[$0] })
    }

    func single(_ text: String) throws -> (key: String, value: String?) {
        let entries = try parse(text)
        try #require(entries.count == 1, "\(entries)")
        return entries[0]
    }

    static let lines: [(String, String, String)] = [
        ("KEY=value", "KEY", "value"),
        ("KEY = value", "KEY", "value"),
        ("KEY=  value  ", "KEY", "value"),
        ("\t KEY=value", "KEY", "value"),
        ("KEY: value", "KEY", "value"),
        ("KEY:value=with=equals", "KEY", "value=with=equals"),
        ("KEY=a:b", "KEY", "a:b"),
        ("KEY=", "KEY", ""),
        ("KEY=   ", "KEY", ""),
        ("export KEY=1", "KEY", "1"),
        ("export\tKEY=1", "KEY", "1"),
        ("exportKEY=1", "exportKEY", "1"),
        ("export_KEY=1", "export_KEY", "1"),
        ("my.dotted-key[0]=x", "my.dotted-key[0]", "x"),
        ("ÜBER=straße", "ÜBER", "straße"),
        ("123=digits", "123", "digits"),
        // Comments.
        ("KEY=value # comment", "KEY", "value"),
        ("KEY=value #", "KEY", "value"),
        ("KEY=value#not-a-comment", "KEY", "value#not-a-comment"),
        ("KEY=value\t# tab is not a comment start", "KEY", "value\t# tab is not a comment start"),
        ("KEY='a # b' # comment", "KEY", "a # b"),
        ("KEY=\"a # b\"# comment", "KEY", "a # b"),
        // Single quotes: literal.
        ("KEY='a\\nb'", "KEY", "a\\nb"),
        ("KEY='$HOME ${X}'", "KEY", "$HOME ${X}"),
        ("KEY='it\\'s'", "KEY", "it's"),
        ("KEY='\"double\"'", "KEY", "\"double\""),
        ("KEY=''", "KEY", ""),
        // Double quotes: escapes.
        ("KEY=\"a\\nb\"", "KEY", "a\nb"),
        ("KEY=\"a\\tb\\rc\"", "KEY", "a\tb\rc"),
        ("KEY=\"say \\\"hi\\\"\"", "KEY", "say \"hi\""),
        ("KEY=\"back\\\\slash\"", "KEY", "back\\slash"),
        ("KEY=\"\\$NOT\"", "KEY", "$NOT"),
        ("KEY=\"\\0101\"", "KEY", "A"),
        ("KEY=\"\\q stays\"", "KEY", "\\q stays"),
        ("KEY=\"'single'\"", "KEY", "'single'"),
        ("KEY=\"\"", "KEY", ""),
        // Unquoted: no escapes.
        ("KEY=a\\tb", "KEY", "a\\tb"),
        ("KEY=$$literal", "KEY", "$literal"),
    ]

    @Test(arguments: lines)
    func parsesLine(_ text: String, _ key: String, _ value: String) throws {
        let entry = try single(text)
        #expect(entry.key == key)
        #expect(entry.value == value)
    }

    @Test func multiLineQuotedValues() throws {
        let entries = try parse("A='first\nsecond'\nB=\"x\ny\\n\"\nC=after\n")
        #expect(entries.map(\.key) == ["A", "B", "C"])
        #expect(entries[0].value == "first\nsecond")
        #expect(entries[1].value == "x\ny\n")
        #expect(entries[2].value == "after")
    }

    @Test func commentsBlankLinesAndCRLF() throws {
        let entries = try parse("# header\r\n\r\n  # indented\r\nA=1\r\nB = \"2\"\r\n\tC\r\n", lookup: ["C": "3"])
        #expect(entries.map(\.key) == ["A", "B", "C"])
        #expect(entries.map(\.value) == ["1", "2", "3"])
    }

    @Test func byteOrderMarkIsIgnored() throws {
        #expect(try single("\u{FEFF}A=1").key == "A")
    }

    @Test func interpolationUsesLookupThenEarlierKeys() throws {
        let entries = try parse("""
            HOST=db
            URL=postgres://${HOST}:${PORT:-5432}/$NAME
            QUOTED="at ${HOST}"
            SINGLE='at ${HOST}'
            SHADOWED=${OVERRIDE}
            OVERRIDE=from-file
            AGAIN=${OVERRIDE}
            """, lookup: ["NAME": "app", "OVERRIDE": "from-lookup"])
        let values = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
        #expect(values["URL"] == "postgres://db:5432/app")
        #expect(values["QUOTED"] == "at db")
        #expect(values["SINGLE"] == "at ${HOST}")
        #expect(values["SHADOWED"] == "from-lookup")
        #expect(values["AGAIN"] == "from-lookup")  // the lookup wins over the file, as in Compose
    }

    @Test func bareKeys() throws {
        let entries = try parse("FROM_ENV\nMISSING\nA=1\nA\n", lookup: ["FROM_ENV": "yes"])
        #expect(entries.map(\.key) == ["FROM_ENV", "MISSING", "A"])
        #expect(entries[0].value == "yes")
        #expect(entries[1].value == nil)
        #expect(entries[2].value == "1")  // an unresolved bare key does not erase a value
        #expect(try single("LAST_LINE_NO_NEWLINE").value == nil)
    }

    @Test func laterAssignmentsReplaceInPlace() throws {
        let entries = try parse("A=1\nB=2\nA=3\n")
        #expect(entries.map(\.key) == ["A", "B"])
        #expect(entries.map(\.value) == ["3", "2"])
    }

    @Test func textAfterAClosingQuoteStartsANewStatement() throws {
        let entries = try parse("A=\"x\" B=2\n")
        #expect(entries.map(\.key) == ["A", "B"])
        #expect(entries[1].value == "2")
    }

    @Test func unsetVariablesWarn() throws {
        var warnings: [StackWarning] = []
        _ = try DotEnv.parse("A=1\nB=$NOPE ${NOPE}\n", file: "app.env", lookup: { _ in nil }, warnings: &warnings)
        #expect(warnings.map(\.message) == ["The \"NOPE\" variable is not set. Defaulting to a blank string."])
        #expect(warnings.first?.mark?.line == 2)
    }

    static let invalid: [(String, Int, String)] = [
        ("A=1\nBAD KEY=2\n", 2, "key cannot contain a space"),
        ("A=1\n\nINVALID LINE\n", 3, "key cannot contain a space"),
        ("A=1\nB$=2\n", 2, "unexpected character \"$\" in variable name \"B$=2\""),
        ("A=1\nB=\"open\nstill open\n", 2, "unterminated quoted value \"open"),
        ("A='x\n", 1, "unterminated quoted value 'x"),
        ("=value\n", 1, "no variable name"),
        ("A=ok\nB=${\n", 2, "Invalid template: \"${\""),
        ("A=${X:?X is required}\n", 1, "required variable X is missing a value: X is required"),
        ("A=\"${X?quoted}\"\n", 1, "required variable X is missing a value: quoted"),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidLines(_ text: String, _ line: Int, _ message: String) {
        do {
            let entries = try parse(text)
            Issue.record("expected an error, got \(entries)")
        } catch {
            #expect(error.code == .invalidStackFile)
            #expect(error.mark?.file == "app.env")
            #expect(error.mark?.line == line)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func errorColumnPointsAtTheCharacter() {
        do {
            _ = try parse("  ÄB%=1\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.mark?.column == 5)
        }
    }

    @Test func escapeExpansion() {
        func expand(_ s: String) -> String {
            String(decoding: DotEnvParser.expandEscapes(Array(s.utf8)), as: UTF8.self)
        }
        #expect(expand("\\a\\b\\f\\v") == "\u{07}\u{08}\u{0C}\u{0B}")
        #expect(expand("\\$X") == "$$X")
        #expect(expand("\\0") == "\\0")
        #expect(expand("\\012") == "\\012")  // octal needs exactly three digits after \0
        #expect(expand("\\01234") == "S4")
        #expect(expand("\\0777") == "\\0777")  // above 255
        #expect(expand("\\0351") == "é")
        #expect(expand("\\c") == "\\c")
        #expect(expand("end\\") == "end\\")
    }
}
