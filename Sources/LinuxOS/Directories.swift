import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `mkdir -p`: every missing component of `path` made with `mode`; existing ones are left as they
/// are. The error names the component that could not be made.
public enum Directories {
    public static func make(_ path: String, mode: mode_t = 0o755) throws(StackError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, mode) != 0 {
                let error = Errno.current
                if error != .EEXIST { throw StackError.system("mkdir \(current)", error) }
            }
        }
    }
}
