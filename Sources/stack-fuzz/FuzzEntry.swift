import StackCore
import StackFile

/// Runs one input through the whole loader as `compose.yaml` of an in-memory project.
/// Any outcome but a crash or a hang is fine: the loader must load or throw a StackError.
func loadOnce(_ bytes: [UInt8]) -> Bool {
    var options = LoadOptions()
    options.workingDirectory = "/fuzz"
    options.files = ["compose.yaml"]
    options.profiles = ["*"]
    let fileSystem = InMemoryFileSystem(bytes: ["/fuzz/compose.yaml": bytes, "/fuzz/.env": Array("A=1\n".utf8)])
    do {
        _ = try StackLoader(fileSystem: fileSystem).load(options)
        return true
    } catch {
        return false
    }
}

#if STACK_LIBFUZZER
/// libFuzzer's entry point (build with `scripts/fuzz.sh`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    _ = loadOnce(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer's driver, which runs the fuzzing loop with our entry point.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

/// SwiftPM links an executable's `main` to `<module>_main`; here it starts libFuzzer's driver.
@_cdecl("stack_fuzz_main")
public func fuzzMain(
    _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOne(data, size) }
}
#else
/// Without libFuzzer: replays the files named on the command line (for example a crash
/// reproducer or a corpus), printing whether each loaded or was rejected.
@main
struct ReplayMain {
    static func main() throws {
        let fileSystem = LocalFileSystem()
        for path in CommandLine.arguments.dropFirst() {
            let bytes = try fileSystem.read(path)
            print("\(path): \(loadOnce(bytes) ? "loaded" : "rejected")")
        }
    }
}
#endif
