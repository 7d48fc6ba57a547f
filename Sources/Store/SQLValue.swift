#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A value bound to a statement parameter: sqlite's five storage classes.
///
/// The optional initialisers map `nil` to `.null`, so optional record fields bind directly.
public enum SQLValue: Sendable, Equatable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case null

    /// An integer, or NULL.
    public init<I: BinaryInteger>(_ value: I?) {
        if let value { self = .integer(Int64(value)) } else { self = .null }
    }

    /// 1 or 0, or NULL.
    public init(_ value: Bool?) {
        if let value { self = .integer(value ? 1 : 0) } else { self = .null }
    }

    /// A real, or NULL.
    public init(_ value: Double?) {
        if let value { self = .real(value) } else { self = .null }
    }

    /// A text value, or NULL.
    public init(_ value: String?) {
        if let value { self = .text(value) } else { self = .null }
    }

    /// A blob, or NULL.
    public init(_ value: Data?) {
        if let value { self = .blob([UInt8](value)) } else { self = .null }
    }
}

extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByFloatLiteral,
    ExpressibleByNilLiteral
{
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(nilLiteral: ()) { self = .null }
}
