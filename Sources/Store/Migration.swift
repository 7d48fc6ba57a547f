import StackCore

/// One step of the schema's history: it takes the database from `version - 1` to `version`.
///
/// Steps are never edited once released; a schema change is a new step appended to the list.
public struct Migration: Sendable {
    /// The schema version this step produces (1 for the first).
    public let version: Int
    /// What the step does, for errors and logs.
    public let summary: String
    /// Applies the step; runs inside the migration's transaction.
    public let apply: @Sendable (Connection) throws(StackError) -> Void

    /// Creates a step producing `version`.
    public init(version: Int, summary: String, apply: @escaping @Sendable (Connection) throws(StackError) -> Void) {
        self.version = version
        self.summary = summary
        self.apply = apply
    }

    /// A step that runs fixed SQL.
    public init(version: Int, summary: String, sql: String) {
        self.init(version: version, summary: summary) { (connection) throws(StackError) in
            try connection.execute(sql, step: "migrate to schema version \(version) (\(summary))")
        }
    }
}
