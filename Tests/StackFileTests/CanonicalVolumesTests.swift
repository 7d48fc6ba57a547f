import Testing
import StackCore
@testable import StackFile

@Suite struct CanonicalVolumesTests {
    static let cases: [(input: String, expected: String)] = [
        ("/data", "{type: volume, target: /data}"),
        ("/data/", "{type: volume, target: /data}"),
        ("db:/var/lib/db", "{type: volume, source: db, target: /var/lib/db}"),
        ("./src:/app", "{type: bind, source: ./src, target: /app, bind: {create_host_path: true}}"),
        ("../up:/app", "{type: bind, source: ../up, target: /app, bind: {create_host_path: true}}"),
        ("~/cfg:/etc/cfg:ro", "{type: bind, source: ~/cfg, target: /etc/cfg, read_only: true, bind: {create_host_path: true}}"),
        ("/src:/dst:ro,Z", "{type: bind, source: /src, target: /dst, read_only: true, bind: {selinux: Z, create_host_path: true}}"),
        ("/src:/dst:rw,rslave", "{type: bind, source: /src, target: /dst, bind: {propagation: rslave, create_host_path: true}}"),
        ("db:/data:nocopy", "{type: volume, source: db, target: /data, volume: {nocopy: true}}"),
        ("db:/data:bogus", "{type: volume, source: db, target: /data}"),
        ("/a/./b/../c:/x//y/", "{type: bind, source: /a/./b/../c, target: /x/y, bind: {create_host_path: true}}"),
        ("${HOST_DIR:-/tmp}:/data", "{type: volume, source: \"${HOST_DIR:-/tmp}\", target: /data}"),
    ]

    @Test(arguments: cases)
    func shortSyntaxExpands(input: String, expected: String) throws {
        let quoted = "'" + input + "'"  // no case contains a single quote
        #expect(try CanonFixture.field("volumes", "[\(quoted)]") == CanonFixture.plain("[\(expected)]"))
    }

    static let longCases: [(input: String, expected: String)] = [
        ("{type: volume, source: foo, target: /t, read_only: 'true'}", "{type: volume, source: foo, target: /t, read_only: true}"),
        ("{type: tmpfs, target: /app, tmpfs: {size: 1kb, mode: '1777'}}", "{type: tmpfs, target: /app, tmpfs: {size: 1024, mode: 1023}}"),
        ("{type: tmpfs, target: /app, tmpfs: {size: 10000}}", "{type: tmpfs, target: /app, tmpfs: {size: 10000}}"),
        ("{type: volume, source: v, target: /t, volume: {nocopy: 'false', subpath: etc, labels: [a=b]}}",
         "{type: volume, source: v, target: /t, volume: {nocopy: false, subpath: etc, labels: {a: b}}}"),
        ("{type: bind, source: ./o, target: /o, consistency: cached, bind: {create_host_path: 'false'}}",
         "{type: bind, source: ./o, target: /o, consistency: cached, bind: {create_host_path: false}}"),
    ]

    @Test(arguments: longCases)
    func longSyntaxIsNormalized(input: String, expected: String) throws {
        #expect(try CanonFixture.field("volumes", "[\(input)]") == CanonFixture.plain("[\(expected)]"))
    }

    static let invalid: [(entry: String, message: String, column: Int)] = [
        ("'/foo:/foo:ro:foo'", "too many colons", 9),
        ("':foo'", "empty section between colons", 9),
        ("'/foo::ro'", "empty section between colons", 9),
        ("''", "invalid empty volume spec", 9),
        ("{type: bind, target: /app}", "field Source must not be empty", 9),
        ("{type: tmpfs, target: /app, tmpfs: {size: -1}}", "greater than or equal to 0", 51),
        ("{type: tmpfs, target: /app, tmpfs: {size: 0.5}}", "must be an integer", 51),
        ("{type: tmpfs, target: /app, tmpfs: {size: lots}}", "invalid byte size", 51),
        ("42", "invalid type integer for service volume mount", 9),
    ]

    @Test(arguments: invalid)
    func invalidEntriesNameTheirPosition(entry: String, message: String, column: Int) throws {
        let error = try #require(try CanonFixture.error("services:\n  web:\n    volumes:\n      - /ok\n      - \(entry)\n"))
        #expect(error.message.contains(message), "\(error.message)")
        #expect(error.path?.hasPrefix("services.web.volumes[1]") == true)
        #expect(error.mark?.line == 5)
        #expect(error.mark?.column == column)
    }

    @Test func shortSyntaxParserTable() throws {
        let mount = try VolumeSyntax.parse("name:/target:ro,nocopy,z")
        #expect(mount.source == "name")
        #expect(mount.readOnly && mount.noCopy && mount.selinux == "z")
        #expect(mount.type == "volume")
        #expect(VolumeSyntax.cleanPath("a/../../b") == "../b")
        #expect(VolumeSyntax.cleanPath("/../x") == "/x")
    }
}
