/// Block I/O weights and throttles (`blkio_config`).
public struct BlkioConfig: Sendable, Hashable, Codable {
    /// Relative weight, 10 to 1000.
    public var weight: UInt16?
    public var weightDevice: [WeightDevice]
    public var deviceReadBps: [ThrottleDevice]
    public var deviceWriteBps: [ThrottleDevice]
    public var deviceReadIOps: [ThrottleDevice]
    public var deviceWriteIOps: [ThrottleDevice]

    public init(
        weight: UInt16? = nil, weightDevice: [WeightDevice] = [], deviceReadBps: [ThrottleDevice] = [],
        deviceWriteBps: [ThrottleDevice] = [], deviceReadIOps: [ThrottleDevice] = [],
        deviceWriteIOps: [ThrottleDevice] = []
    ) {
        self.weight = weight
        self.weightDevice = weightDevice
        self.deviceReadBps = deviceReadBps
        self.deviceWriteBps = deviceWriteBps
        self.deviceReadIOps = deviceReadIOps
        self.deviceWriteIOps = deviceWriteIOps
    }

    enum CodingKeys: String, CodingKey {
        case weight
        case weightDevice = "weight_device"
        case deviceReadBps = "device_read_bps"
        case deviceWriteBps = "device_write_bps"
        case deviceReadIOps = "device_read_iops"
        case deviceWriteIOps = "device_write_iops"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        weight = try c.optional(.weight)
        weightDevice = try c.value(.weightDevice, or: [])
        deviceReadBps = try c.value(.deviceReadBps, or: [])
        deviceWriteBps = try c.value(.deviceWriteBps, or: [])
        deviceReadIOps = try c.value(.deviceReadIOps, or: [])
        deviceWriteIOps = try c.value(.deviceWriteIOps, or: [])
    }
}

/// A per-device block I/O weight.
public struct WeightDevice: Sendable, Hashable, Codable {
    public var path: String
    public var weight: UInt16

    public init(path: String, weight: UInt16) {
        self.path = path
        self.weight = weight
    }
}

/// A per-device throttle: bytes per second (`*_bps`, sizes like `"12mb"` accepted) or operations per second.
public struct ThrottleDevice: Sendable, Hashable, Codable {
    public var path: String
    public var rate: Int64

    public init(path: String, rate: Int64) {
        self.path = path
        self.rate = rate
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        guard let rate = try c.byteSize(.rate) else {
            throw DecodingError.keyNotFound(
                CodingKeys.rate, DecodingError.Context(codingPath: c.codingPath, debugDescription: "rate is required"))
        }
        self.rate = rate
    }
}
