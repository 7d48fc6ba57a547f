import StackCore

/// Applies an `NFTRuleset` with `nft -f -` (the script on stdin) and reads tables back.
public struct NFTables: Sendable {
    public var nftPath: String
    /// The network namespace (a file bound by `NetworkNamespace`) nft works in; nil: the
    /// caller's (stackd's) namespace.
    public var namespacePath: String?

    public init(nftPath: String = "/usr/sbin/nft", namespacePath: String? = nil) {
        self.nftPath = nftPath
        self.namespacePath = namespacePath
    }

    /// Replaces the ruleset's table in one transaction (`add table`, `delete table`, the new
    /// definition): the kernel sees the old table or the new one, never a mix. An empty ruleset
    /// deletes the table (quietly when there is none). Errors carry nft's own message.
    public func apply(_ ruleset: NFTRuleset) throws(StackError) {
        let output = try command(["-f", "-"]).run(input: ruleset.script())
        guard output.status == 0 else {
            let detail = output.standardError.trimmingTrailingNewlines
            throw StackError(.system, "nft: applying table ip \(ruleset.table) failed (exit status \(output.status))"
                + (detail.isEmpty ? "" : ": \(detail)"))
        }
    }

    /// `nft list table ip TABLE` text, or nil when there is no such table (or nft fails).
    public func currentTable(_ table: String) -> String? {
        guard let output = try? command(["list", "table", "ip", table]).run(input: ""), output.status == 0 else {
            return nil
        }
        return output.standardOutput
    }

    private func command(_ arguments: [String]) -> CapturedCommand {
        CapturedCommand(path: nftPath, arguments: arguments, namespacePath: namespacePath)
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = Substring(self)
        while text.last == "\n" || text.last == "\r" { text = text.dropLast() }
        return String(text)
    }
}
