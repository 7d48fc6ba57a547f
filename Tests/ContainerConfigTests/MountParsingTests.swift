import ContainerConfig
import StackAPI
import StackCore
import Testing
import Volumes

@Suite struct MountParsingTests {
    static func volumeError(_ text: String) throws -> String {
        try #require(throws: StackError.self, "\(text)") { _ = try MountParsing.volume(text) }.message
    }

    static func mountError(_ text: String) throws -> String {
        try #require(throws: StackError.self, "\(text)") { _ = try MountParsing.mount(text) }.message
    }

    @Test func volumeShortForms() throws {
        #expect(try MountParsing.volume("/data") == MountRequest(kind: .volume, target: "/data"))
        #expect(
            try MountParsing.volume("/srv/www:/usr/share/nginx/html:ro")
                == MountRequest(
                    kind: .bind, source: "/srv/www", target: "/usr/share/nginx/html", readOnly: true,
                    createHostPath: true, mode: "ro"))
        let bind = try MountParsing.volume("/host//dir/:/ctr/./x/")
        #expect(bind.kind == .bind && bind.source == "/host/dir" && bind.target == "/ctr/x" && !bind.readOnly)
        #expect(bind.createHostPath)  // -v creates a missing host path
        #expect(bind.effectivePropagation == "rprivate")
        let named = try MountParsing.volume("db-data:/var/lib/db:nocopy,rw")
        #expect(named.kind == .volume && named.source == "db-data" && named.noCopy && !named.readOnly)
        #expect(named.effectivePropagation == nil)
        let shared = try MountParsing.volume("/a:/b:rshared,Z,ro")
        #expect(shared.propagation == "rshared" && shared.readOnly && shared.mode == "rshared,Z,ro")
        #expect(try MountParsing.volume("/a:/b:z,cached").readOnly == false)
    }

    @Test func volumeErrorsAreDockers() throws {
        #expect(try Self.volumeError("") == "invalid volume specification: ''")
        #expect(try Self.volumeError(":/x") == "invalid volume specification: ':/x'")
        #expect(try Self.volumeError("/a:/b:ro:extra") == "invalid volume specification: '/a:/b:ro:extra'")
        #expect(try Self.volumeError("/data:ro") == "invalid volume specification: '/data:ro'")
        #expect(try Self.volumeError("/a:/b:rw,ro") == "invalid mode: rw,ro")
        #expect(try Self.volumeError("/a:/b:bogus") == "invalid mode: bogus")
        #expect(
            try Self.volumeError("data:relative")
                == "invalid volume specification: 'data:relative': invalid mount config for type \"volume\": "
                + "invalid mount path: 'relative' mount path must be absolute")
        #expect(
            try Self.volumeError("/host:ctr")
                == "invalid volume specification: '/host:ctr': invalid mount config for type \"bind\": "
                + "invalid mount path: 'ctr' mount path must be absolute")
        #expect(try Self.volumeError("relative").contains("mount path must be absolute"))
        #expect(try Self.volumeError("/host:/").hasSuffix("invalid specification: destination can't be '/'"))
        #expect(try Self.volumeError("/a:/b:nocopy").hasSuffix("field VolumeOptions must not be specified"))
        #expect(try Self.volumeError("v1:/b:shared").hasSuffix("field BindOptions must not be specified"))
        #expect(
            try Self.volumeError("./x:/data")
                == "\"./x\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" "
                + "are allowed. If you intended to pass a host directory, use absolute path")
        #expect(try Self.volumeError("../up:/data").contains("includes invalid characters"))
        #expect(try Self.volumeError("a/b:/data").contains("includes invalid characters"))
        #expect(try Self.volumeError("x:/data").contains("too short"))
    }

    @Test func mountLongForm() throws {
        let bind = try MountParsing.mount("type=bind,source=/srv,target=/data,readonly,bind-propagation=rslave")
        #expect(
            bind == MountRequest(kind: .bind, source: "/srv", target: "/data", readOnly: true, propagation: "rslave"))
        #expect(!bind.createHostPath)  // --mount does not create the source
        #expect(try MountParsing.mount("type=bind,src=/s,dst=/d,bind-create-host-path").createHostPath)
        #expect(try MountParsing.mount("type=bind,src=/s,dst=/d,bind-create-host-path=true").createHostPath)
        #expect(try MountParsing.mount("type=bind,src=/s,dst=/d,ro=false").readOnly == false)
        let volume = try MountParsing.mount("source=cache,destination=/cache,volume-nocopy,volume-label=a=b")
        #expect(volume.kind == .volume && volume.source == "cache" && volume.noCopy)  // type defaults to volume
        #expect(try MountParsing.mount("type=volume,target=/anon").isAnonymousVolume)
        let tmpfs = try MountParsing.mount("type=tmpfs,target=/run,tmpfs-size=64m,tmpfs-mode=1770")
        #expect(tmpfs.kind == .tmpfs && tmpfs.tmpfsSize == 64 * 1024 * 1024 && tmpfs.tmpfsMode == 0o1770)
        #expect(try MountParsing.mount("TYPE=BIND,Source=/a,Target=/b").kind == .bind)  // keys are case-insensitive
        #expect(try MountParsing.mount(#""type=bind","source=/a,b",target=/c"#).source == "/a,b")  // CSV quoting
        #expect(try MountParsing.mount("type=bind,source=./site,target=/w", workingDirectory: "/home/me").source == "/home/me/site")
    }

    @Test func mountErrorsAreDockers() throws {
        let flag = { (text: String, reason: String) in "invalid argument \"\(text)\" for \"--mount\" flag: \(reason)" }
        #expect(try Self.mountError("type=bind,source=/a") == flag("type=bind,source=/a", "target is required"))
        #expect(try Self.mountError("type=,target=/a") == flag("type=,target=/a", "type is required"))
        #expect(try Self.mountError("type=bind,target=/a,bogus") == flag("type=bind,target=/a,bogus", "invalid field 'bogus' must be a key=value pair"))
        #expect(try Self.mountError("type=bind,target=/a,color=red") == flag("type=bind,target=/a,color=red", "unexpected key 'color' in 'color=red'"))
        #expect(try Self.mountError("type=bind,target=/a,readonly=maybe") == flag("type=bind,target=/a,readonly=maybe", "invalid value for readonly: maybe"))
        #expect(try Self.mountError("type=volume,target=/a,bind-propagation=shared").hasSuffix("cannot mix 'bind-*' options with mount type 'volume'"))
        #expect(try Self.mountError("type=bind,src=/s,target=/a,volume-nocopy").hasSuffix("cannot mix 'volume-*' options with mount type 'bind'"))
        #expect(try Self.mountError("type=volume,target=/a,tmpfs-size=1m").hasSuffix("cannot mix 'tmpfs-*' options with mount type 'volume'"))
        #expect(try Self.mountError("type=tmpfs,target=/a,tmpfs-size=huge").hasSuffix("invalid value for tmpfs-size: huge"))
        #expect(try Self.mountError("type=tmpfs,target=/a,tmpfs-mode=999").hasSuffix("invalid value for tmpfs-mode: 999"))
        #expect(try Self.mountError("type=nfs,target=/a") == "invalid mount config: mount type unknown: \"nfs\"")
        #expect(try Self.mountError("type=bind,target=/a") == "invalid mount config for type \"bind\": field Source must not be empty")
        #expect(try Self.mountError("type=bind,source=rel,target=/a") == "invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute")
        #expect(try Self.mountError("type=bind,source=/a,target=rel") == "invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute")
        #expect(try Self.mountError("type=bind,source=/a,target=/") == "invalid mount config for type \"bind\": invalid specification: destination can't be '/'")
        #expect(try Self.mountError("type=bind,source=/a,target=/b,bind-propagation=sideways") == "invalid mount config for type \"bind\": invalid propagation mode: sideways")
        #expect(try Self.mountError("type=volume,target=/b,readonly") == "invalid mount config for type \"volume\": must not set ReadOnly mode when using anonymous volumes")
        #expect(try Self.mountError("type=volume,source=../x,target=/b").contains("includes invalid characters for a local volume name"))
        #expect(try Self.mountError("type=tmpfs,source=/x,target=/b") == "invalid mount config for type \"tmpfs\": field Source must not be specified")
        #expect(MountParsing.bindSourceMissing("/nope").message == "invalid mount config for type \"bind\": bind source path does not exist: /nope")
    }

    @Test func tmpfsFlag() throws {
        let run = try MountParsing.tmpfs("/run:rw,size=1g,mode=700,noexec")
        #expect(run.kind == .tmpfs && run.target == "/run" && run.tmpfsSize == 1 << 30 && run.tmpfsMode == 0o700)
        #expect(try MountParsing.tmpfs("/scratch") == MountRequest(kind: .tmpfs, target: "/scratch"))
        #expect(throws: StackError.self) { _ = try MountParsing.tmpfs("relative") }
        #expect(throws: StackError.self) { _ = try MountParsing.tmpfs("/") }
        #expect(throws: StackError.self) { _ = try MountParsing.tmpfs("/x:size=lots") }
    }
}

