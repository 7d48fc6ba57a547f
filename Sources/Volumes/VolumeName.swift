import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// Volume names as Docker's local driver accepts them: `[a-zA-Z0-9][a-zA-Z0-9_.-]+` (at least two
/// characters, so no `/`, and never `.` or `..`); anonymous volumes get 64 random hex digits.
public enum VolumeName {
    /// The allowed characters as Docker's error message quotes them.
    public static let allowedCharacters = "[a-zA-Z0-9][a-zA-Z0-9_.-]"

    /// Throws `.invalidArgument` with Docker's message when `name` is not a valid local volume name.
    public static func validate(_ name: String) throws(StackError) {
        let bytes = Array(name.utf8)
        if bytes.count == 1 {
            throw StackError(
                .invalidArgument, "volume name is too short, names should be at least two alphanumeric characters")
        }
        guard let first = bytes.first, isAlphanumeric(first),
            bytes.dropFirst().allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") })
        else {
            throw StackError(
                .invalidArgument,
                "\"\(name)\" includes invalid characters for a local volume name, only \"\(allowedCharacters)\" "
                    + "are allowed. If you intended to pass a host directory, use absolute path")
        }
    }

    /// True when `name` passes `validate`.
    public static func isValid(_ name: String) -> Bool {
        do {
            try validate(name)
            return true
        } catch {
            return false
        }
    }

    /// A fresh anonymous volume name: 64 lower-case hex digits from the system's random source.
    public static func anonymous() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        return String((0..<64).map { _ in digits[Int(generator.next() % 16)] })
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
