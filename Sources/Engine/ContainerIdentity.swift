import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Container ids (64 random lowercase hex digits, as Docker's) and generated names.
public enum ContainerIdentity {
    /// A new random id from getrandom(2).
    public static func newID() -> String {
        var generator = SystemRandomNumberGenerator()  // getrandom(2) underneath
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The 12-digit form `ls` prints and the default hostname uses.
    public static func short(_ id: String) -> String { String(id.prefix(12)) }

    /// A generated name `adjective_noun` (Docker's style, our own words); `taken` says which are in use.
    public static func generateName(taken: (String) -> Bool) -> String {
        for attempt in 0..<64 {
            var name = adjectives.randomElement().map { "\($0)_" } ?? ""
            name += nouns.randomElement() ?? "container"
            if attempt >= 8 { name += String(Int.random(in: 0..<100)) }
            if !taken(name) { return name }
        }
        return "container_" + short(newID())
    }

    /// Docker's rule for names given with `--name`: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
    public static func validate(name: String) throws(StackError) {
        let first = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        let rest = first.union("_.-")
        guard let head = name.first, first.contains(head), name.count >= 2, name.dropFirst().allSatisfy(rest.contains)
        else {
            throw StackError(
                .invalidArgument, "invalid container name \"\(name)\", only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
        }
    }

    static let adjectives = [
        "amber", "brave", "calm", "clever", "crisp", "daring", "eager", "fancy", "gentle", "happy", "honest",
        "jolly", "keen", "kind", "lively", "lucid", "merry", "mellow", "nimble", "noble", "patient", "polite",
        "proud", "quick", "quiet", "rapid", "serene", "sharp", "shy", "silent", "smart", "steady", "sunny",
        "swift", "tender", "tidy", "vivid", "warm", "wise", "witty", "zealous", "bold", "bright", "cosy",
    ]
    static let nouns = [
        "alder", "aspen", "birch", "cedar", "cypress", "elm", "fir", "hazel", "hemlock", "juniper", "larch",
        "linden", "maple", "oak", "olive", "pine", "poplar", "rowan", "sequoia", "spruce", "willow", "yew",
        "heron", "finch", "falcon", "kestrel", "lark", "osprey", "owl", "plover", "raven", "robin", "swallow",
        "swift", "tern", "wren", "puffin", "magpie", "egret", "ibis", "crane", "condor", "dipper", "gannet",
    ]
}
