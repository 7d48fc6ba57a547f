import Foundation
import Networking
import StackCore
import Testing

/// `nft -f -` in a network namespace the test creates: the host's ruleset is never touched.
@Suite(.serialized, .enabled(if: NamespaceFixture.isRoot, "needs root for network namespaces"))
struct NFTablesTests {
    @Test func applyReplacesTheTableWholeAndEmptyDeletesIt() throws {
        let fixture = try NamespaceFixture("dp-nft")
        let namespace = try fixture.namespace("n1")
        let nft = NFTables(namespacePath: namespace)
        #expect(nft.currentTable("stk") == nil)

        let full = try NFTRulesetTests.fullRuleset()
        try nft.apply(full)
        // nft lists the table exactly as the generator writes it.
        #expect(nft.currentTable("stk") == NFTRulesetTests.fullDefinition)
        // The host's namespace has no such table (unless something else made one: compare inodes).
        let hostList = try NamespaceFixture.run("/usr/sbin/nft", ["list", "table", "ip", "stk"])
        #expect(hostList.status != 0)

        // A smaller ruleset replaces the table whole: nothing of the old one stays.
        let small = NFTRuleset(table: "stk",
            networks: [NFTNetwork(bridge: "stk0", subnet: try #require(CIDR("10.213.1.0/24")), internal: false)], ports: [])
        try nft.apply(small)
        #expect(nft.currentTable("stk") == small.definition())

        // A script nft refuses: the error carries nft's message and the old table stays.
        let broken = NFTRuleset(table: "stk",
            networks: [NFTNetwork(bridge: "bad\"name", subnet: try #require(CIDR("10.213.1.0/24")), internal: false)],
            ports: [])
        do {
            try nft.apply(broken)
            Issue.record("nft accepted a broken script")
        } catch {
            #expect(error.message.contains("nft: applying table ip stk failed"))
            #expect(error.message.contains("Error:"))
        }
        #expect(nft.currentTable("stk") == small.definition())

        // Empty: the table goes; applying it again when there is none is quiet.
        try nft.apply(NFTRuleset(table: "stk", networks: [], ports: []))
        #expect(nft.currentTable("stk") == nil)
        try nft.apply(NFTRuleset(table: "stk", networks: [], ports: []))
        let listed = try NamespaceFixture.inside(namespace, ["/usr/sbin/nft", "list", "ruleset"])
        #expect(listed.output.isEmpty)
    }

    @Test func missingNftIsAnError() throws {
        let fixture = try NamespaceFixture("dp-nft-missing")
        let namespace = try fixture.namespace("n1")
        let nft = NFTables(nftPath: "/nonexistent/nft", namespacePath: namespace)
        #expect(throws: StackError.self) { try nft.apply(NFTRuleset(table: "stk", networks: [], ports: [])) }
        #expect(nft.currentTable("stk") == nil)
    }
}
