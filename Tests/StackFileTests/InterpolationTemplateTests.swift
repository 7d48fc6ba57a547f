import Testing
import StackCore
@testable import StackFile

/// String-level substitution: every operator, nesting, `$$`, errors and unset-variable reporting.
@Suite struct InterpolationTemplateTests {
    /// NAME is set, EMPTY is set to "", anything else is unset.
    let interpolator = Interpolator(variables: ["NAME": "web", "EMPTY": "", "PORT": "8080", "lower": "yes"])

    struct Case: CustomTestStringConvertible, Sendable {
        let template: String
        let expected: String
        var testDescription: String { template.debugDescription }
        init(_ template: String, _ expected: String) {
            self.template = template
            self.expected = expected
        }
    }

    static let substitutions: [Case] = [
        // No substitution at all.
        Case("plain text", "plain text"),
        Case("", ""),
        // Simple forms.
        Case("$NAME", "web"),
        Case("${NAME}", "web"),
        Case("img:$NAME-1", "img:web-1"),
        Case("${NAME}${PORT}", "web8080"),
        Case("$lower", "yes"),
        Case("$NAME.$PORT", "web.8080"),
        Case("${UNSET}x", "x"),
        Case("$UNSET/x", "/x"),
        // Escapes and lone dollars.
        Case("$$", "$"),
        Case("$$NAME", "$NAME"),
        Case("$${NAME}", "${NAME}"),
        Case("$$$NAME", "$web"),
        Case("cost: 5$", "cost: 5$"),
        Case("a $ b", "a $ b"),
        Case("$1", "$1"),
        Case("$}", "$}"),
        Case("$-x", "$-x"),
        Case("^re$", "^re$"),
        // :- and -
        Case("${UNSET:-dflt}", "dflt"),
        Case("${EMPTY:-dflt}", "dflt"),
        Case("${NAME:-dflt}", "web"),
        Case("${UNSET-dflt}", "dflt"),
        Case("${EMPTY-dflt}", ""),
        Case("${NAME-dflt}", "web"),
        Case("${UNSET:-}", ""),
        Case("${UNSET:-a:-b-c}", "a:-b-c"),
        Case("${UNSET:-/path/with:colon}", "/path/with:colon"),
        // :+ and +
        Case("${NAME:+set}", "set"),
        Case("${EMPTY:+set}", ""),
        Case("${UNSET:+set}", ""),
        Case("${NAME+set}", "set"),
        Case("${EMPTY+set}", "set"),
        Case("${UNSET+set}", ""),
        // ? and :? when satisfied
        Case("${NAME:?needed}", "web"),
        Case("${NAME?needed}", "web"),
        Case("${EMPTY?needed}", ""),
        // Nesting.
        Case("${UNSET:-${NAME}}", "web"),
        Case("${UNSET:-$NAME}", "web"),
        Case("${UNSET:-${ALSO_UNSET:-${NAME}-x}}", "web-x"),
        Case("${UNSET:-${EMPTY:-a}_${EMPTY:-b}}", "a_b"),
        Case("${NAME:+${PORT}:${NAME}}", "8080:web"),
        Case("${UNSET-${NAME} and ${PORT}}", "web and 8080"),
        Case("${UNSET:-$$literal}", "$literal"),
        // Braces inside defaults, several substitutions on one line.
        Case("${UNSET:-{\"a\":1}}", "{\"a\":1}"),
        Case("${UNSET:-x} and ${NAME}", "x and web"),
        Case("${UNSET:-x}} tail", "x} tail"),
        Case("${UNSET:-a} ${UNSET:-b} ${UNSET:-c}", "a b c"),
        Case("{{ ${NAME:-n} }}", "{{ web }}"),
        // Compose quirk: a default's braces are counted, the char after each `{` is skipped.
        Case("${UNSET:-{}x} y}", "{}x} y"),
        Case("${UNSET:-{x}", "{x"),
        // Multi-line values: each line on its own.
        Case("${NAME}\n${UNSET:-d}\n$$", "web\nd\n$"),
    ]

    @Test(arguments: substitutions)
    func substitutes(_ c: Case) throws {
        #expect(try interpolator.substitute(c.template).value == c.expected)
    }