@Suite struct MountSpecConversionTests {
    @Test func specsAndRequestsRoundTrip() throws {
        for text in [
            "type=bind,source=/srv,target=/data,readonly,bind-propagation=rslave",
            "type=bind,source=/srv,target=/data,bind-create-host-path",
            "type=volume,source=cache,target=/cache,volume-nocopy",
            "type=volume,target=/anonymous",
            "type=tmpfs,target=/run,tmpfs-size=1m,tmpfs-mode=700",
        ] {
            let request = try MountParsing.mount(text)
            #expect(try MountParsing.request(from: MountParsing.spec(from: request)) == request, "\(text)")
        }
    }

    @Test func apiSpecsAreCheckedLikeTheFlag() throws {
        let misplaced = try #require(throws: StackError.self) {
            _ = try MountParsing.request(
                from: MountSpec(type: "volume", source: "v1", target: "/x", bindOptions: .init(propagation: "shared")))
        }
        #expect(misplaced.message == "invalid mount config for type \"volume\": field BindOptions must not be specified")
        let relative = try #require(throws: StackError.self) {
            _ = try MountParsing.request(from: MountSpec(type: "bind", source: "/a", target: "x"))
        }
        #expect(relative.message.hasSuffix("invalid mount path: 'x' mount path must be absolute"))
        let unknown = try #require(throws: StackError.self) {
            _ = try MountParsing.request(from: MountSpec(type: "npipe", target: "/x"))
        }
        #expect(unknown.message == "invalid mount config: mount type unknown: \"npipe\"")
        let cleaned = try MountParsing.request(from: MountSpec(type: "bind", source: "/a/../b/", target: "/c//d/"))
        #expect(cleaned.source == "/b" && cleaned.target == "/c/d" && cleaned.effectivePropagation == "rprivate")
    }
}
