import StackCore

/// The `deployments` and `deployment_steps` tables: the journal of the plans stackd carries out.
/// A step is recorded as done in its own transaction as soon as it ends, so after a crash the
/// journal says exactly what is left.
public struct DeploymentTable: Sendable {
    /// The database the tables live in.
    public let database: Database

    /// Wraps `database` (already migrated).
    public init(database: Database) {
        self.database = database
    }

    /// Journals a new deployment. The project's earlier finished deployments are dropped; one
    /// still running refuses it with `.conflict` (one deployment per project at a time).
    public func begin(_ record: DeploymentRecord) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in
            let running = try connection.queryFirst(
                "SELECT id FROM deployments WHERE project = ? AND state = 'running'", [.text(record.project)],
                step: "find running deployment") { row in row.string(0) }.flatMap { $0 }
            if let running {
                throw StackError(
                    .conflict, "project \(record.project): another deployment (\(running)) is under way; try again when it ends")
            }
            try connection.run(
                "DELETE FROM deployments WHERE project = ?", [.text(record.project)], step: "drop finished deployments")
            try connection.run(
                "INSERT INTO deployments (id, project, plan, created_at, state, error) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    .text(record.id), .text(record.project), .text(record.plan), .real(record.createdAt),
                    .text(record.state.rawValue), record.error.map(SQLValue.text) ?? .null,
                ], step: "insert deployment")
            for step in record.doneSteps.sorted() {
                try connection.run(
                    "INSERT INTO deployment_steps (deployment, step) VALUES (?, ?)", [.text(record.id), .integer(Int64(step))],
                    step: "record step")
            }
        }
    }

    /// Records that `step` of `deployment` has finished.
    public func markDone(_ deployment: String, step: Int) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in
            try connection.run(
                "INSERT OR IGNORE INTO deployment_steps (deployment, step) VALUES (?, ?)",
                [.text(deployment), .integer(Int64(step))], step: "record step \(step) of deployment \(deployment)")
        }
    }

    /// Ends a deployment: done, or failed with the reason.
    public func finish(_ deployment: String, state: DeploymentRecord.State, error: String? = nil) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in
            try connection.run(
                "UPDATE deployments SET state = ?, error = ? WHERE id = ?",
                [.text(state.rawValue), error.map(SQLValue.text) ?? .null, .text(deployment)], step: "finish deployment")
        }
    }

    /// The deployment with this id, with its finished steps, or nil.
    public func get(_ id: String) throws(StackError) -> DeploymentRecord? {
        try list(where: "id = ?", [.text(id)]).first
    }

    /// Deployments still marked running (at stackd's start: the ones a crash interrupted), oldest first.
    public func unfinished() throws(StackError) -> [DeploymentRecord] {
        try list(where: "state = 'running'", [])
    }

    /// Every journaled deployment of `project` (at most the last finished one and a running one).
    public func list(project: String) throws(StackError) -> [DeploymentRecord] {
        try list(where: "project = ?", [.text(project)])
    }

    private func list(where condition: String, _ values: [SQLValue]) throws(StackError) -> [DeploymentRecord] {
        try database.read { (connection) throws(StackError) in
            var records = try connection.query(
                "SELECT id, project, plan, created_at, state, error FROM deployments WHERE \(condition) ORDER BY created_at, id",
                values, step: "list deployments"
            ) { row in
                DeploymentRecord(
                    id: row.string(0) ?? "", project: row.string(1) ?? "", plan: row.string(2) ?? "",
                    createdAt: row.double(3) ?? 0, state: DeploymentRecord.State(rawValue: row.string(4) ?? "") ?? .failed,
                    error: row.string(5))
            }
            for index in records.indices {
                let steps = try connection.query(
                    "SELECT step FROM deployment_steps WHERE deployment = ?", [.text(records[index].id)],
                    step: "list deployment steps") { row in row.int(0) ?? 0 }
                records[index].doneSteps = Set(steps)
            }
            return records
        }
    }
}
