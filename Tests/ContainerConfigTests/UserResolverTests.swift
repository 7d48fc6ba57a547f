import ContainerConfig
import StackCore
import Testing

@Suite struct UserResolverTests {
    let passwd = """
        root:x:0:0:root:/root:/bin/sh
        # a comment
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
        app:x:1000:1000:App:/home/app:/bin/sh
        broken line
        nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
        """
    let group = """
        root:x:0:
        wheel:x:10:root,app
        app:x:1000:
        audio:x:29:app
        staff:x:50:
        """

    @Test func names() throws {
        #expect(try UserResolver.resolve("app", passwd: passwd, group: group)
            == ResolvedUser(uid: 1000, gid: 1000, additionalGids: [10, 29], home: "/home/app"))
        #expect(try UserResolver.resolve("app:staff", passwd: passwd, group: group)
            == ResolvedUser(uid: 1000, gid: 50, additionalGids: [], home: "/home/app"))
        #expect(try UserResolver.resolve("app:7", passwd: passwd, group: group).gid == 7)
        #expect(try UserResolver.resolve("nobody", passwd: passwd, group: group) == ResolvedUser(uid: 65534, gid: 65534, home: "/nonexistent"))
    }

    @Test func numbers() throws {
        #expect(try UserResolver.resolve("1000", passwd: passwd, group: group)
            == ResolvedUser(uid: 1000, gid: 1000, additionalGids: [10, 29], home: "/home/app"))
        #expect(try UserResolver.resolve("4242", passwd: passwd, group: group) == ResolvedUser(uid: 4242, gid: 0, home: "/"))
        #expect(try UserResolver.resolve("4242:4343", passwd: nil, group: nil) == ResolvedUser(uid: 4242, gid: 4343, home: "/"))
        #expect(try UserResolver.resolve("1:staff", passwd: passwd, group: group) == ResolvedUser(uid: 1, gid: 50, home: "/usr/sbin"))
        let range = thrownError { () throws(StackError) in try UserResolver.resolve("4294967296", passwd: nil, group: nil) }
        #expect(range?.message == "uids and gids must be in range 0-2147483647")
    }

    @Test func root() throws {
        #expect(try UserResolver.resolve("", passwd: passwd, group: group) == ResolvedUser(uid: 0, gid: 0, additionalGids: [10], home: "/root"))
        #expect(try UserResolver.resolve("", passwd: nil, group: nil) == ResolvedUser.root)
        #expect(try UserResolver.resolve("root", passwd: passwd, group: nil) == ResolvedUser(uid: 0, gid: 0, home: "/root"))
    }

    @Test func failures() {
        let noUser = thrownError { () throws(StackError) in try UserResolver.resolve("ghost", passwd: passwd, group: group) }
        #expect(noUser?.message == "unable to find user ghost: no matching entries in passwd file")
        #expect(noUser?.path == "User")
        let noPasswd = thrownError { () throws(StackError) in try UserResolver.resolve("app", passwd: nil, group: nil) }
        #expect(noPasswd?.message == "unable to find user app: no matching entries in passwd file")
        let noGroup = thrownError { () throws(StackError) in try UserResolver.resolve("app:ghosts", passwd: passwd, group: group) }
        #expect(noGroup?.message == "unable to find group ghosts: no matching entries in group file")
        let noGroupFile = thrownError { () throws(StackError) in try UserResolver.resolve("0:staff", passwd: passwd, group: nil) }
        #expect(noGroupFile?.message == "unable to find group staff: no matching entries in group file")
    }
}
