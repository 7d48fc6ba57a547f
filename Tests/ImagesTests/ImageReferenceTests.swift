import Images
import StackCore
import Testing

@Suite struct ImageReferenceTests {
    static let hex = String(repeating: "0123456789abcdef", count: 4)

    @Test(arguments: [
        ("busybox", "docker.io/library/busybox:latest", "busybox:latest"),
        ("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36"),
        ("library/busybox", "docker.io/library/busybox:latest", "busybox:latest"),
        ("docker.io/busybox", "docker.io/library/busybox:latest", "busybox:latest"),
        ("index.docker.io/library/busybox:x", "docker.io/library/busybox:x", "busybox:x"),
        ("user/app:v1.0-rc_1", "docker.io/user/app:v1.0-rc_1", "user/app:v1.0-rc_1"),
        ("localhost:5000/a/b:t", "localhost:5000/a/b:t", "localhost:5000/a/b:t"),
        ("localhost/app", "localhost/app:latest", "localhost/app:latest"),
        ("registry.example.com/team/app", "registry.example.com/team/app:latest", "registry.example.com/team/app:latest"),
        ("ab__c/d.e-f--g", "docker.io/ab__c/d.e-f--g:latest", "ab__c/d.e-f--g:latest"),
        ("Registry.Example.com/app", "Registry.Example.com/app:latest", "Registry.Example.com/app:latest"),
        ("[::1]:5000/app:1", "[::1]:5000/app:1", "[::1]:5000/app:1"),
        ("busybox@sha256:" + hex, "docker.io/library/busybox@sha256:" + hex, "busybox@sha256:" + hex),
        ("busybox:1@sha256:" + hex, "docker.io/library/busybox:1@sha256:" + hex, "busybox:1@sha256:" + hex),
    ])
    func parsesAndNormalizes(text: String, full: String, familiar: String) throws {
        let reference = try ImageReference(parsing: text)
        #expect(reference.description == full)
        #expect(reference.familiar == familiar)
    }

    @Test func parts() throws {
        let reference = try ImageReference(parsing: "localhost:5000/a/b:t")
        #expect(reference.domain == "localhost:5000")
        #expect(reference.path == "a/b")
        #expect(reference.name == "localhost:5000/a/b")
        #expect(reference.tag == "t")
        #expect(reference.digest == nil)
        #expect(try ImageReference(parsing: "busybox", defaultTag: false).tag == nil)
        #expect(try ImageReference(parsing: "busybox").with(tag: "2").familiar == "busybox:2")
    }

    @Test(arguments: [
        ("", "empty"),
        ("Busybox", "must be lowercase"),
        ("busybox:", "invalid tag"),
        ("busybox:-x", "invalid tag"),
        ("busybox:" + String(repeating: "t", count: 129), "invalid tag"),
        ("a//b", "invalid repository name"),
        ("a/b_", "invalid repository name"),
        ("a/-b", "invalid repository name"),
        ("a___b", "invalid repository name"),
        (":tag", "missing repository name"),
        ("busybox@sha256:abc", "invalid digest"),
        ("busybox@md5:" + hex, "unsupported digest algorithm"),
        (hex, "64-byte hexadecimal"),
        ("bad_host:5000x/app", "invalid"),
        ("local host/app", "invalid"),
        ("a.b__c/app", "invalid registry"),
    ])
    func rejects(text: String, expected: String) {
        let error = #expect(throws: StackError.self) { try ImageReference(parsing: text) }
        #expect(error?.message.contains(expected) == true, "\(text): \(String(describing: error?.message))")
        #expect(error?.code == .invalidArgument)
    }
}
