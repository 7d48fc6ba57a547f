/// A position in a stack file: the file path and a 1-based line and column.
public struct SourceMark: Sendable, Hashable, CustomStringConvertible {
    /// The file the node was read from (as given, or absolute after discovery).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A mark for values that did not come from a file (defaults, command-line flags).
    public static func synthetic(_ origin: String) -> SourceMark {
        SourceMark(file: origin, line: 0, column: 0)
    }

    /// True when the mark points into a real file.
    public var isSynthetic: Bool { line == 0 }

    /// `file:line:column`, or just the origin for synthetic marks.
    public var description: String {
        isSynthetic ? file : "\(file):\(line):\(column)"
    }
}
