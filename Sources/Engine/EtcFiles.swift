/// The `/etc/hostname`, `/etc/hosts` and `/etc/resolv.conf` a container gets (bind-mounted from its
/// directory, as Docker does), so the image's own files are not changed.
public struct EtcFiles: Sendable, Hashable {
    public var hostname: String
    public var hosts: String
    public var resolvConf: String

    /// Files for a container named `hostname`; `hostResolvConf` is the host's /etc/resolv.conf
    /// text (nil when absent). With the host network the host's resolver is kept as is; otherwise
    /// loopback nameservers (which would point into the container itself) are dropped.
    /// `address` is the container's address on its first network (Docker maps the hostname to
    /// it); without one the hostname maps to 127.0.1.1.
    public init(hostname: String, domainname: String = "", hostResolvConf: String?, hostNetwork: Bool, address: String? = nil) {
        self.hostname = hostname + "\n"
        let fqdn = domainname.isEmpty ? hostname : "\(hostname).\(domainname) \(hostname)"
        hosts = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters
            \(address ?? "127.0.1.1")\t\(fqdn)

            """
        resolvConf = Self.resolvConf(from: hostResolvConf ?? "", keepLoopback: hostNetwork)
    }

    static func resolvConf(from text: String, keepLoopback: Bool) -> String {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if !keepLoopback, fields.first == "nameserver", fields.count > 1,
                fields[1].hasPrefix("127.") || fields[1] == "::1"
            {
                continue
            }
            lines.append(String(line))
        }
        var result = lines.joined(separator: "\n")
        if !result.hasSuffix("\n") { result += "\n" }
        return result
    }
}
