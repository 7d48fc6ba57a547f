import Foundation
import Testing

/// Volumes through the CLI: bind, named, anonymous and tmpfs mounts, copy-up, read-only mounts,
/// `--volumes-from`, `cp`, `rm -v`, the volume commands, and the seed's backup and restore.
@Suite(.serialized, .enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct VolumeCLITests {
    /// An image of busybox plus `/data` (0750, 1000:1000) holding `file` (0640, 1000:1000), a
    /// symlink and a sub-directory; with `volume`, `/data` is declared a `VOLUME`.
    static func importDataImage(_ engine: EngineHarness, name: String, volume: Bool) throws {
        let base = engine.directory + "/busybox-rootfs.tar"
        let path = engine.directory + "/\(name)-rootfs.tar"
        let script = """
            import shutil, tarfile, io, sys
            shutil.copyfile(sys.argv[1], sys.argv[2])
            with tarfile.open(sys.argv[2], 'a') as tar:
                def entry(name, kind, mode, uid, data=b'', link=''):
                    info = tarfile.TarInfo(name); info.type = kind; info.mode = mode; info.uid = uid; info.gid = uid
                    info.mtime = 1500000000; info.linkname = link; info.size = len(data)
                    tar.addfile(info, io.BytesIO(data) if data else None)
                entry('data', tarfile.DIRTYPE, 0o750, 1000)
                entry('data/file', tarfile.REGTYPE, 0o640, 1000, b'from the image\\n')
                entry('data/link', tarfile.SYMTYPE, 0o777, 0, link='file')
                entry('data/sub', tarfile.DIRTYPE, 0o700, 2000)
            """
        let made = try EngineHarness.execute("/usr/bin/python3", ["-c", script, base, path], environment: [:])
        guard made.status == 0 else { throw EngineHarness.HarnessError(message: "data tarball: \(made)") }
        let imported = try engine.stack(["image", "import"] + (volume ? ["-c", "VOLUME /data"] : []) + [path, name])
        guard imported.status == 0 else { throw EngineHarness.HarnessError(message: "import: \(imported)") }
    }

    /// Lines of `volume ls -q`.
    static func volumes(_ engine: EngineHarness) throws -> [String] {
        try engine.stack(["volume", "ls", "-q"]).stdout.split(separator: "\n").map(String.init)
    }

    /// Mounts under the engine's directory still in the host's mount table.
    /// Mounts under the test's directory other than the harness's own network namespace file.
    static func leftoverMounts(_ engine: EngineHarness) -> [String] {
        let table = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
        return table.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 1, fields[1].hasPrefix(engine.directory), fields[1] != engine.netns else { return nil }
            return String(fields[1])
        }
    }

    static func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    @Test func bindMountsReadOnlyFlagsAndTmpfs() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let host = engine.directory + "/hostdir"
        try Self.makeDirectory(host)
        try "on the host\n".write(toFile: host + "/given", atomically: true, encoding: .utf8)
        let created = engine.directory + "/made-by-v"
        let run = try engine.stack([
            "container", "run", "--rm", "-v", host + ":/mnt", "-v", host + ":/ro:ro",
            "--mount", "type=bind,source=\(host),target=/ro2,readonly", "-v", created + ":/made",
            "--tmpfs", "/scratch:size=1m,mode=1770", "--mount", "type=tmpfs,target=/t2,tmpfs-size=2097152",
            engine.image, "sh", "-c",
            "cat /mnt/given; echo written > /mnt/out; echo x > /ro/y || echo ro-refused; touch /ro2/z || echo ro2-refused; "
                + "stat -c %a /scratch; grep -E ' /(scratch|t2) ' /proc/mounts; ls -d /made",
        ])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("on the host\n"), "\(run)")
        #expect(run.stdout.contains("ro-refused") && run.stdout.contains("ro2-refused"), "\(run)")
        #expect(run.stderr.contains("Read-only file system"), "\(run)")
        #expect(run.stdout.contains("1770\n"), "\(run)")
        #expect(run.stdout.contains("tmpfs /scratch tmpfs") && run.stdout.contains("size=1024k"), "\(run)")
        #expect(run.stdout.contains("tmpfs /t2 tmpfs") && run.stdout.contains("size=2048k"), "\(run)")
        #expect(run.stdout.contains("/made\n"), "\(run)")
        #expect((try? String(contentsOfFile: host + "/out", encoding: .utf8)) == "written\n")
        #expect(!FileManager.default.fileExists(atPath: host + "/y"))
        // -v made the missing host directory.
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: created, isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(try Self.volumes(engine).isEmpty)
        // Inspect shows the resolved mounts.
        #expect(try engine.stack(["container", "create", "--name", "shown", "-v", host + ":/mnt:ro", engine.image, "true"]).status == 0)
        let inspect = try engine.stack(["container", "inspect", "shown"]).stdout
        #expect(inspect.contains("\"Source\" : \"\(host)\""), "\(inspect)")
        #expect(inspect.contains("\"Type\" : \"bind\"") && inspect.contains("\"RW\" : false")
            && inspect.contains("\"Propagation\" : \"rprivate\""), "\(inspect)")
    }

    @Test func namedVolumeCopyUpOwnershipNocopyAndPersistence() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        try Self.importDataImage(engine, name: "data-image", volume: false)
        let first = try engine.stack([
            "container", "run", "--name", "writer", "-v", "store:/data", "data-image", "sh", "-c",
            "stat -c '%u:%g %a' /data /data/file /data/sub; readlink /data/link; cat /data/file; echo mine > /data/added",
        ])
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout == "1000:1000 750\n1000:1000 640\n2000:2000 700\nfile\nfrom the image\n", "\(first)")
        #expect(try Self.volumes(engine) == ["store"])
        // On the host: the volume's _data took the image directory's owner and mode, times kept.
        let data = engine.root + "/volumes/store/_data"
        let attributes = try FileManager.default.attributesOfItem(atPath: data + "/file")
        #expect((attributes[.ownerAccountID] as? NSNumber)?.intValue == 1000)
        #expect((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 == 1_500_000_000)
        // The data survives the container's removal, and a second use does not copy again.
        #expect(try engine.stack(["container", "rm", "-v", "writer"]).status == 0)
        #expect(try Self.volumes(engine) == ["store"])
        let again = try engine.stack(["container", "run", "--rm", "-v", "store:/data", engine.image, "cat", "/data/added"])
        #expect(again.stdout == "mine\n", "\(again)")
        // nocopy leaves a fresh volume empty; a volume that has content is not copied into.
        let nocopy = try engine.stack(["container", "run", "--rm", "-v", "bare:/data:nocopy", "data-image", "ls", "-A", "/data"])
        #expect(nocopy.status == 0 && nocopy.stdout.isEmpty, "\(nocopy)")
        let mount = try engine.stack([
            "container", "run", "--rm", "--mount", "type=volume,source=viamount,target=/data,volume-nocopy",
            "data-image", "ls", "-A", "/data",
        ])
        #expect(mount.status == 0 && mount.stdout.isEmpty, "\(mount)")
        // Bind mounts never copy the image's content.
        let empty = engine.directory + "/emptybind"
        try Self.makeDirectory(empty)
        let bind = try engine.stack(["container", "run", "--rm", "-v", empty + ":/data", "data-image", "ls", "-A", "/data"])
        #expect(bind.status == 0 && bind.stdout.isEmpty, "\(bind)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty).isEmpty)
        #expect(Self.leftoverMounts(engine).isEmpty, "\(Self.leftoverMounts(engine))")
    }

    @Test func anonymousAndImageVolumesAndRmV() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        try Self.importDataImage(engine, name: "declared", volume: true)
        let run = try engine.stack(["container", "run", "--name", "anon", "-v", "/extra", "declared", "cat", "/data/file"])
        #expect(run.status == 0 && run.stdout == "from the image\n", "\(run)")
        let names = try Self.volumes(engine)
        #expect(names.count == 2)
        #expect(names.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) }, "\(names)")
        let inspect = try engine.stack(["container", "inspect", "anon"]).stdout
        #expect(inspect.contains("\"Destination\" : \"/data\"") && inspect.contains("\"Destination\" : \"/extra\""))
        #expect(try engine.stack(["volume", "create", "keep"]).status == 0)
        #expect(try engine.stack(["container", "create", "--name", "withnamed", "-v", "keep:/k", "-v", "/anon2", engine.image, "true"]).status == 0)
        // rm without -v keeps anonymous volumes; rm -v removes them, never named ones.
        #expect(try engine.stack(["container", "rm", "anon"]).status == 0)
        #expect(try Self.volumes(engine).count == 4)
        #expect(try engine.stack(["container", "rm", "-v", "withnamed"]).status == 0)
        #expect(try Self.volumes(engine).count == 3)
        #expect(try Self.volumes(engine).contains("keep"))
        // --rm removes the container's anonymous volumes too.
        let before = try Self.volumes(engine)
        #expect(try engine.stack(["container", "run", "--rm", "-v", "/gone", engine.image, "true"]).status == 0)
        #expect(try engine.eventually { try Self.volumes(engine) == before })
        // prune: unused anonymous volumes only; -a takes unused named ones too.
        let pruned = try engine.stack(["volume", "prune", "-f"])
        #expect(pruned.status == 0 && pruned.stdout.contains("Total reclaimed space:"), "\(pruned)")
        #expect(try Self.volumes(engine) == ["keep"])
        #expect(try engine.stack(["volume", "prune", "-f", "-a"]).status == 0)
        #expect(try Self.volumes(engine).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: engine.root + "/volumes").isEmpty)
    }

    @Test func volumesFromWithAndWithoutReadOnlyAndDataPackedContainers() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        try Self.importDataImage(engine, name: "packed", volume: true)
        let host = engine.directory + "/shared"
        try Self.makeDirectory(host)
        // A volume container that never runs: its volume and bind mount are repeated.
        #expect(try engine.stack(["container", "create", "--name", "store", "-v", "/dbdata", "-v", host + ":/shared", engine.image, "true"]).status == 0)
        let write = try engine.stack([
            "container", "run", "--rm", "--volumes-from", "store", engine.image, "sh", "-c",
            "echo row > /dbdata/table; echo bound > /shared/file",
        ])
        #expect(write.status == 0, "\(write)")
        #expect((try? String(contentsOfFile: host + "/file", encoding: .utf8)) == "bound\n")
        let read = try engine.stack([
            "container", "run", "--rm", "--volumes-from", "store:ro", engine.image, "sh", "-c",
            "cat /dbdata/table; echo more > /dbdata/table",
        ])
        #expect(read.status != 0, "\(read)")
        #expect(read.stdout == "row\n" && read.stderr.contains("Read-only file system"), "\(read)")
        let explicit = try engine.stack([
            "container", "run", "--rm", "--volumes-from", "store:rw", engine.image, "sh", "-c", "echo again >> /dbdata/table",
        ])
        #expect(explicit.status == 0, "\(explicit)")
        // The data-packed volume container: created, never started, its VOLUME filled from the image.
        #expect(try engine.stack(["container", "create", "--name", "dpvc", "packed", "true"]).status == 0)
        let packed = try engine.stack([
            "container", "run", "--rm", "--volumes-from", "dpvc", engine.image, "sh", "-c", "cat /data/file; stat -c %u /data/file",
        ])
        #expect(packed.stdout == "from the image\n1000\n", "\(packed)")
        // The volumes are in use by the volume containers: rm refuses.
        let names = try Self.volumes(engine)
        #expect(names.count == 2)
        for name in names {
            let refused = try engine.stack(["volume", "rm", name])
            #expect(refused.status != 0 && refused.stderr.contains("volume is in use"), "\(refused)")
        }
        // A missing source container is an error, and nothing is created.
        let missing = try engine.stack(["container", "run", "--rm", "--volumes-from", "nosuch", engine.image, "true"])
        #expect(missing.status != 0 && missing.stderr.contains("No such container: nosuch"), "\(missing)")
        #expect(try Self.volumes(engine) == names)
    }

    @Test func backupAndRestoreRoundTrip() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let backup = engine.directory + "/backup"
        try Self.makeDirectory(backup)
        #expect(try engine.stack(["container", "create", "-v", "/dbdata", "--name", "dbstore", engine.image, "true"]).status == 0)
        let fill = try engine.stack([
            "container", "run", "--rm", "--volumes-from", "dbstore", engine.image, "sh", "-c",
            "mkdir -p /dbdata/db && echo payload > /dbdata/db/rows && chown -R 1000:1000 /dbdata/db",
        ])
        #expect(fill.status == 0, "\(fill)")
        let tar = try engine.stack([
            "container", "run", "--rm", "--volumes-from", "dbstore", "-v", backup + ":/backup", engine.image,
            "tar", "cvf", "/backup/backup.tar", "/dbdata",
        ])
        #expect(tar.status == 0, "\(tar)")
        #expect(FileManager.default.fileExists(atPath: backup + "/backup.tar"))
        // Restore into a new volume container, then read it back from a third container.
        #expect(try engine.stack(["container", "create", "-v", "/dbdata", "--name", "dbstore2", engine.image, "true"]).status == 0)
        let restore = try engine.stack([
            "container", "run", "--rm", "--volumes-from", "dbstore2", "-v", backup + ":/backup", engine.image, "sh", "-c",
            "cd /dbdata && tar xvf /backup/backup.tar -C / ",
        ])
        #expect(restore.status == 0, "\(restore)")
        let check = try engine.stack([
            "container", "run", "--rm", "--volumes-from", "dbstore2", engine.image, "sh", "-c",
            "cat /dbdata/db/rows; stat -c %u:%g /dbdata/db/rows",
        ])
        #expect(check.stdout == "payload\n1000:1000\n", "\(check)")
        // The two volume containers hold different volumes.
        #expect(try Self.volumes(engine).count == 2)
        #expect(try engine.stack(["container", "rm", "-v", "dbstore", "dbstore2"]).status == 0)
        #expect(try Self.volumes(engine).isEmpty)
        #expect(Self.leftoverMounts(engine).isEmpty)
    }

    @Test func copyBothWaysRunningAndStopped() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let local = engine.directory + "/local"
        try Self.makeDirectory(local + "/tree/sub")
        try "leaf\n".write(toFile: local + "/tree/sub/leaf", atomically: true, encoding: .utf8)
        try "single\n".write(toFile: local + "/single.txt", atomically: true, encoding: .utf8)
        #expect(try engine.stack(["container", "run", "-d", "--name", "box", "-v", "vol:/vol", engine.image, "sleep", "300"]).status == 0)
        // Host → running container: into a directory, under a new name, a tree into a volume.
        #expect(try engine.stack(["container", "cp", local + "/single.txt", "box:/tmp/"]).status == 0)
        #expect(try engine.stack(["container", "cp", local + "/single.txt", "box:/tmp/renamed"]).status == 0)
        #expect(try engine.stack(["container", "cp", local + "/tree", "box:/vol/"]).status == 0)
        let seen = try engine.stack(["container", "exec", "box", "sh", "-c", "cat /tmp/single.txt /tmp/renamed /vol/tree/sub/leaf; stat -c %u /tmp/renamed"])
        #expect(seen.stdout == "single\nsingle\nleaf\n0\n", "\(seen)")
        #expect(FileManager.default.fileExists(atPath: engine.root + "/volumes/vol/_data/tree/sub/leaf"))
        // Running container → host.
        #expect(try engine.stack(["container", "exec", "box", "sh", "-c", "mkdir /made; echo inside > /made/f"]).status == 0)
        let out = engine.directory + "/out"
        try Self.makeDirectory(out)
        #expect(try engine.stack(["container", "cp", "box:/made", out + "/"]).status == 0)
        #expect((try? String(contentsOfFile: out + "/made/f", encoding: .utf8)) == "inside\n")
        #expect(try engine.stack(["container", "cp", "box:/made/f", out + "/copy"]).status == 0)
        #expect((try? String(contentsOfFile: out + "/copy", encoding: .utf8)) == "inside\n")
        #expect(try engine.stack(["container", "cp", "box:/made/.", out + "/contents"]).status == 0)
        #expect((try? String(contentsOfFile: out + "/contents/f", encoding: .utf8)) == "inside\n")
        // Stopped: the rootfs and the volume are reachable, and nothing stays mounted.
        #expect(try engine.stack(["container", "stop", "-t", "0", "box"]).status == 0)
        #expect(try engine.stack(["container", "cp", local + "/single.txt", "box:/vol/stopped.txt"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: engine.root + "/volumes/vol/_data/stopped.txt"))
        #expect(try engine.stack(["container", "cp", local + "/single.txt", "box:/root/"]).status == 0)
        #expect(try engine.stack(["container", "cp", "box:/root/single.txt", out + "/back.txt"]).status == 0)
        #expect((try? String(contentsOfFile: out + "/back.txt", encoding: .utf8)) == "single\n")
        #expect(try engine.stack(["container", "cp", "box:/vol/tree/sub/leaf", out + "/leaf"]).status == 0)
        #expect((try? String(contentsOfFile: out + "/leaf", encoding: .utf8)) == "leaf\n")
        // A whole volume of a stopped container keeps the container's name for it.
        #expect(try engine.stack(["container", "cp", "box:/vol", out + "/volcopy"]).status == 0)
        #expect((try? String(contentsOfFile: out + "/volcopy/tree/sub/leaf", encoding: .utf8)) == "leaf\n")
        #expect(try engine.stack(["container", "cp", "box:/vol", out + "/"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: out + "/vol/stopped.txt"))
        // A file bound on its own, under the container's name for it.
        #expect(try engine.stack(["container", "create", "--name", "filebind", "-v", local + "/single.txt:/etc/conf", engine.image, "true"]).status == 0)
        #expect(try engine.stack(["container", "cp", "filebind:/etc/conf", out + "/"]).status == 0)
        #expect((try? String(contentsOfFile: out + "/conf", encoding: .utf8)) == "single\n")
        // Tar streams on stdout and stdin.
        let streamed = try engine.stack(["container", "cp", "box:/made", "-"])
        #expect(streamed.status == 0 && streamed.stdout.contains("made/f") && streamed.stdout.contains("inside"))
        let upload = engine.directory + "/upload.tar"
        let packed = try EngineHarness.execute(
            "/usr/bin/python3",
            ["-c", "import tarfile,io,sys\nwith tarfile.open(sys.argv[1],'w') as t:\n i=tarfile.TarInfo('piped');i.size=3;t.addfile(i,io.BytesIO(b'abc'))", upload],
            environment: [:])
        #expect(packed.status == 0, "\(packed)")
        let piped = try EngineHarness.execute(
            "/bin/sh", ["-c", "\"$0\" container cp - box:/root < \"$1\"", EngineHarness.binaries + "/stack", upload],
            environment: engine.environment)
        #expect(piped.status == 0, "\(piped)")
        let missing = try engine.stack(["container", "cp", "box:/nothing", out + "/"])
        #expect(missing.status != 0 && missing.stderr.contains("Could not find the file /nothing in container"), "\(missing)")
        // The copies happened in the container's files: it sees them once started again.
        #expect(try engine.stack(["container", "start", "box"]).status == 0)
        let after = try engine.stack(["container", "exec", "box", "cat", "/root/single.txt", "/vol/stopped.txt", "/root/piped"])
        #expect(after.stdout == "single\nsingle\nabc", "\(after)")
        #expect(try engine.stack(["container", "rm", "-f", "box"]).status == 0)
        #expect(Self.leftoverMounts(engine).isEmpty, "\(Self.leftoverMounts(engine))")
    }

    @Test func volumeCommandsFiltersAndInUseRefusal() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let created = try engine.stack(["volume", "create", "--label", "tier=db", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=1g", "dbvol"])
        #expect(created.status == 0 && created.stdout == "dbvol\n", "\(created)")
        #expect(try engine.stack(["volume", "create", "dbvol"]).status == 0)  // existing: answered as is
        #expect(try engine.stack(["volume", "create", "other"]).status == 0)
        let inspect = try engine.stack(["volume", "inspect", "dbvol"])
        #expect(inspect.stdout.contains("\"Mountpoint\" : \"\(engine.root)/volumes/dbvol/_data\""), "\(inspect)")
        #expect(inspect.stdout.contains("\"tier\" : \"db\"") && inspect.stdout.contains("\"Driver\" : \"local\"")
            && inspect.stdout.contains("\"o\" : \"size=1g\"") && inspect.stdout.contains("\"CreatedAt\""), "\(inspect)")
        let table = try engine.stack(["volume", "ls"])
        #expect(table.stdout.hasPrefix("DRIVER") && table.stdout.contains("local    dbvol"), "\(table)")
        #expect(try engine.stack(["volume", "ls", "-q", "--filter", "label=tier=db"]).stdout == "dbvol\n")
        #expect(try engine.stack(["volume", "ls", "-q", "--filter", "label=tier"]).stdout == "dbvol\n")
        #expect(try engine.stack(["container", "create", "--name", "user", "-v", "dbvol:/db", engine.image, "true"]).status == 0)
        #expect(try engine.stack(["volume", "ls", "-q", "--filter", "dangling=true"]).stdout == "other\n")
        #expect(try engine.stack(["volume", "ls", "-q", "--filter", "dangling=false"]).stdout == "dbvol\n")
        let id = try engine.stack(["container", "inspect", "user"]).stdout
            .components(separatedBy: "\"Id\" : \"").dropFirst().first.map { String($0.prefix(64)) } ?? "?"
        let refused = try engine.stack(["volume", "rm", "dbvol"])
        #expect(refused.status != 0 && refused.stderr.contains("volume is in use - [\(id)]"), "\(refused)")
        let forced = try engine.stack(["volume", "rm", "-f", "dbvol"])
        #expect(forced.status != 0, "\(forced)")
        #expect(try engine.stack(["volume", "rm", "nosuch"]).status != 0)
        #expect(try engine.stack(["volume", "rm", "-f", "nosuch"]).status == 0)
        let inspectMissing = try engine.stack(["volume", "inspect", "nosuch"])
        #expect(inspectMissing.status != 0 && inspectMissing.stderr.contains("no such volume"), "\(inspectMissing)")
        #expect(try engine.stack(["container", "rm", "user"]).status == 0)
        #expect(try engine.stack(["volume", "rm", "dbvol", "other"]).stdout == "dbvol\nother\n")
        #expect(try Self.volumes(engine).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: engine.root + "/volumes/dbvol"))
    }

    @Test func localDriverOptionsBindADirectoryOrMountATmpfs() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let device = engine.directory + "/device"
        try Self.makeDirectory(device)
        #expect(try engine.stack(["volume", "create", "-o", "type=none", "-o", "device=\(device)", "-o", "o=bind", "bound"]).status == 0)
        #expect(try engine.stack(["volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=1m,mode=700", "memory"]).status == 0)
        let run = try engine.stack([
            "container", "run", "--rm", "-v", "bound:/b", "-v", "memory:/m", engine.image, "sh", "-c",
            "echo through > /b/f; grep ' /m ' /proc/mounts; stat -c %a /m",
        ])
        #expect(run.status == 0, "\(run)")
        #expect((try? String(contentsOfFile: device + "/f", encoding: .utf8)) == "through\n")
        #expect(run.stdout.contains("tmpfs /m tmpfs") && run.stdout.contains("size=1024k") && run.stdout.hasSuffix("700\n"), "\(run)")
        let unknown = try engine.stack(["volume", "create", "-o", "colour=red", "odd"])
        #expect(unknown.status != 0 && unknown.stderr.contains("invalid option key: \"colour\""), "\(unknown)")
        let incomplete = try engine.stack(["volume", "create", "-o", "type=tmpfs", "odd"])
        #expect(incomplete.status != 0 && incomplete.stderr.contains("missing required option: \"device\""), "\(incomplete)")
        #expect(try Self.volumes(engine) == ["bound", "memory"])
        // Removing the volume leaves the bound directory's files where they are.
        #expect(try engine.stack(["volume", "rm", "bound"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: device + "/f"))
    }

    @Test func badInputFailsBeforeAnythingIsCreated() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let missing = engine.directory + "/does-not-exist"
        let cases: [([String], String)] = [
            (["--mount", "type=bind,source=\(missing),target=/x"], "bind source path does not exist: \(missing)"),
            (["-v", "named:/ok", "--mount", "type=bind,source=\(missing),target=/x"], "bind source path does not exist"),
            (["-v", "vol:relative"], "mount path must be absolute"),
            (["-v", "a/b:/x"], "includes invalid characters for a local volume name"),
            (["-v", "..:/x"], "includes invalid characters for a local volume name"),
            (["-v", "./here:/x"], "includes invalid characters for a local volume name"),
            (["-v", "one:/same", "-v", "two:/same"], "Duplicate mount point: /same"),
            (["--volumes-from", "nosuch"], "No such container: nosuch"),
        ]
        for (flags, message) in cases {
            let result = try engine.stack(["container", "create", "--name", "bad"] + flags + [engine.image, "true"])
            #expect(result.status != 0, "\(flags): \(result)")
            #expect(result.stderr.contains(message), "\(flags): \(result)")
            #expect(try engine.stack(["container", "ls", "-aq"]).stdout.isEmpty, "\(flags)")
            #expect(try Self.volumes(engine).isEmpty, "\(flags)")
        }
        // Through the API, without the CLI's own checks: the daemon refuses too.
        let bad = try engine.stack(["volume", "create", "bad/name"])
        #expect(bad.status != 0 && bad.stderr.contains("includes invalid characters"), "\(bad)")
        #expect(!FileManager.default.fileExists(atPath: missing))
        let volumes = (try? FileManager.default.contentsOfDirectory(atPath: engine.root + "/volumes")) ?? []
        #expect(volumes.isEmpty, "\(volumes)")
        #expect(Self.leftoverMounts(engine).isEmpty)
    }
}
