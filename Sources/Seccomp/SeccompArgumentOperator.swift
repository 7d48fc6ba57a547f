import CSeccomp
import StackCore

/// How a seccomp rule compares a syscall argument: the OCI `SCMP_CMP_*` names.
public enum SeccompArgumentOperator: String, Sendable, Hashable, CaseIterable {
    case notEqual = "SCMP_CMP_NE"
    case lessThan = "SCMP_CMP_LT"
    case lessOrEqual = "SCMP_CMP_LE"
    case equal = "SCMP_CMP_EQ"
    case greaterOrEqual = "SCMP_CMP_GE"
    case greaterThan = "SCMP_CMP_GT"
    /// `(arg & value) == valueTwo`.
    case maskedEqual = "SCMP_CMP_MASKED_EQ"

    /// Parses an OCI operator name; `path` names the field in the error.
    public init(name: String, path: String? = nil) throws(StackError) {
        guard let op = SeccompArgumentOperator(rawValue: name) else {
            throw StackError(.invalidArgument, "unknown seccomp argument operator \"\(name)\"", path: path)
        }
        self = op
    }

    var libseccompValue: scmp_compare {
        switch self {
        case .notEqual: return SCMP_CMP_NE
        case .lessThan: return SCMP_CMP_LT
        case .lessOrEqual: return SCMP_CMP_LE
        case .equal: return SCMP_CMP_EQ
        case .greaterOrEqual: return SCMP_CMP_GE
        case .greaterThan: return SCMP_CMP_GT
        case .maskedEqual: return SCMP_CMP_MASKED_EQ
        }
    }
}
