import Foundation

/// One event as Compose prints it.
struct ComposeEvent {
    var timeNano: Int64
    var service: String
    var id: String
    var action: String
    var attributes: [String: String]

    private var date: Date { Date(timeIntervalSince1970: Double(timeNano) / 1e9) }

    /// `2026-11-29 14:00:00.123456 container start <id> (k=v, …)` (local time, attributes sorted).
    var text: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let micros = (timeNano / 1000) % 1_000_000
        let stamp = formatter.string(from: date) + "." + String(format: "%06d", Int(micros))
        let list = attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "\(stamp) container \(action) \(id) (\(list))"
    }

    /// `{"action":…,"attributes":{…},"id":…,"service":…,"time":"<RFC 3339>","type":"container"}`.
    var json: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let object: [String: Any] = [
            "time": formatter.string(from: date), "type": "container", "service": service, "id": id, "action": action,
            "attributes": attributes,
        ]
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: options) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
