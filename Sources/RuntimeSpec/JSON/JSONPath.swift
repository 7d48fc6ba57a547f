/// Renders coding paths the way messages name fields: `process.args[1]`, `linux.sysctl["net.ipv4.ip_forward"]`.
public enum JSONPath {
    /// The dotted path of `keys`; array positions in brackets, keys that are not plain names quoted in brackets.
    public static func render(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let position = key.intValue, key.stringValue == "Index \(position)" || key.stringValue == "\(position)" {
                text += "[\(position)]"
            } else if isPlainName(key.stringValue) {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            } else {
                text += "[\"\(key.stringValue)\"]"
            }
        }
        return text
    }

    private static func isPlainName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
        }
    }
}

/// A coding key for array positions and dictionary members built while decoding or encoding.
struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }
}
