import StackCore
import Store
import Testing

/// The deployment journal: one running deployment per project, steps recorded as they end,
/// what a crash left found again after reopening.
@Suite struct DeploymentTableTests {
    @Test func stepsSurviveAReopenAndOneRunsPerProject() throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try StateStore(path: directory.database)
            try store.deployments.begin(DeploymentRecord(id: "d1", project: "demo", plan: "{}", createdAt: 1))
            try store.deployments.markDone("d1", step: 2)
            try store.deployments.markDone("d1", step: 1)
            try store.deployments.markDone("d1", step: 1)
            // A second deployment of the same project is refused while the first runs; another project's is not.
            let refused = #expect(throws: StackError.self) {
                try store.deployments.begin(DeploymentRecord(id: "d2", project: "demo", plan: "{}", createdAt: 2))
            }
            #expect(refused?.code == .conflict)
            #expect(refused?.message.contains("d1") == true)
            try store.deployments.begin(DeploymentRecord(id: "o1", project: "other", plan: "{}", createdAt: 3))
            try store.deployments.finish("o1", state: .done)
        }
        // As after a crash: the journal still says what was done.
        let store = try StateStore(path: directory.database)
        let unfinished = try store.deployments.unfinished()
        #expect(unfinished.map(\.id) == ["d1"])
        #expect(unfinished.first?.doneSteps == [1, 2])
        try store.deployments.finish("d1", state: .failed, error: "step 3. start container demo-web-1: boom")
        #expect(try store.deployments.get("d1")?.error == "step 3. start container demo-web-1: boom")
        #expect(try store.deployments.unfinished().isEmpty)
        // The next deployment of the project drops the finished ones (and their steps).
        try store.deployments.begin(DeploymentRecord(id: "d3", project: "demo", plan: "{}", createdAt: 4))
        #expect(try store.deployments.list(project: "demo").map(\.id) == ["d3"])
        #expect(try store.deployments.get("d1") == nil)
    }
}
