import Foundation
import Testing

extension EngineHarness {
    /// Run a shell script with this engine's environment, in its directory, with `stack` on PATH
    /// (pipes and redirections of binary data between CLI invocations).
    func shell(_ script: String, environment extra: [String: String] = [:]) throws -> Result {
        var env = environment.merging(extra) { $1 }
        env["PATH"] = Self.binaries + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        return try Self.execute("/bin/sh", ["-c", "cd \(directory) && " + script], environment: env, directory: directory)
    }

    /// The parsed `image inspect` object of `image`.
    func imageInspect(_ image: String) throws -> [String: Any]? {
        let result = try stack(["image", "inspect", image])
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])?.first
    }

    /// Every path under the engine's directory whose last component is `name`.
    func files(named name: String) -> [String] {
        let found = try? Self.execute("/usr/bin/find", [directory, "-name", name], environment: [:])
        return (found?.stdout ?? "").split(separator: "\n").map { String($0.dropFirst(directory.count + 1)) }
    }
}

/// `stack image …` end to end: import in every compression and from stdin with changes, ls,
/// inspect, tag and rm, save/load between two engines, OCI layouts, hostile archives.
@Suite(.serialized, .enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct ImageCLITests {
    @Test func importCompressedAndFromStdinWithChangesThenRunTheCmd() throws {
        let engine = try EngineHarness(importImage: false)
        defer { engine.tearDown() }
        let tarball = try EngineHarness.makeBusyboxTarball(in: engine.directory)
        let cmd = #"CMD ["sh","-c","echo from-cmd A=$A"]"#
        for (tool, name) in [("gzip", "gz"), ("xz", "xz"), ("zstd -q", "zst")] {
            let compress = try engine.shell("\(tool) -c \(tarball) > rootfs.tar.\(name)")
            #expect(compress.status == 0, "\(compress)")
            let imported = try engine.stack([
                "image", "import", "-c", cmd, "-c", "ENV A=b", engine.directory + "/rootfs.tar.\(name)", "box-\(name):1",
            ])
            #expect(imported.status == 0, "\(name): \(imported)")
            #expect(imported.stdout.hasPrefix("sha256:"), "\(imported)")
            let run = try engine.stack(["container", "run", "--rm", "box-\(name):1"])
            #expect(run.status == 0, "\(name): \(run)")
            #expect(run.stdout == "from-cmd A=b\n", "\(name): \(run)")
        }
        // A relative path is the caller's (the daemon has another working directory).
        let relative = try engine.shell("stack image import rootfs.tar.gz relative:1")
        #expect(relative.status == 0, "\(relative)")
        #expect(try engine.stack(["container", "run", "--rm", "relative:1", "true"]).status == 0)
        // From standard input (`-`), xz-compressed.
        let piped = try engine.shell("xz -c \(tarball) | stack image import -c 'ENV A=piped' -c '\(cmd)' - box-stdin")
        #expect(piped.status == 0, "\(piped)")
        let run = try engine.stack(["container", "run", "--rm", "box-stdin"])
        #expect(run.stdout == "from-cmd A=piped\n", "\(run)")
        // An explicit command replaces CMD; the image's ENV stays.
        let explicit = try engine.stack(["container", "run", "--rm", "box-stdin", "sh", "-c", "echo explicit $A"])
        #expect(explicit.stdout == "explicit piped\n", "\(explicit)")
        // The same rootfs in three compressions is one layer (one diff id).
        let layers = try ["box-gz:1", "box-xz:1", "box-zst:1", "box-stdin"].map { name in
            try engine.imageInspect(name).flatMap { ($0["RootFS"] as? [String: Any])?["Layers"] as? [String] } ?? []
        }
        #expect(Set(layers).count == 1 && layers.first?.count == 1, "\(layers)")
    }

    @Test func importChangesEntrypointWorkdirUserAndLabels() throws {
        let engine = try EngineHarness(importImage: false)
        defer { engine.tearDown() }
        let tarball = try EngineHarness.makeBusyboxTarball(in: engine.directory)
        let imported = try engine.stack([
            "image", "import", "-c", #"ENTRYPOINT ["echo","ep"]"#, "-c", #"CMD ["default-arg"]"#, "-c", "WORKDIR /data",
            "-c", "USER 1000", "-c", "LABEL team=infra", "-m", "a message", tarball, "changed:1",
        ])
        #expect(imported.status == 0, "\(imported)")
        #expect(try engine.stack(["container", "run", "--rm", "changed:1"]).stdout == "ep default-arg\n")
        #expect(try engine.stack(["container", "run", "--rm", "changed:1", "given"]).stdout == "ep given\n")
        // The image's WORKDIR (absent from the rootfs) is made; USER applies.
        let shell = try engine.stack(["container", "run", "--rm", "--entrypoint", "sh", "changed:1", "-c", "pwd; id -u"])
        #expect(shell.stdout == "/data\n1000\n", "\(shell)")
        let cleared = try engine.stack(["container", "run", "--rm", "--entrypoint", "", "changed:1", "echo", "cleared"])
        #expect(cleared.stdout == "cleared\n", "\(cleared)")
        let inspect = try #require(try engine.imageInspect("changed:1"))
        #expect(inspect["Comment"] as? String == "a message", "\(inspect)")
        let config = inspect["Config"] as? [String: Any]
        #expect(config?["Entrypoint"] as? [String] == ["echo", "ep"])
        #expect(config?["WorkingDir"] as? String == "/data")
        #expect(config?["User"] as? String == "1000")
        #expect(config?["Labels"] as? [String: String] == ["team": "infra"])
        let bad = try engine.stack(["image", "import", "-c", "FROBNICATE yes", tarball, "bad:1"])
        #expect(bad.status == 1 && bad.stderr.contains("FROBNICATE"), "\(bad)")
    }

    @Test func listAndInspectInDockersShapes() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let table = try engine.stack(["image", "ls"])
        #expect(table.status == 0, "\(table)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(table)")
        let header = lines.first ?? ""
        let columns = header.components(separatedBy: "   ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(columns == ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"], "\(table)")
        let row = lines.last?.split(separator: " ", omittingEmptySubsequences: true).map(String.init) ?? []
        #expect(row.first == "busybox-test", "\(table)")
        #expect(row.dropFirst().first == "latest", "\(table)")

        let inspect = try #require(try engine.imageInspect(engine.image))
        let id = try #require(inspect["Id"] as? String)
        #expect(id.hasPrefix("sha256:") && id.count == 71, "\(inspect)")
        #expect(inspect["RepoTags"] as? [String] == ["busybox-test:latest"], "\(inspect)")
        let rootfs = inspect["RootFS"] as? [String: Any]
        #expect(rootfs?["Type"] as? String == "layers")
        #expect((rootfs?["Layers"] as? [String])?.count == 1, "\(inspect)")
        #expect(row.dropFirst(2).first == String(id.dropFirst(7).prefix(12)), "\(table)")

        let quiet = try engine.stack(["image", "ls", "-q"])
        #expect(quiet.stdout == String(id.dropFirst(7).prefix(12)) + "\n", "\(quiet)")

        // --format json: one object per line with docker's CLI keys.
        let json = try engine.stack(["image", "ls", "--format", "json"])
        #expect(json.status == 0, "\(json)")
        let objects = json.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.count == 1, "\(json)")
        let object = objects.first ?? [:]
        #expect(object["Repository"] as? String == "busybox-test", "\(json)")
        #expect(object["Tag"] as? String == "latest", "\(json)")
        #expect(object["ID"] as? String == String(id.dropFirst(7).prefix(12)), "\(json)")
        for key in ["CreatedAt", "CreatedSince", "Size"] { #expect(object[key] != nil, "\(key) missing: \(json)") }
        let badFormat = try engine.stack(["image", "ls", "--format", "yaml"])
        #expect(badFormat.status != 0, "\(badFormat)")

        // An image imported with CMD and ENV shows them in Config.
        let tarball = try EngineHarness.makeBusyboxTarball(in: engine.directory)
        #expect(try engine.stack(["image", "import", "-c", #"CMD ["echo","hi"]"#, "-c", "ENV A=b", tarball, "withcmd:2"]).status == 0)
        let configured = try #require(try engine.imageInspect("withcmd:2"))
        let config = configured["Config"] as? [String: Any]
        #expect(config?["Cmd"] as? [String] == ["echo", "hi"], "\(configured)")
        #expect((config?["Env"] as? [String])?.contains("A=b") == true, "\(configured)")
        let missing = try engine.stack(["image", "inspect", "nosuch:image"])
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderr.contains("No such image"), "\(missing)")
    }

    @Test func tagThenRemoveUntagsUntilTheLastReference() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let id = try #require(try engine.imageInspect(engine.image)?["Id"] as? String)
        #expect(try engine.stack(["image", "tag", engine.image, "alias:v1"]).status == 0)
        #expect(try engine.stack(["image", "tag", "alias:v1", "registry.example.com/team/alias:v2"]).status == 0)
        #expect(Set(try engine.imageInspect(id)?["RepoTags"] as? [String] ?? []) == [
            "busybox-test:latest", "alias:v1", "registry.example.com/team/alias:v2",
        ])
        let first = try engine.stack(["image", "rm", "alias:v1"])
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout == "Untagged: alias:v1\n", "\(first)")
        let second = try engine.stack(["image", "rm", "registry.example.com/team/alias:v2"])
        #expect(second.stdout == "Untagged: registry.example.com/team/alias:v2\n", "\(second)")
        // The image still runs under its remaining tag.
        #expect(try engine.stack(["container", "run", "--rm", engine.image, "true"]).status == 0)
        let blobs = engine.root + "/images/blobs/sha256"
        #expect(FileManager.default.fileExists(atPath: blobs + "/" + id.dropFirst(7)))
        let last = try engine.stack(["image", "rm", engine.image])
        #expect(last.status == 0, "\(last)")
        let lines = last.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "Untagged: busybox-test:latest", "\(last)")
        #expect(lines.contains("Deleted: \(id)"), "\(last)")
        #expect(try engine.stack(["image", "ls", "-q"]).stdout.isEmpty)
        // Files gone too: no blobs, no unpacked layers.
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: blobs)) ?? []).isEmpty)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: engine.root + "/images/layers")) ?? []).isEmpty)
        let again = try engine.stack(["image", "rm", engine.image])
        #expect(again.status == 1 && again.stderr.contains("No such image"), "\(again)")
    }

    @Test func removeIsRefusedWhileAContainerUsesTheImageAndForcedUntags() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let created = try engine.stack(["container", "create", "--name", "user", engine.image, "echo", "still-works"])
        #expect(created.status == 0, "\(created)")
        let containerID = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let refused = try engine.stack(["image", "rm", engine.image])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("Error response from daemon: conflict: unable to remove"), "\(refused)")
        #expect(refused.stderr.contains("must force"), "\(refused)")
        #expect(refused.stderr.contains(String(containerID.prefix(12))), "\(refused)")
        #expect(try engine.stack(["image", "ls", "-q"]).stdout.count == 13, "the image must still be there")
        // With a second tag, removing one tag is a plain untag, even while in use.
        #expect(try engine.stack(["image", "tag", engine.image, "other:tag"]).status == 0)
        let untag = try engine.stack(["image", "rm", "other:tag"])
        #expect(untag.status == 0 && untag.stdout == "Untagged: other:tag\n", "\(untag)")
        // By id the image cannot go at all while a container sits on its layers, forced or not.
        let imageID = try #require(try engine.imageInspect(engine.image)?["Id"] as? String)
        let byID = try engine.stack(["image", "rm", "-f", imageID])
        #expect(byID.status == 1 && byID.stderr.contains("cannot be forced"), "\(byID)")
        // Forced: the tag goes; the container keeps working (its layers are not pulled away).
        let forced = try engine.stack(["image", "rm", "-f", engine.image])
        #expect(forced.status == 0, "\(forced)")
        #expect(forced.stdout.hasPrefix("Untagged: busybox-test:latest\n"), "\(forced)")
        #expect(try engine.stack(["image", "inspect", engine.image]).status == 1)
        let started = try engine.stack(["container", "start", "-a", "user"])
        #expect(started.stdout == "still-works\n", "\(started)")
        // Once the container is gone the (now untagged) image can be deleted by id.
        #expect(try engine.stack(["container", "rm", "user"]).status == 0)
        let ids = try engine.stack(["image", "ls", "-q"]).stdout.split(separator: "\n").map(String.init)
        for id in ids {
            let deleted = try engine.stack(["image", "rm", id])
            #expect(deleted.stdout.contains("Deleted: sha256:\(id)"), "\(deleted)")
        }
        #expect(try engine.stack(["image", "ls", "-q"]).stdout.isEmpty)
    }

    @Test func saveToAFileAndLoadIntoASecondEngineAndThroughAPipe() throws {
        let first = try EngineHarness()
        defer { first.tearDown() }
        let second = try EngineHarness(importImage: false)
        defer { second.tearDown() }
        let id = try #require(try first.imageInspect(first.image)?["Id"] as? String)
        let archive = first.directory + "/saved.tar"
        let saved = try first.stack(["image", "save", "-o", archive, first.image])
        #expect(saved.status == 0, "\(saved)")
        let loaded = try second.stack(["image", "load", "-i", archive])
        #expect(loaded.status == 0, "\(loaded)")
        #expect(loaded.stdout == "Loaded image: busybox-test:latest\n", "\(loaded)")
        #expect(try second.imageInspect(second.image)?["Id"] as? String == id)
        let ran = try second.stack(["container", "run", "--rm", second.image, "echo", "loaded-runs"])
        #expect(ran.stdout == "loaded-runs\n", "\(ran)")

        // stdout → stdin: save piped straight into load of the other engine.
        #expect(try second.stack(["image", "rm", second.image]).status == 0)
        let piped = try first.shell(
            "stack image save \(first.image) | STACK_ROOT=\(second.root) STACK_RUN=\(second.run) stack image load")
        #expect(piped.status == 0, "\(piped)")
        #expect(piped.stdout == "Loaded image: busybox-test:latest\n", "\(piped)")
        #expect(try second.imageInspect(second.image)?["Id"] as? String == id)

        // An OCI image layout as a directory (the archive's docker manifest.json taken out).
        #expect(try second.stack(["image", "rm", second.image]).status == 0)
        let layout = second.directory + "/layout"
        let unpacked = try second.shell("mkdir \(layout) && tar -xf \(archive) -C \(layout) && rm -f \(layout)/manifest.json && ls \(layout)")
        #expect(unpacked.stdout.contains("index.json") && unpacked.stdout.contains("oci-layout"), "\(unpacked)")
        let fromLayout = try second.stack(["image", "load", "-i", layout])
        #expect(fromLayout.status == 0, "\(fromLayout)")
        #expect(fromLayout.stdout.contains("busybox-test:latest"), "\(fromLayout)")
        #expect(try second.imageInspect(second.image)?["Id"] as? String == id)
        #expect(try second.stack(["container", "run", "--rm", second.image, "true"]).status == 0)
        // Nothing on stdin: refused by the CLI, as Docker's.
        let empty = try second.stack(["image", "load"])
        #expect(empty.status != 0 && empty.stderr.contains("stdin is empty"), "\(empty)")
        let emptyImport = try second.stack(["image", "import", "-", "x:1"])
        #expect(emptyImport.status != 0 && emptyImport.stderr.contains("stdin is empty"), "\(emptyImport)")
        // Not an archive: a clear error and nothing left in the store's staging area.
        try "garbage\n".write(toFile: second.directory + "/garbage.tar", atomically: true, encoding: .utf8)
        let garbage = try second.stack(["image", "load", "-i", second.directory + "/garbage.tar"])
        #expect(garbage.status == 1 && garbage.stderr.contains("garbage.tar"), "\(garbage)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: second.root + "/images/tmp")) ?? []).isEmpty)
        // Saving an unknown image fails cleanly.
        let unknown = try first.stack(["image", "save", "-o", first.directory + "/none.tar", "nosuch:1"])
        #expect(unknown.status == 1 && unknown.stderr.contains("No such image"), "\(unknown)")
    }

    @Test func hostileDockerSaveArchivesAreRejectedByLoad() throws {
        let engine = try EngineHarness(importImage: false)
        defer { engine.tearDown() }
        let script = """
            import tarfile, io, sys, json, hashlib
            def add(tar, name, data):
                info = tarfile.TarInfo(name); info.size = len(data); tar.addfile(info, io.BytesIO(data))
            def archive(path, layer_name, layer):
                config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers",
                    "diff_ids": ["sha256:" + hashlib.sha256(layer).hexdigest()]}}).encode()
                manifest = json.dumps([{"Config": "config.json", "RepoTags": ["hostile:load"], "Layers": [layer_name]}]).encode()
                with tarfile.open(path, 'w') as tar:
                    add(tar, 'config.json', config); add(tar, 'manifest.json', manifest)
                    if not layer_name.startswith('..'): add(tar, layer_name, layer)
            bad = io.BytesIO()
            with tarfile.open(fileobj=bad, mode='w') as layer_tar:
                add(layer_tar, 'ok', b'fine'); add(layer_tar, '../escape', b'pwned')
            archive(sys.argv[1] + '/bad-layer.tar', 'layer.tar', bad.getvalue())
            archive(sys.argv[1] + '/bad-path.tar', '../../escape-layer.tar', b'')
            """
        let made = try EngineHarness.execute("/usr/bin/python3", ["-c", script, engine.directory], environment: [:])
        #expect(made.status == 0, "\(made)")
        let badLayer = try engine.stack(["image", "load", "-i", engine.directory + "/bad-layer.tar"])
        #expect(badLayer.status == 1 && badLayer.stderr.contains("entry '../escape'"), "\(badLayer)")
        let badPath = try engine.stack(["image", "load", "-i", engine.directory + "/bad-path.tar"])
        #expect(badPath.status == 1 && badPath.stderr.contains("../../escape-layer.tar"), "\(badPath)")
        #expect(engine.files(named: "escape").isEmpty, "\(engine.files(named: "escape"))")
        #expect(try engine.stack(["image", "ls", "-q"]).stdout.isEmpty)
        let staging = (try? FileManager.default.contentsOfDirectory(atPath: engine.root + "/images/tmp")) ?? []
        let layers = (try? FileManager.default.contentsOfDirectory(atPath: engine.root + "/images/layers")) ?? []
        let blobs = (try? FileManager.default.contentsOfDirectory(atPath: engine.root + "/images/blobs/sha256")) ?? []
        #expect(staging.isEmpty && layers.isEmpty && blobs.isEmpty, "tmp \(staging) layers \(layers) blobs \(blobs)")
    }

    @Test func hostileTarballsAreRejectedAndNothingIsWrittenOutside() throws {
        let engine = try EngineHarness(importImage: false)
        defer { engine.tearDown() }
        let outside = engine.directory + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let script = """
            import tarfile, io, sys
            def file(tar, name, data=b'pwned\\n'):
                info = tarfile.TarInfo(name); info.size = len(data); tar.addfile(info, io.BytesIO(data))
            with tarfile.open(sys.argv[1] + '/dotdot.tar', 'w') as tar:
                file(tar, 'bin/ok'); file(tar, '../escape')
            with tarfile.open(sys.argv[1] + '/symlink.tar', 'w') as tar:
                link = tarfile.TarInfo('link'); link.type = tarfile.SYMTYPE; link.linkname = sys.argv[2]
                tar.addfile(link); file(tar, 'link/escape')
            with tarfile.open(sys.argv[1] + '/absolute.tar', 'w') as tar:
                file(tar, sys.argv[2] + '/escape')
            """
        let made = try EngineHarness.execute(
            "/usr/bin/python3", ["-c", script, engine.directory, outside], environment: [:])
        #expect(made.status == 0, "\(made)")
        for (file, entry) in [("dotdot.tar", "../escape"), ("symlink.tar", "link/escape")] {
            let result = try engine.stack(["image", "import", engine.directory + "/" + file, "hostile:\(file.prefix(while: { $0 != "." }))"])
            #expect(result.status == 1, "\(file) was accepted: \(result)")
            #expect(result.stderr.contains("entry '\(entry)'"), "\(file): the error must name the entry: \(result)")
        }
        // Also through stdin.
        let piped = try engine.shell("stack image import - hostile:stdin < dotdot.tar")
        #expect(piped.status == 1 && piped.stderr.contains("entry '../escape'"), "\(piped)")
        #expect(engine.files(named: "escape").isEmpty, "written: \(engine.files(named: "escape"))")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: outside)) ?? ["?"]).isEmpty)
        #expect(try engine.stack(["image", "ls", "-q"]).stdout.isEmpty)
        // Nothing half-imported stays in the store.
        let blobs = (try? FileManager.default.contentsOfDirectory(atPath: engine.root + "/images/blobs/sha256")) ?? []
        let layers = (try? FileManager.default.contentsOfDirectory(atPath: engine.root + "/images/layers")) ?? []
        let staging = (try? FileManager.default.contentsOfDirectory(atPath: engine.root + "/images/tmp")) ?? []
        #expect(blobs.isEmpty && layers.isEmpty && staging.isEmpty, "blobs \(blobs) layers \(layers) tmp \(staging)")
        // An absolute entry name is refused too (a layer's names are relative to its root).
        let absolute = try engine.stack(["image", "import", engine.directory + "/absolute.tar", "hostile:absolute"])
        #expect(absolute.status == 1 && absolute.stderr.contains("has an absolute path"), "\(absolute)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: outside)) ?? ["?"]).isEmpty)
        #expect(engine.files(named: "escape").isEmpty, "written: \(engine.files(named: "escape"))")
    }
}
