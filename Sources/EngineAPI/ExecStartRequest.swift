/// `POST /exec/{id}/start`'s body.
struct ExecStartRequest: Codable, Sendable {
    var detach = false
    var tty = false

    init() {}

    enum CodingKeys: String, CodingKey { case detach = "Detach", tty = "Tty" }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        detach = try container.decodeIfPresent(Bool.self, forKey: .detach) ?? false
        tty = try container.decodeIfPresent(Bool.self, forKey: .tty) ?? false
    }
}
