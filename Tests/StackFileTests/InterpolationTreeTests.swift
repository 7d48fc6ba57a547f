import Testing
import StackCore
@testable import StackFile

/// Interpolation of whole node trees parsed from YAML: what is touched, what is kept, errors and warnings.
@Suite struct InterpolationTreeTests {
    let interpolator = Interpolator(variables: ["TAG": "1.2", "PORT": "8080", "DEBUG": "true", "EMPTY": ""])

    func load(_ text: String) throws -> Node {
        try #require(try YAMLParser().parse(text, file: "stack.yaml").first)
    }

    @Test func interpolatesValuesButNotKeys() throws {
        let root = try load("""
            services:
              web:
                image: "app:${TAG}"
                ports: ["${PORT}:80", 443]
                environment:
                  ${TAG}: $$HOME
                  LEVEL: ${LEVEL:-info}
                x-note: ${EMPTY:-none}
            """)
        var warnings: [StackWarning] = []
        let result = try interpolator.interpolate(root, path: NodePath(), warnings: &warnings)
        let web = try #require(result["services"]?["web"])
        #expect(web["image"]?.string == "app:1.2")
        #expect(web["ports"]?.items?[0].string == "8080:80")
        #expect(web["ports"]?.items?[1].scalar == .int(443))
        #expect(web["environment"]?.entries?.map(\.key) == ["${TAG}", "LEVEL"])
        #expect(web["environment"]?["${TAG}"]?.string == "$HOME")
        #expect(web["environment"]?["LEVEL"]?.string == "info")
        #expect(web["x-note"]?.string == "none")
        #expect(warnings.isEmpty)
    }

    @Test func keepsMarksTagsAndQuotedness() throws {
        let root = try load("a: '${PORT}'\nb: ${PORT}\nc: !override ${TAG}\nd: [x]\n")
        var warnings: [StackWarning] = []
        let result = try interpolator.interpolate(root, path: NodePath(), warnings: &warnings)
        let a = try #require(result["a"]), b = try #require(result["b"]), c = try #require(result["c"])
        #expect(a.quoted && a.string == "8080")
        #expect(!b.quoted && b.string == "8080")  // stays a string: typing is a later stage
        #expect(b.mark == root["b"]?.mark)
        #expect(c.tag == .override && c.string == "1.2")
        #expect(result["d"] == root["d"])
    }

    @Test func nonStringScalarsAreLeftAlone() throws {
        let root = try load("n: 1\nf: 1.50\nb: true\nz: null\n")
        var warnings: [StackWarning] = []
        #expect(try interpolator.interpolate(root, path: NodePath(), warnings: &warnings) == root)
    }

    @Test func unsetVariablesWarnOncePerValueWithPosition() throws {
        let root = try load("services:\n  web:\n    command: echo $MISSING ${MISSING} $OTHER\n    image: ${MISSING:-x}\n")
        var warnings: [StackWarning] = []
        let result = try interpolator.interpolate(root, path: NodePath(), warnings: &warnings)
        #expect(result["services"]?["web"]?["command"]?.string == "echo   ")
        #expect(warnings.map(\.message) == [
            "The \"MISSING\" variable is not set. Defaulting to a blank string.",
            "The \"OTHER\" variable is not set. Defaulting to a blank string.",
        ])
        #expect(warnings.first?.mark?.line == 3)
        #expect(warnings.first?.path == "services.web.command")
    }

    @Test func requiredVariableErrorNamesPositionAndPath() throws {
        let root = try load("services:\n  db:\n    environment:\n      - PASSWORD=${DB_PASSWORD:?set it}\n")
        var warnings: [StackWarning] = []
        do {
            _ = try interpolator.interpolate(root, path: NodePath(), warnings: &warnings)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidStackFile)
            #expect(error.mark?.line == 4)
            #expect(error.mark?.column == 9)
            #expect(error.message
                == "error while interpolating services.db.environment[0]: required variable DB_PASSWORD is missing a value: set it")
            #expect(error.description.hasPrefix("stack.yaml:4:9: error while interpolating services.db.environment[0]"))
        }
    }

    @Test func invalidTemplateErrorUsesComposeWording() throws {
        let root = try load("services:\n  web:\n    image: \"${TAG\"\n")
        var warnings: [StackWarning] = []
        do {
            _ = try interpolator.interpolate(root, path: NodePath(), warnings: &warnings)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "invalid interpolation format for services.web.image.\nYou may need to escape any $ with another $.\n${TAG")
            #expect(error.mark?.line == 3)
        }
    }

    @Test func pathPrefixIsUsed() throws {
        let node = Node.string("${X?x}", SourceMark(file: "f", line: 1, column: 1))
        var warnings: [StackWarning] = []
        do {
            _ = try interpolator.interpolate(node, path: NodePath() / "services" / "a" / "labels" / 2, warnings: &warnings)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("error while interpolating services.a.labels[2]:"))
        }
    }

    @Test func twoHundredServicesInterpolateQuickly() throws {
        var text = "services:\n"
        for i in 0..<200 {
            text += """
              s\(i):
                image: "registry/app-\(i):${TAG}"
                ports: ["${PORT:-80}:80"]
                environment: {A: plain, B: "${DEBUG}", C: 3}
                labels: [a=b, c=d]

            """
        }
        let root = try load(text)
        var warnings: [StackWarning] = []
        let clock = ContinuousClock()
        var result = root
        let elapsed = try clock.measure {
            result = try interpolator.interpolate(root, path: NodePath(), warnings: &warnings)
        }
        #expect(result["services"]?["s199"]?["image"]?.string == "registry/app-199:1.2")
        #expect(result["services"]?["s0"]?["environment"]?["B"]?.string == "true")
        #expect(elapsed < .milliseconds(250))  // generous for debug builds on a loaded machine
    }
}
