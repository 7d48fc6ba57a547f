import StackCore

/// The numeric identity a container process runs as.
public struct ResolvedUser: Sendable, Hashable {
    public var uid: UInt32
    public var gid: UInt32
    public var additionalGids: [UInt32]
    /// The home directory from /etc/passwd (`/` when unknown); becomes HOME unless the env sets it.
    public var home: String

    public init(uid: UInt32 = 0, gid: UInt32 = 0, additionalGids: [UInt32] = [], home: String = "/") {
        self.uid = uid
        self.gid = gid
        self.additionalGids = additionalGids
        self.home = home
    }

    public static let root = ResolvedUser(uid: 0, gid: 0, additionalGids: [], home: "/root")
}

/// Resolves `-u` (`name`, `uid`, `name:group`, `uid:gid`; empty = root) against the texts of the rootfs's
/// /etc/passwd and /etc/group (nil when the file is absent), as runc does:
/// - a user name must be in passwd; a numeric uid need not be (its gid is then 0 unless given);
/// - a group name must be in group; a numeric gid need not be;
/// - without an explicit group, the groups that list the user's name are the supplementary groups.
public enum UserResolver {
    /// The largest id Docker and runc accept.
    public static let maximumID: UInt32 = 2_147_483_647

    struct PasswdEntry {
        var name: String
        var uid: UInt32
        var gid: UInt32
        var home: String
    }

    struct GroupEntry {
        var name: String
        var gid: UInt32
        var members: [String]
    }

    public static func resolve(_ spec: String, passwd: String?, group: String?, path: String = "User") throws(StackError)
        -> ResolvedUser
    {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let userPart = parts.first ?? ""
        let groupPart = parts.count > 1 ? parts[1] : ""
        let users = parsePasswd(passwd ?? "")
        let groups = parseGroups(group ?? "")

        var result = ResolvedUser()
        var matchedName: String?
        if userPart.isEmpty {
            if let entry = users.first(where: { $0.uid == 0 }) ?? users.first(where: { $0.name == "root" }) {
                result = ResolvedUser(uid: entry.uid, gid: entry.gid, home: entry.home)
                matchedName = entry.name
            } else {
                result.home = "/root"
            }
        } else if let uid = try numericID(userPart, path: path) {
            result.uid = uid
            if let entry = users.first(where: { $0.uid == uid }) {
                result.gid = entry.gid
                result.home = entry.home
                matchedName = entry.name
            }
        } else {
            guard let entry = users.first(where: { $0.name == userPart }) else {
                throw StackError(
                    .notFound, "unable to find user \(userPart): no matching entries in passwd file", path: path)
            }
            result = ResolvedUser(uid: entry.uid, gid: entry.gid, home: entry.home)
            matchedName = entry.name
        }

        if !groupPart.isEmpty {
            if let gid = try numericID(groupPart, path: path) {
                result.gid = gid
            } else {
                guard let entry = groups.first(where: { $0.name == groupPart }) else {
                    throw StackError(
                        .notFound, "unable to find group \(groupPart): no matching entries in group file", path: path)
                }
                result.gid = entry.gid
            }
        } else if let matchedName {
            var seen = Set<UInt32>()
            result.additionalGids = groups.filter { $0.members.contains(matchedName) }.map(\.gid)
                .filter { seen.insert($0).inserted }
        }
        return result
    }

    /// A decimal id, nil when the text is not all digits; out of range is an error.
    static func numericID(_ text: String, path: String) throws(StackError) -> UInt32? {
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard let value = UInt64(text), value <= UInt64(maximumID) else {
            throw StackError(.invalidArgument, "uids and gids must be in range 0-\(maximumID)", path: path)
        }
        return UInt32(value)
    }

    static func parsePasswd(_ text: String) -> [PasswdEntry] {
        records(text).compactMap { (fields: [String]) -> PasswdEntry? in
            guard fields.count >= 4, let uid = UInt32(fields[2]), let gid = UInt32(fields[3]) else { return nil }
            let home = fields.count > 5 && !fields[5].isEmpty ? fields[5] : "/"
            return PasswdEntry(name: fields[0], uid: uid, gid: gid, home: home)
        }
    }

    static func parseGroups(_ text: String) -> [GroupEntry] {
        records(text).compactMap { (fields: [String]) -> GroupEntry? in
            guard fields.count >= 3, let gid = UInt32(fields[2]) else { return nil }
            let members = fields.count > 3 ? fields[3].split(separator: ",").map { String($0).trimmingSpaces() } : []
            return GroupEntry(name: fields[0], gid: gid, members: members)
        }
    }

    /// Colon-separated records, skipping blank lines and `#` comments.
    private static func records(_ text: String) -> [[String]] {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).compactMap { line in
            let trimmed = String(line).trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
            return trimmed.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        }
    }
}
