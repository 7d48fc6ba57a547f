import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The host's resolvers, as Docker picks them for its embedded DNS.
public enum ResolvConf {
    /// The `nameserver` addresses of `hostFile` without loopback ones (127.0.0.0/8, ::1: they mean
    /// nothing inside a container's view, and forwarding there would loop through a local stub).
    /// When the file names only loopback resolvers (systemd-resolved's 127.0.0.53 stub), the
    /// non-loopback ones of `systemdFile` are used instead. Missing files give no addresses.
    public static func upstreams(
        hostFile: String = "/etc/resolv.conf", systemdFile: String = "/run/systemd/resolve/resolv.conf"
    ) -> [IPAddress] {
        let all = nameservers(in: readFile(hostFile) ?? "")
        let usable = all.filter { !isLoopback($0) }
        if usable.isEmpty, !all.isEmpty {
            return nameservers(in: readFile(systemdFile) ?? "").filter { !isLoopback($0) }
        }
        return usable
    }

    /// The addresses of the `nameserver` lines of resolv.conf text (comments and other lines ignored;
    /// a zone suffix such as `%eth0` is dropped).
    public static func nameservers(in text: String) -> [IPAddress] {
        var result: [IPAddress] = []
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { continue }
            var text = fields[1]
            if let percent = text.firstIndex(of: "%") { text = text[..<percent] }
            if let address = IPAddress(String(text)), !result.contains(address) { result.append(address) }
        }
        return result
    }

    /// 127.0.0.0/8 and ::1.
    public static func isLoopback(_ address: IPAddress) -> Bool {
        if address.isIPv4 { return address.bytes.first == 127 }
        return address.bytes == [UInt8](repeating: 0, count: 15) + [1]
    }

    private static func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 20 {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension DNSUpstream {
    /// The upstreams stackd uses: `setting` (the `STACK_DNS_UPSTREAM` value, comma-separated
    /// `IP[:PORT]`) when given and not empty, otherwise `ResolvConf.upstreams` on port 53.
    public static func configured(
        setting: String?, hostFile: String = "/etc/resolv.conf",
        systemdFile: String = "/run/systemd/resolve/resolv.conf"
    ) throws(StackError) -> [DNSUpstream] {
        if let setting, !setting.trimmingSpaces.isEmpty { return try parseList(setting) }
        return ResolvConf.upstreams(hostFile: hostFile, systemdFile: systemdFile).map { DNSUpstream($0) }
    }
}
