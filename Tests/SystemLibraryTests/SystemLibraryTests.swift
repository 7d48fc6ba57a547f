import CArchive
import CSQLite
import CSeccomp
import CYAML
import Testing

/// The four system-library modules resolve through pkg-config and link.
@Suite struct SystemLibraryTests {
    @Test func librariesLinkAndReportVersions() throws {
        #expect(archive_version_number() >= 3_000_000)
        #expect(sqlite3_libversion_number() >= 3_030_000)
        let seccomp = try #require(seccomp_version())
        #expect(seccomp.pointee.major >= 2)
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        yaml_get_version(&major, &minor, &patch)
        #expect(major == 0 && minor >= 2)
    }
}
