import Testing
@testable import Engine

@Suite struct DaemonStartOrderTests {
    func candidate(_ id: String, _ service: String, project: String = "p", needs: String? = nil) -> DaemonStartOrder.Candidate {
        var labels = ["com.docker.compose.project": project, "com.docker.compose.service": service]
        if let needs { labels["com.docker.compose.depends_on"] = needs }
        return DaemonStartOrder.Candidate(id: id, labels: labels)
    }

    @Test func dependenciesComeFirstWithinTheirProject() {
        let order = DaemonStartOrder.sorted([
            candidate("web1", "web", needs: "api:service_started:false"),
            candidate("plain", "x", project: "q"),
            candidate("api1", "api", needs: "db:service_healthy:false,cache:service_started:true"),
            candidate("db1", "db"), candidate("db2", "db"),
            candidate("otherdb", "db", project: "q"),
            DaemonStartOrder.Candidate(id: "bare", labels: [:]),
        ])
        #expect(order == ["db1", "db2", "api1", "web1", "plain", "otherdb", "bare"])
    }

    @Test func cyclesKeepTheGivenOrder() {
        let order = DaemonStartOrder.sorted([
            candidate("a1", "a", needs: "b:service_started:false"), candidate("b1", "b", needs: "a:service_started:false"),
        ])
        #expect(Set(order) == ["a1", "b1"])
        #expect(order.count == 2)
    }
}
