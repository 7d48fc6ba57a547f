import Foundation
import RuntimeSpec
import Testing

/// The mount kinds of a spec, seen from inside a container.
@Suite(.enabled(if: BusyboxBundle.privileged, "needs root and /bin/busybox"))
struct PrivilegedMountTests {
    /// A directory below `base` with `file` holding `text`.
    func hostDirectory(_ base: String, _ name: String, file: String? = nil, text: String = "") throws -> String {
        let path = base + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        if let file { try text.write(toFile: path + "/" + file, atomically: true, encoding: .utf8) }
        return path
    }

    @Test func overlayBindReadOnlyBindAndTmpfs() throws {
        var template = Array((NSTemporaryDirectory() + "stack-mounts-XXXXXX").utf8CString)
        let base = String(cString: try #require(mkdtemp(&template)))
        defer { try? FileManager.default.removeItem(atPath: base) }
        let lower = try hostDirectory(base, "lower", file: "from-lower", text: "lower\n")
        let upper = try hostDirectory(base, "upper")
        let work = try hostDirectory(base, "work")
        let shared = try hostDirectory(base, "shared", file: "data", text: "shared\n")
        let script = """
            cat /merged/from-lower; echo new > /merged/written && echo wrote-overlay
            cat /shared/data; echo x > /shared/x 2>/dev/null || echo bind-ro
            echo y > /scratch/y && grep -q ' /scratch tmpfs ' /proc/mounts && echo tmpfs-ok
            grep -q ' /dev/mqueue mqueue ' /proc/mounts && echo mqueue-ok
            grep ' /sys sysfs ' /proc/mounts | grep -q 'ro,' && echo sysfs-ro
            """
        let bundle = try BusyboxBundle(args: ["sh", "-c", script]) { spec in
            spec.mounts = (spec.mounts ?? []) + [
                Spec.Mount(
                    destination: "/merged", type: "overlay", source: "overlay",
                    options: ["lowerdir=\(lower)", "upperdir=\(upper)", "workdir=\(work)"]),
                Spec.Mount(destination: "/shared", type: "bind", source: shared, options: ["rbind", "ro"]),
                Spec.Mount(destination: "/scratch", type: "tmpfs", source: "tmpfs", options: ["nosuid", "size=1m"]),
            ]
        }
        defer { bundle.tearDown() }
        let result = try bundle.run()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == "lower\nwrote-overlay\nshared\nbind-ro\ntmpfs-ok\nmqueue-ok\nsysfs-ro\n",
            "\(result.stderr)")
        // The overlay's writes went to the upper directory on the host; the lower is untouched.
        #expect((try? String(contentsOfFile: upper + "/written", encoding: .utf8)) == "new\n")
        #expect(!FileManager.default.fileExists(atPath: lower + "/written"))
        #expect(!FileManager.default.fileExists(atPath: shared + "/x"))
        #expect(bundle.leftovers() == [])
    }
}
