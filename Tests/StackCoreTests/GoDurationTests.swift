import Testing
import StackCore

@Suite struct GoDurationTests {
    @Test(arguments: [
        ("10s", Int64(10_000_000_000)), ("1m30s", 90_000_000_000), ("1.5h", 5_400_000_000_000),
        ("500ms", 500_000_000), ("1us", 1_000), ("1µs", 1_000), ("2ns", 2), ("0", 0), ("-1s", -1_000_000_000),
        ("1h2m3s", 3_723_000_000_000),
    ])
    func parses(text: String, nanos: Int64) {
        #expect(GoDuration.parse(text) == nanos)
    }

    @Test(arguments: ["", "10", "1x", "s", "1.s.", "--1s", "1s2"])
    func rejects(text: String) {
        #expect(GoDuration.parse(text) == nil)
    }

    @Test(arguments: [
        (Int64(0), "0s"), (10_000_000_000, "10s"), (90_000_000_000, "1m30s"), (3_600_000_000_000, "1h0m0s"),
        (1_500_000_000, "1.5s"), (500_000_000, "500ms"), (1_500, "1.5µs"), (7, "7ns"), (-2_000_000_000, "-2s"),
        (120_000_000_000, "2m0s"),
    ])
    func formatsLikeGo(nanos: Int64, text: String) {
        #expect(GoDuration.format(nanos) == text)
    }
}

@Suite struct ByteSizeTests {
    @Test(arguments: [
        ("1024", Int64(1024)), ("1k", 1024), ("1kb", 1024), ("1KiB", 1024), ("512m", 536_870_912),
        ("1g", 1_073_741_824), ("1.5g", 1_610_612_736), ("100 MB", 104_857_600), ("0", 0), ("3b", 3),
    ])
    func parses(text: String, bytes: Int64) {
        #expect(ByteSize.parse(text) == bytes)
    }

    @Test(arguments: ["", "-1m", "12x", "m", "1.2.3g"])
    func rejects(text: String) {
        #expect(ByteSize.parse(text) == nil)
    }
}

@Suite struct IPAddressTests {
    @Test func parsesBothFamilies() {
        #expect(IPAddress("172.28.1.5")?.bytes == [172, 28, 1, 5])
        #expect(IPAddress("::1")?.bytes == Array(repeating: 0, count: 15) + [1])
        #expect(IPAddress("fd00:1::2")?.description == "fd00:1:0:0:0:0:0:2")
        #expect(IPAddress("::ffff:10.0.0.1")?.bytes.suffix(4) == [10, 0, 0, 1])
        for bad in ["256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4.5", "a::b::c", "12345::", "", "x"] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func cidrContains() throws {
        let net = try #require(CIDR("172.28.0.0/16"))
        #expect(net.contains(try #require(IPAddress("172.28.200.1"))))
        #expect(!net.contains(try #require(IPAddress("172.29.0.1"))))
        #expect(!net.contains(try #require(IPAddress("::1"))))
        #expect(CIDR("10.0.0.0/33") == nil)
        #expect(CIDR("10.0.0.0") == nil)
        let v6 = try #require(CIDR("fd00::/64"))
        #expect(v6.contains(try #require(IPAddress("fd00::abcd"))))
    }
}

@Suite struct StackErrorTests {
    @Test func rendersPositionPathAndMessage() {
        let error = StackError(
            .invalidStackFile, "must be a string", mark: SourceMark(file: "compose.yaml", line: 3, column: 5),
            path: "services.web.image")
        #expect(error.description == "compose.yaml:3:5: services.web.image: must be a string")
        #expect(error.exitStatus == 2)
        #expect(StackError(.system, "boom").exitStatus == 1)
    }
}

@Suite struct ComposeDurationUnitTests {
    @Test func daysAndWeeksOnlyWhenAsked() {
        #expect(GoDuration.parse("1d") == nil)
        #expect(GoDuration.parse("1d", daysAndWeeks: true) == 86_400_000_000_000)
        #expect(GoDuration.parse("1w2d3h", daysAndWeeks: true) == Int64(9 * 24 + 3) * 3_600_000_000_000)
        #expect(GoDuration.parse("1x", daysAndWeeks: true) == nil)
    }
}