    static let invalid: [(String, String)] = [
        ("${", "${"),
        ("${}", "${}"),
        ("${ }", "${ }"),
        ("${ NAME}", "${ NAME}"),
        ("${NAME }", "${NAME }"),
        ("${NAME!}", "${NAME!}"),
        ("${1A}", "${1A}"),
        ("${NAME:x}", "${NAME:x}"),
        ("${NAME-x", "${NAME-x"),
        ("ok $NAME ${", "ok $NAME ${"),
        // A default may not span lines.
        ("${UNSET:-a\nb}", "${UNSET:-a\nb}"),
        // The error quotes the nested template where the problem is.
        ("${UNSET:-${}}", "${}"),
        // …and the tail after a balanced default, which Compose substitutes separately.
        ("${UNSET:-x} ${ }", " ${ }"),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidTemplates(_ template: String, _ quoted: String) {
        #expect(throws: InterpolationError.invalidTemplate(template: quoted)) {
            try interpolator.substitute(template)
        }
    }

    @Test func invalidTemplateMessageUsesComposeWording() {
        #expect(InterpolationError.invalidTemplate(template: "${ x\n").description == "Invalid template: \"${ x\\n\"")
    }

    static let required: [(String, String, String)] = [
        ("${UNSET:?must be set}", "UNSET", "must be set"),
        ("${EMPTY:?not empty}", "EMPTY", "not empty"),
        ("${UNSET?gone}", "UNSET", "gone"),
        ("${UNSET:?}", "UNSET", ""),
        ("${UNSET?}", "UNSET", ""),
        ("${UNSET:?need ${NAME} here}", "UNSET", "need web here"),
        ("${UNSET?a-b:c}", "UNSET", "a-b:c"),
        ("x ${NAME} ${UNSET:?first} ${OTHER:?second}", "UNSET", "first"),
        ("${UNSET:-${INNER:?inner}}", "INNER", "inner"),
    ]

    @Test(arguments: required)
    func requiredVariables(_ template: String, _ variable: String, _ reason: String) {
        #expect(throws: InterpolationError.missingRequired(variable: variable, reason: reason)) {
            try interpolator.substitute(template)
        }
    }

    @Test func requiredMessages() {
        #expect(InterpolationError.missingRequired(variable: "DB", reason: "set DB").description
            == "required variable DB is missing a value: set DB")
        #expect(InterpolationError.missingRequired(variable: "DB", reason: "").description
            == "required variable DB is missing a value")
    }

    @Test func unsetVariablesAreReportedOnlyWhenUsed() throws {
        #expect(try interpolator.substitute("$A ${B} ${A}").unset == ["A", "B", "A"])
        #expect(try interpolator.substitute("${A:-${B}}").unset == ["B"])
        #expect(try interpolator.substitute("${NAME:-${B}}").unset.isEmpty)
        #expect(try interpolator.substitute("${A:+${A},}x").unset.isEmpty)
        #expect(try interpolator.substitute("${A-x}${A+y}").unset.isEmpty)
        #expect(try interpolator.substitute("${EMPTY}").unset.isEmpty)
    }

    @Test func goCaseFoldingLettersAreNameCharacters() throws {
        let folding = Interpolator(variables: ["\u{17F}": "long-s", "A\u{212A}": "kelvin"])
        #expect(try folding.substitute("$\u{17F}").value == "long-s")
        #expect(try folding.substitute("${A\u{212A}}").value == "kelvin")
        #expect(try folding.substitute("$é").value == "$é")
    }

    @Test func deepNestingIsBounded() throws {
        let depth = TemplateSubstitution.maxNesting + 5
        let deep = String(repeating: "${U:-", count: depth) + "x" + String(repeating: "}", count: depth)
        #expect(throws: InterpolationError.self) { try interpolator.substitute(deep) }
        let fine = String(repeating: "${U:-", count: 10) + "x" + String(repeating: "}", count: 10)
        #expect(try interpolator.substitute(fine).value == "x")
    }

    @Test func longLinesWithManyDefaultsStayFast() throws {
        let line = Array(repeating: "${U:-a}", count: 5_000).joined(separator: " ")
        let clock = ContinuousClock()
        var value = ""
        let elapsed = clock.measure { value = (try? interpolator.substitute(line).value) ?? "error" }
        #expect(value == Array(repeating: "a", count: 5_000).joined(separator: " "))
        #expect(elapsed < .seconds(2))
    }
}
