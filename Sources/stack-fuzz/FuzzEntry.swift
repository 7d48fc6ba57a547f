import DNS
import DNSServer
import StackCore
import StackFile

#if canImport(Glibc)
import Glibc
#endif

/// Which target the inputs go to: the stack file loader (default) or, with `STACK_FUZZ_TARGET=dns`,
/// the DNS server's answer path.
let fuzzDNS = getenv("STACK_FUZZ_TARGET").map { String(cString: $0) == "dns" } ?? false

/// A record table with a few names on one network, so lookups and PTR answers are exercised.
let fuzzTable: RecordTable = {
    var table = RecordTable(ttl: 5)
    if let subnet = CIDR("10.9.0.0/24") { table.setNetwork("net", subnets: [subnet]) }
    for (index, name) in ["web", "db", "cache.service"].enumerated() {
        guard let dnsName = DNSName(name), let address = IPAddress("10.9.0.\(index + 2)") else { continue }
        table.add(RecordTable.Endpoint(container: "c\(index)", network: "net", names: [dnsName], addresses: [address]))
    }
    return table
}()

/// One packet through the server's answer path. Any reply must decode, fit the asker's UDP size
/// (512 bytes without EDNS0, at most 4096 with it: no amplification) and answer a query, never a
/// response; a violation traps, which is what the fuzzer reports.
func answerOnce(_ bytes: [UInt8]) -> Bool {
    guard let source = IPAddress("10.9.0.9"), let reply = DNSFuzzProbe.udpReply(to: bytes, from: source, table: fuzzTable)
    else { return false }
    let query = try? DNSMessage(decoding: bytes)
    let limit = query?.edns.map { min(max(Int($0.udpPayloadSize), 512), 4096) } ?? 512
    precondition(reply.count <= limit, "reply of \(reply.count) bytes to a query allowing \(limit)")
    precondition((try? DNSMessage(decoding: reply)) != nil, "a reply that does not decode")
    precondition(query?.header.isResponse == false, "a reply to a response")
    return true
}

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
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = fuzzDNS ? answerOnce(bytes) : loadOnce(bytes)
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
            if fuzzDNS {
                print("\(path): \(answerOnce(bytes) ? "answered" : "no reply")")
            } else {
                print("\(path): \(loadOnce(bytes) ? "loaded" : "rejected")")
            }
        }
    }
}
#endif
