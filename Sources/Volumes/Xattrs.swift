import CVolumes
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// Extended attributes of a file named by path, never following a final symlink (`l*xattr`).
///
/// Callers name files as `/proc/self/fd/<dirfd>/<name>`, so only the last component is looked up
/// by name and it is never followed.
enum Xattrs {
    /// Overlay's own attributes steer the overlay mount: never copied.
    static let overlayPrefix = "trusted.overlay."

    /// The attributes of `path` except `trusted.overlay.*`. A file system without xattr support gives none.
    static func read(_ path: String) throws(StackError) -> [(name: String, value: [UInt8])] {
        var size = cv_llistxattr(path, nil, 0)
        if size < 0 { return try tolerate(path, "llistxattr") }
        if size == 0 { return [] }
        var list = [CChar](repeating: 0, count: size)
        while true {
            let count = list.count
            size = list.withUnsafeMutableBufferPointer { cv_llistxattr(path, $0.baseAddress, count) }
            if size >= 0 { break }
            guard Errno(cv_errno()) == Errno(ERANGE) else { return try tolerate(path, "llistxattr") }
            list = [CChar](repeating: 0, count: count * 2)
        }
        var result: [(name: String, value: [UInt8])] = []
        let bytes = list.prefix(size).map { UInt8(bitPattern: $0) }
        for nameBytes in bytes.split(separator: 0, omittingEmptySubsequences: true) {
            let name = String(decoding: nameBytes, as: UTF8.self)
            if name.hasPrefix(overlayPrefix) { continue }
            if let value = try value(path, name) { result.append((name, value)) }
        }
        return result
    }

    /// One attribute's value; nil when it vanished in the meantime.
    static func value(_ path: String, _ name: String) throws(StackError) -> [UInt8]? {
        while true {
            let size = cv_lgetxattr(path, name, nil, 0)
            if size < 0 {
                let error = Errno(cv_errno())
                if error == Errno(ENODATA) { return nil }
                throw StackError(.system, "lgetxattr \(path) \(name)", cause: error)
            }
            var value = [UInt8](repeating: 0, count: size)
            let count = value.count
            let got = value.withUnsafeMutableBytes { cv_lgetxattr(path, name, $0.baseAddress, count) }
            if got >= 0 { return Array(value.prefix(got)) }
            let error = Errno(cv_errno())
            if error == Errno(ERANGE) { continue }  // it grew between the two calls
            if error == Errno(ENODATA) { return nil }
            throw StackError(.system, "lgetxattr \(path) \(name)", cause: error)
        }
    }

    /// Set every attribute on `path`. Unsupported attributes (the destination's file system has no
    /// xattrs, or an unprivileged caller cannot set `trusted.*`) are skipped; other failures throw.
    static func write(_ path: String, _ xattrs: [(name: String, value: [UInt8])]) throws(StackError) {
        for (name, value) in xattrs where !name.hasPrefix(overlayPrefix) {
            let rc = value.withUnsafeBytes { cv_lsetxattr(path, name, $0.baseAddress, $0.count) }
            if rc == 0 { continue }
            let error = Errno(cv_errno())
            if error == .EOPNOTSUPP { continue }
            if error == .EPERM && !name.hasPrefix("user.") { continue }
            throw StackError(.system, "lsetxattr \(path) \(name)", cause: error)
        }
    }

    /// No xattr support on the file system (or none for this file type) reads as no attributes.
    private static func tolerate(_ path: String, _ call: String) throws(StackError) -> [(name: String, value: [UInt8])] {
        let error = Errno(cv_errno())
        if error == .EOPNOTSUPP { return [] }
        throw StackError(.system, "\(call) \(path)", cause: error)
    }
}
