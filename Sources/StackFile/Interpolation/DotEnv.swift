import StackCore

/// Parses `.env` files and service `env_file`s as Compose does.
///
/// Default format (compose-go `dotenv` semantics):
/// - `KEY=VALUE`, `KEY: VALUE`, `export KEY=VALUE`; blanks around the key and after `=` are ignored.
///   Keys are letters, digits, `_ . - [ ]` (Unicode letters and digits too; a leading digit is kept).
/// - `#` starts a comment at the start of a statement; in an unquoted value only ` #` starts one.
/// - Unquoted values run to the end of the line, trailing blanks removed; `${VAR}`/`$VAR` are substituted.
/// - `'single'` quotes are literal (only `\'` is unescaped) and may span lines.
/// - `"double"` quotes may span lines, unescape `\" \\ \n \r \t \a \b \f \v \$ \0ooo`, then substitute.
/// - Text after a closing quote on the same line is parsed as the next statement (a comment, usually).
/// - A bare `KEY` takes its value from `lookup`; without one its value is nil (Compose drops it).
/// - Substitution looks names up in `lookup` first, then in the values assigned earlier in the file.
///
/// The result keeps the order in which keys first appear; a later assignment replaces the value of an
/// earlier one (in place), while a bare `KEY` that `lookup` cannot resolve never replaces a value.
///
/// Deliberate differences from compose-go: an empty key (`=value`) is an error instead of the key
/// `""`; a bare `KEY` on the last line without a newline is a bare key (compose-go parses it as the
/// value of the key `""`).
public enum DotEnv {
    /// One variable of an env file: its value, or nil for a bare key that could not be resolved.
    public typealias Entry = (key: String, value: String?)

    /// Parses env-file `text` read from `file` (named in errors), dropping substitution warnings.
    public static func parse(
        _ text: String, file: String, lookup: (String) -> String?
    ) throws(StackError) -> [Entry] {
        var warnings: [StackWarning] = []
        return try parse(text, file: file, lookup: lookup, warnings: &warnings)
    }

    /// Parses env-file `text`; unset variables used without a default add warnings (as Compose logs them).
    ///
    /// - Throws: `StackError.invalidStackFile` at `file:line:column` for a malformed line, an
    ///   unterminated quote or an invalid / required-but-missing substitution.
    public static func parse(
        _ text: String, file: String, lookup: (String) -> String?, warnings: inout [StackWarning]
    ) throws(StackError) -> [Entry] {
        var parser = DotEnvParser(text: text, file: file)
        return try parser.parse(lookup: lookup, warnings: &warnings)
    }

    /// Parses an env file in the `raw` format (`env_file: {format: raw}`, `docker run --env-file`):
    /// one `KEY=VALUE` per line, the value taken verbatim (no quotes, escapes, comments or substitution;
    /// trailing blanks kept). Blank lines and lines starting with `#` are skipped; leading blanks are
    /// ignored; a bare `KEY` takes its value from `lookup` (nil when it has none).
    ///
    /// - Throws: `StackError.invalidStackFile` for a line without a key or a key containing blanks.
    public static func parseRaw(
        _ text: String, file: String, lookup: (String) -> String?
    ) throws(StackError) -> [Entry] {
        var result = OrderedEntries()
        var lineNumber = 0
        // Split on scalars: as Characters, "\r\n" would be a single grapheme.
        for rawLine in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.unicodeScalars.last == "\r" { line = Substring(line.unicodeScalars.dropLast()) }
            if lineNumber == 1, line.unicodeScalars.first == "\u{FEFF}" { line = Substring(line.unicodeScalars.dropFirst()) }
            line = Substring(line.unicodeScalars.drop(while: { $0.properties.isWhitespace }))
            if line.isEmpty || line.unicodeScalars.first == "#" { continue }

            let mark = SourceMark(file: file, line: lineNumber, column: 1)
            let key: Substring
            let value: Substring?
            let scalars = line.unicodeScalars
            if let equals = scalars.firstIndex(of: "=") {
                key = Substring(scalars[..<equals])
                value = Substring(scalars[scalars.index(after: equals)...])
            } else {
                key = line
                value = nil
            }
            if key.isEmpty {
                throw StackError(.invalidStackFile, "no variable name on line '\(line)'", mark: mark)
            }
            if key.unicodeScalars.contains(where: { $0 == " " || $0 == "\t" }) {
                throw StackError(.invalidStackFile, "variable '\(key)' contains whitespaces", mark: mark)
            }
            if let value {
                result.assign(String(key), String(value))
            } else {
                result.declare(String(key), lookup(String(key)))
            }
        }
        return result.entries
    }
}

/// Env-file entries in first-appearance order, later assignments replacing earlier values.
struct OrderedEntries {
    private(set) var entries: [DotEnv.Entry] = []
    private var positions: [String: Int] = [:]

    /// The value assigned so far (nil when absent or unresolved).
    subscript(key: String) -> String? {
        guard let index = positions[key] else { return nil }
        return entries[index].value
    }

    /// `KEY=VALUE`: sets or replaces the value.
    mutating func assign(_ key: String, _ value: String) {
        if let index = positions[key] {
            entries[index].value = value
        } else {
            positions[key] = entries.count
            entries.append((key, value))
        }
    }

    /// Bare `KEY`: a resolved value replaces; an unresolved one only records the key when new.
    mutating func declare(_ key: String, _ value: String?) {
        if let value {
            assign(key, value)
        } else if positions[key] == nil {
            positions[key] = entries.count
            entries.append((key, nil))
        }
    }
}
