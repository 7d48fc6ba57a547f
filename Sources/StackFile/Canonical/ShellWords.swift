/// Splits a command string into words the way Compose does for `command: "…"` and
/// `entrypoint: "…"` (the go-shellwords rules, without variable or command expansion):
///
/// - spaces, tabs and newlines separate words outside quotes;
/// - `'…'` keeps everything literally, backslash included;
/// - `"…"` keeps spaces; a backslash escapes the next character, inside or outside double quotes;
/// - `""` or `''` is an empty word;
/// - an unquoted `;`, `&`, `|`, `<` or `>` ends the command: the rest of the string is dropped
///   (so `a && b` gives `["a"]`, and a `2>` redirection drops its `2` as well);
/// - `$(…)` and backquotes are kept as text, with their spaces;
/// - an unterminated quote, a trailing backslash or a stray `(` is an error.
public enum ShellWords {
    /// The command string cannot be split.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Splits `s` into words.
    public static func split(_ s: String) throws(SyntaxError) -> [String] {
        var words: [String] = []
        var buffer = ""
        var hasWord = false
        var escaped = false
        var singleQuoted = false, doubleQuoted = false, backQuoted = false, dollarQuoted = false

        scan: for character in s.unicodeScalars {
            if escaped {
                buffer.unicodeScalars.append(character)
                escaped = false
                hasWord = true
                continue
            }
            if character == "\\" {
                if singleQuoted { buffer.unicodeScalars.append(character) } else { escaped = true }
                continue
            }
            if character == " " || character == "\t" || character == "\n" || character == "\r" {
                if singleQuoted || doubleQuoted || backQuoted || dollarQuoted {
                    buffer.unicodeScalars.append(character)
                } else if hasWord {
                    words.append(buffer)
                    buffer = ""
                    hasWord = false
                }
                continue
            }
            switch character {
            case "`":
                if !singleQuoted && !doubleQuoted && !dollarQuoted { backQuoted.toggle() }
            case ")":
                if !singleQuoted && !doubleQuoted && !backQuoted { dollarQuoted.toggle() }
            case "(":
                if !singleQuoted && !doubleQuoted && !backQuoted {
                    guard !dollarQuoted, buffer.hasSuffix("$") else {
                        throw SyntaxError("invalid command line string: unexpected '('")
                    }
                    dollarQuoted = true
                    buffer += "("
                    continue
                }
            case "\"":
                if !singleQuoted && !dollarQuoted {
                    if doubleQuoted { hasWord = true }
                    doubleQuoted.toggle()
                    continue
                }
            case "'":
                if !doubleQuoted && !dollarQuoted {
                    if singleQuoted { hasWord = true }
                    singleQuoted.toggle()
                    continue
                }
            case ";", "&", "|", "<", ">":
                if !(singleQuoted || doubleQuoted || backQuoted || dollarQuoted) {
                    // `2>file`: the descriptor number belongs to the redirection, not to the words.
                    if character == ">", let first = buffer.unicodeScalars.first, ("0"..."9").contains(first) {
                        hasWord = false
                    }
                    break scan
                }
            default:
                break
            }
            hasWord = true
            buffer.unicodeScalars.append(character)
        }
        if hasWord { words.append(buffer) }
        if escaped { throw SyntaxError("invalid command line string: trailing backslash") }
        if singleQuoted || doubleQuoted { throw SyntaxError("invalid command line string: unterminated quote") }
        if backQuoted || dollarQuoted {
            throw SyntaxError("invalid command line string: unterminated command substitution")
        }
        return words
    }
}
