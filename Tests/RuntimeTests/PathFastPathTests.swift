import Cgroups
import ContainerInit
import LinuxOS
import StackCore
import Testing

/// The byte-level fast paths added for start-up speed must give what the plain algorithms gave.
/// Each is checked against a straightforward reference (the previous implementation) over
/// paths that exercise every special case.
@Suite struct PathFastPathTests {
    static let paths = [
        "/", "//", "///", "", ".", "..", "a", "a/b", "/a", "/a/", "/a//b", "/a/./b", "/a/../b", "/a/b/..",
        "/a/b/.", "/./a", "/../a", "/...", "/a/...", "/.a", "/a./b", "/..a/b..", "/a/b/c", "/dev/pts",
        "/sys/fs/cgroup/memory/stack-runtime/x", "relative/../x", "/a b/c\td", "/é/ü", "/a/.../..", "/a/b//",
    ]

    /// `PathJoin.clean` as it was: split, resolve, join.
    static func referenceClean(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    @Test func cleanMatchesTheReferenceForEveryShapeOfPath() {
        for path in Self.paths {
            #expect(PathJoin.clean(path) == Self.referenceClean(path), "\(path)")
        }
    }

    @Test func cleanKeepsCleanPathsAndFixesTheOthers() {
        #expect(PathJoin.clean("/dev/pts") == "/dev/pts")
        #expect(PathJoin.clean("/") == "/")
        #expect(PathJoin.clean("/a/b/") == "/a/b")
        #expect(PathJoin.clean("/a/./b/../c") == "/a/c")
        #expect(PathJoin.clean("/...") == "/...")
        #expect(PathJoin.inRoot("/rootfs", "/../../etc") == "/rootfs/etc")
    }

    @Test func cgroupJoinAndRelativeMatchTheReference() {
        func referenceJoin(_ base: String, _ relative: String) -> String {
            let components = (base.split(separator: "/") + relative.split(separator: "/")).filter { $0 != "." }
            return "/" + components.joined(separator: "/")
        }
        func referenceRelative(_ path: String, _ base: String) -> String? {
            let pathComponents = path.split(separator: "/")
            let baseComponents = base.split(separator: "/")
            guard pathComponents.starts(with: baseComponents) else { return nil }
            return "/" + pathComponents.dropFirst(baseComponents.count).joined(separator: "/")
        }
        for base in Self.paths {
            for relative in Self.paths {
                #expect(CgroupPath.join(base, relative) == referenceJoin(base, relative), "\(base) + \(relative)")
                #expect(
                    CgroupPath.relative(relative, to: base) == referenceRelative(relative, base), "\(relative) in \(base)")
            }
        }
        #expect(CgroupPath.relative("/a/b/c", to: "/a") == "/b/c")
        #expect(CgroupPath.relative("/ab/c", to: "/a") == nil)
        #expect(CgroupPath.relative("/a", to: "/a") == "/")
    }

    @Test func jsonQuotingMatchesTheScalarByScalarEscaping() {
        func reference(_ text: String) -> String {
            var out = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7f {
                        let digits = String(scalar.value, radix: 16)
                        out += "\\u00" + (digits.count < 2 ? "0" + digits : digits)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return "\"" + out + "\""
        }
        let texts = ["", "plain", "/run/stack-runtime/x", "é ü 日本", "q\"uote", "back\\slash", "nl\n", "\u{01}\u{1f}", "del\u{7f}", "tab\t", "\u{08}\u{0C}\r"]
        for text in texts {
            #expect(QuotedString.quote(text, style: .json) == reference(text), "\(text)")
        }
    }

    @Test func mountinfoFieldsAreUnescapedOnlyWhenEscaped() {
        #expect(MountInfoField.unescape("/sys/fs/cgroup/memory") == "/sys/fs/cgroup/memory")
        #expect(MountInfoField.unescape("/mnt/with\\040space") == "/mnt/with space")
        #expect(MountInfoField.unescape("/a\\134b\\011c") == "/a\\b\tc")
        #expect(MountInfoField.unescape("/not\\99escape") == "/not\\99escape")
    }

    @Test func layoutDetectionReadsEscapedCgroupMountPoints() throws {
        let mountinfo = """
            22 27 0:21 / /proc rw,relatime - proc proc rw
            30 25 0:26 / /sys/fs/cgroup/my\\040memory rw,nosuid - cgroup cgroup rw,memory
            31 25 0:27 /sub /sys/fs/cgroup/unified rw,nosuid shared:9 - cgroup2 cgroup2 rw
            """
        let layout = try CgroupLayout.detect(mountinfo: mountinfo)
        #expect(layout == .hybrid(
            legacy: ["memory": CgroupMount("/sys/fs/cgroup/my memory")],
            unified: CgroupMount("/sys/fs/cgroup/unified", root: "/sub")))
    }
}
