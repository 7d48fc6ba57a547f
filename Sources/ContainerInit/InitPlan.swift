/// The container's init as a list of steps, computed before the clone and run by C in the cloned
/// child (`cr_init_run`): no second process image is loaded between `create` and the payload.
public struct InitPlan: Sendable, Hashable, CustomStringConvertible {
    /// `CR_INIT_MAGIC` ("SRIP").
    public static let magic: UInt32 = 0x5049_5253

    public var steps: [InitStep]

    public init(_ steps: [InitStep] = []) { self.steps = steps }

    public mutating func append(_ step: InitStep) { steps.append(step) }

    /// One step per line.
    public var description: String { steps.map(\.description).joined(separator: "\n") }

    /// The bytes `cr_init_run` reads: magic, count, then each step's 48-byte header, its items
    /// (u32 length, bytes, NUL) and zero padding to the next multiple of 8.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 * steps.count + 8)
        Self.append(Self.magic, to: &bytes)
        Self.append(UInt32(truncatingIfNeeded: steps.count), to: &bytes)
        for step in steps {
            var payload: [UInt8] = []
            for item in step.items {
                switch item {
                case .string(let text):
                    Self.append(UInt32(truncatingIfNeeded: text.utf8.count), to: &payload)
                    payload.append(contentsOf: text.utf8)
                case .bytes(let blob):
                    Self.append(UInt32(truncatingIfNeeded: blob.count), to: &payload)
                    payload.append(contentsOf: blob)
                }
                payload.append(0)
            }
            Self.append(step.code.rawValue, to: &bytes)
            Self.append(step.flags.rawValue, to: &bytes)
            for value in [step.a, step.b, step.c, step.d] { Self.append(value, to: &bytes) }
            Self.append(UInt32(truncatingIfNeeded: step.items.count), to: &bytes)
            Self.append(UInt32(truncatingIfNeeded: payload.count), to: &bytes)
            bytes.append(contentsOf: payload)
            while bytes.count % 8 != 0 { bytes.append(0) }
        }
        return bytes
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
