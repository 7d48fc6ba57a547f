import Testing
@testable import StackFile

/// Random strings through `substitute`: errors are fine, crashes and hangs are not.
@Suite struct InterpolationPropertyTests {
    /// Pieces that exercise the grammar: operators, braces, names, escapes, newlines, multi-byte text.
    static let pieces = [
        "$", "$$", "{", "}", "${", ":", "-", "+", "?", ":-", ":?", ":+", "A", "B", "_", "x", "1", " ", "\n",
        "\"", "\\", "é", "\u{17F}", "\u{212A}", "😀", "${A", "${B:-", "}}", "\r\n",
    ]

    @Test(arguments: 0..<8)
    func randomTemplatesNeverCrash(seed: UInt64) {
        var rng = SplitMix(state: seed &* 7919 &+ 1)
        let interpolator = Interpolator(variables: ["A": "a$b{}", "B": "", "_": "under"])
        var successes = 0
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...40, using: &rng)
            var template = ""
            for _ in 0..<length { template += Self.pieces.randomElement(using: &rng) ?? "" }
            do {
                let result = try interpolator.substitute(template)
                successes += 1
                // Without any `$`, nothing may change.
                if !template.contains("$") { #expect(result.value == template) }
                #expect(result.unset.allSatisfy { !$0.isEmpty })
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
        #expect(successes > 0)
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix(state: 42)
        let interpolator = Interpolator(variables: ["A": "1"])
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...32, using: &rng)).map { _ in
                // Bias towards the interesting ASCII characters.
                Bool.random(using: &rng) ? Array("${}:-+?A\n".utf8).randomElement(using: &rng) ?? 0 : UInt8.random(in: 0...255, using: &rng)
            }
            let template = String(decoding: bytes, as: UTF8.self)
            _ = try? interpolator.substitute(template)
        }
    }
}
