/// rtnetlink constants Glibc does not export, with the values of the kernel UAPI headers
/// (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h, linux/veth.h).
public enum NetlinkConstant {
    // linux/netlink.h
    public static let netlinkRoute: Int32 = 0
    public static let addressFamilyNetlink: Int32 = 16
    public static let extendedAckOption: Int32 = 11  // NETLINK_EXT_ACK
    public static let solNetlink: Int32 = 270

    // Message types (nlmsghdr.nlmsg_type).
    public static let messageNoop: UInt16 = 1
    public static let messageError: UInt16 = 2
    public static let messageDone: UInt16 = 3
    public static let messageOverrun: UInt16 = 4

    // Request flags.
    public static let flagRequest: UInt16 = 0x01
    public static let flagMulti: UInt16 = 0x02
    public static let flagAck: UInt16 = 0x04
    public static let flagDumpInterrupted: UInt16 = 0x10
    public static let flagDump: UInt16 = 0x300
    public static let flagReplace: UInt16 = 0x100
    public static let flagExclusive: UInt16 = 0x200
    public static let flagCreate: UInt16 = 0x400
    /// On an NLMSG_ERROR: extended-ACK attributes follow.
    public static let flagAckTLVs: UInt16 = 0x200
    /// On an NLMSG_ERROR: the original request was capped to its header.
    public static let flagCapped: UInt16 = 0x100
    public static let errorAttributeMessage: UInt16 = 1  // NLMSGERR_ATTR_MSG

    // linux/rtnetlink.h message types.
    public static let newLink: UInt16 = 16
    public static let deleteLink: UInt16 = 17
    public static let getLink: UInt16 = 18
    public static let setLink: UInt16 = 19
    public static let newAddress: UInt16 = 20
    public static let deleteAddress: UInt16 = 21
    public static let getAddress: UInt16 = 22
    public static let newRoute: UInt16 = 24
    public static let deleteRoute: UInt16 = 25
    public static let getRoute: UInt16 = 26

    // linux/if_link.h
    public static let linkAddress: UInt16 = 1  // IFLA_ADDRESS
    public static let linkIfName: UInt16 = 3  // IFLA_IFNAME
    public static let linkMTU: UInt16 = 4  // IFLA_MTU
    public static let linkLink: UInt16 = 5  // IFLA_LINK
    public static let linkMaster: UInt16 = 10  // IFLA_MASTER
    public static let linkOperState: UInt16 = 16  // IFLA_OPERSTATE
    public static let linkInfo: UInt16 = 18  // IFLA_LINKINFO
    public static let linkNetNamespaceFD: UInt16 = 28  // IFLA_NET_NS_FD
    public static let linkInfoKind: UInt16 = 1  // IFLA_INFO_KIND
    public static let linkInfoData: UInt16 = 2  // IFLA_INFO_DATA
    public static let vethInfoPeer: UInt16 = 1  // VETH_INFO_PEER

    // linux/if.h
    public static let interfaceUp: UInt32 = 0x1  // IFF_UP

    // linux/if_addr.h
    public static let addressAddress: UInt16 = 1  // IFA_ADDRESS
    public static let addressLocal: UInt16 = 2  // IFA_LOCAL
    public static let addressLabel: UInt16 = 3  // IFA_LABEL
    public static let addressBroadcast: UInt16 = 4  // IFA_BROADCAST

    // linux/rtnetlink.h route attributes and values.
    public static let routeDestination: UInt16 = 1  // RTA_DST
    public static let routeOutputInterface: UInt16 = 4  // RTA_OIF
    public static let routeGateway: UInt16 = 5  // RTA_GATEWAY
    public static let routePriority: UInt16 = 6  // RTA_PRIORITY
    public static let routeTable: UInt16 = 15  // RTA_TABLE
    public static let tableMain: UInt8 = 254  // RT_TABLE_MAIN
    public static let protocolBoot: UInt8 = 3  // RTPROT_BOOT
    public static let scopeUniverse: UInt8 = 0  // RT_SCOPE_UNIVERSE
    public static let scopeLink: UInt8 = 253  // RT_SCOPE_LINK
    public static let scopeHost: UInt8 = 254  // RT_SCOPE_HOST
    public static let scopeNowhere: UInt8 = 255  // RT_SCOPE_NOWHERE: any scope, when deleting
    public static let routeTypeUnicast: UInt8 = 1  // RTN_UNICAST

    // Address families.
    public static let familyUnspecified: UInt8 = 0
    public static let familyIPv4: UInt8 = 2  // AF_INET
    public static let familyIPv6: UInt8 = 10  // AF_INET6
}
