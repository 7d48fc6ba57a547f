import Foundation

/// Yes/no questions as Compose asks them: on a terminal a prompt whose default is no; when
/// stdin is not a terminal, the question is printed and one line is read from stdin, and only
/// an affirmative answer (`y`, `yes`, `true`, `1`) counts — no input at all means no.
enum Confirmation {
    static func ask(_ question: String) -> Bool {
        let terminal = isatty(0) == 1
        Output.write(1, Array((terminal ? "? \(question) [y/N] " : question).utf8))
        let answer = readLine(strippingNewline: true)
        if !terminal { Output.write(1, [10]) }
        return isYes(answer ?? "")
    }

    /// Compose's reading of an answer (`StringToBool`, plus `yes`).
    static func isYes(_ answer: String) -> Bool {
        ["y", "yes", "true", "t", "1"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
