import StackCore

extension NetlinkRequest {
    /// `ip link set NAME address MAC`: IFLA_ADDRESS after the name.
    public static func setHardwareAddress(name: String, address: [UInt8]) -> NetlinkMessage {
        setLink(name: name, attributes: [NetlinkAttribute(type: NetlinkConstant.linkAddress, value: address)])
    }
}
