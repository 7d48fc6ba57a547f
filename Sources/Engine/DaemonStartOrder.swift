/// The order in which containers come back when stackd starts: within a Compose project, a
/// service's containers after those of the services it depends on (the
/// `com.docker.compose.depends_on` label: `db:service_healthy:false,cache:service_started:true`);
/// otherwise, and for cycles, the order given. Docker starts them in no particular order.
enum DaemonStartOrder {
    struct Candidate: Sendable, Equatable {
        var id: String
        var labels: [String: String]
    }

    static func sorted(_ candidates: [Candidate]) -> [String] {
        var placed: Set<String> = []
        var order: [String] = []
        var visiting: Set<String> = []
        func key(_ candidate: Candidate) -> String? {
            guard let project = candidate.labels["com.docker.compose.project"],
                let service = candidate.labels["com.docker.compose.service"]
            else { return nil }
            return project + "/" + service
        }
        var byService: [String: [Candidate]] = [:]
        for candidate in candidates {
            if let key = key(candidate) { byService[key, default: []].append(candidate) }
        }
        func place(_ candidate: Candidate) {
            guard !placed.contains(candidate.id), !visiting.contains(candidate.id) else { return }
            visiting.insert(candidate.id)
            if let project = candidate.labels["com.docker.compose.project"],
                let needs = candidate.labels["com.docker.compose.depends_on"]
            {
                for entry in needs.split(separator: ",") {
                    guard let service = entry.split(separator: ":").first else { continue }
                    for dependency in byService[project + "/" + service] ?? [] { place(dependency) }
                }
            }
            visiting.remove(candidate.id)
            placed.insert(candidate.id)
            order.append(candidate.id)
        }
        for candidate in candidates { place(candidate) }
        return order
    }
}
