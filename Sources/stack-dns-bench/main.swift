// A DNSService on 127.0.0.1 with fake containers registered, for bench/dns-server.sh (dnsperf).
//
//   stack-dns-bench PORT CONTAINERS QUERYFILE
//
// Registers CONTAINERS containers `c1` … `cN` (addresses 10.88.x.y) on one network whose subnets
// include 127.0.0.0/8, so queries from loopback see it; writes a dnsperf query file (`cN A` lines)
// to QUERYFILE, prints "ready" and serves until killed. No upstreams: nothing leaves the machine.
// STACK_DNS_BENCH_NOCACHE=1 turns the listeners' answer cache off.
import DNS
import DNSServer
import StackCore

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 4, let port = UInt16(arguments[1]), let count = Int(arguments[2]), count > 0,
    count < 65_000
else {
    print("usage: stack-dns-bench PORT CONTAINERS QUERYFILE")
    exit(2)
}

guard let loopback = IPAddress("127.0.0.1"), let subnet = CIDR("10.88.0.0/16"), let local = CIDR("127.0.0.0/8") else {
    exit(1)
}
// STACK_DNS_BENCH_NOCACHE=1: every reply decoded, looked up and encoded anew.
let service = DNSService(upstreams: [], answerCache: getenv("STACK_DNS_BENCH_NOCACHE") == nil)
var queries = ""
service.update { table in
    table.setNetwork("bench", subnets: [subnet, local])
    for i in 1...count {
        guard let name = DNSName("c\(i)"), let address = IPAddress("10.88.\(i / 250).\(i % 250 + 2)") else { continue }
        table.add(.init(container: "container-\(i)", network: "bench", names: [name], addresses: [address]))
        queries += "c\(i) A\n"
    }
}
guard let file = fopen(arguments[3], "w") else {
    print("cannot write \(arguments[3])")
    exit(1)
}
fputs(queries, file)
fclose(file)
do {
    let bound = try service.listen(on: loopback, port: port)
    print("ready on 127.0.0.1:\(bound)")
    fflush(nil)
} catch {
    print("stack-dns-bench: \(error)")
    exit(1)
}
while true { pause() }
