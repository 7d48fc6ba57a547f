import StackAPI
import StackCore
import StackModel

extension ServiceRequests {
    /// The create request of a project network: its engine name and labels from `desired`; driver
    /// (bridge), `internal`, `attachable`, `enable_ipv6`, IPAM pools and driver options from
    /// `definition` (nil: a plain bridge).
    ///
    /// Throws `.unsupported` at `networks.<key>.driver` for a driver other than `bridge`.
    public static func network(
        for desired: DesiredNetwork, definition: Network?
    ) throws(StackError) -> NetworkCreateRequest {
        var request = NetworkCreateRequest(name: desired.name, labels: desired.labels)
        guard let definition else { return request }
        if let driver = definition.driver, driver != "bridge" {
            throw StackError(
                .unsupported, "network driver \"\(driver)\" is not supported: only bridge",
                path: "networks.\(desired.key).driver")
        }
        request.internal = definition.internal
        request.attachable = definition.attachable
        request.enableIPv6 = definition.enableIPv6 ?? false
        request.options = definition.driverOpts
        if let ipam = definition.ipam {
            request.ipam = NetworkIPAM(
                driver: ipam.driver ?? "default",
                config: ipam.config.map { pool in
                    NetworkIPAMConfig(
                        subnet: pool.subnet ?? "", ipRange: pool.ipRange ?? "", gateway: pool.gateway ?? "",
                        auxiliaryAddresses: pool.auxAddresses)
                },
                options: ipam.options)
        }
        return request
    }

    /// The create request of a named volume: its engine name and labels from `desired`, driver and
    /// driver options from `definition`.
    ///
    /// Throws `.unsupported` at `volumes.<key>.driver` for a driver other than `local`.
    public static func volume(
        for desired: DesiredVolume, definition: StackModel.Volume?
    ) throws(StackError) -> VolumeCreateRequest {
        var request = VolumeCreateRequest(name: desired.name, labels: desired.labels)
        guard let definition else { return request }
        if let driver = definition.driver, driver != "local" {
            throw StackError(
                .unsupported, "volume driver \"\(driver)\" is not supported: only local",
                path: "volumes.\(desired.key).driver")
        }
        request.driver = definition.driver ?? ""
        request.driverOpts = definition.driverOpts
        return request
    }
}
