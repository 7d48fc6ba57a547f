import StackAPI
import StackCore
import Volumes

extension MountParsing {
    /// A `HostConfig.Mounts` entry (the API's `--mount`) → a checked request, with the same rules and
    /// messages as `mount(_:)`'s daemon-side checks (`invalid mount config for type "…": …`).
    public static func request(from spec: MountSpec) throws(StackError) -> MountRequest {
        guard let kind = MountKind(rawValue: spec.type) else {
            throw StackError(.invalidArgument, "invalid mount config: mount type unknown: \"\(spec.type)\"")
        }
        let misplaced = { (field: String) -> StackError in
            StackError(
                .invalidArgument, "invalid mount config for type \"\(kind.rawValue)\": field \(field) must not be specified")
        }
        if spec.bindOptions != nil && kind != .bind { throw misplaced("BindOptions") }
        if spec.volumeOptions != nil && kind != .volume { throw misplaced("VolumeOptions") }
        if spec.tmpfsOptions != nil && kind != .tmpfs { throw misplaced("TmpfsOptions") }
        let propagation = spec.bindOptions.map(\.propagation).flatMap { $0.isEmpty ? nil : $0 }
        let size = spec.tmpfsOptions.map(\.sizeBytes).flatMap { $0 > 0 ? $0 : nil }
        let mode = spec.tmpfsOptions.map(\.mode).flatMap { $0 > 0 ? $0 : nil }
        var request = MountRequest(
            kind: kind, source: spec.source, target: spec.target, readOnly: spec.readOnly, propagation: propagation,
            createHostPath: spec.bindOptions?.createMountpoint ?? false, noCopy: spec.volumeOptions?.noCopy ?? false,
            tmpfsSize: size, tmpfsMode: mode)
        try validate(&request)
        return request
    }

    /// A request → the API's `Mounts` entry (what `stack` sends for `--mount`).
    public static func spec(from request: MountRequest) -> MountSpec {
        var spec = MountSpec(type: request.kind.rawValue, source: request.source, target: request.target,
            readOnly: request.readOnly)
        switch request.kind {
        case .bind:
            if request.propagation != nil || request.createHostPath {
                spec.bindOptions = MountSpec.BindOptions(
                    propagation: request.propagation ?? "", createMountpoint: request.createHostPath)
            }
        case .volume:
            if request.noCopy { spec.volumeOptions = MountSpec.VolumeOptions(noCopy: true) }
        case .tmpfs:
            if request.tmpfsSize != nil || request.tmpfsMode != nil {
                spec.tmpfsOptions = MountSpec.TmpfsOptions(
                    sizeBytes: request.tmpfsSize ?? 0, mode: request.tmpfsMode ?? 0)
            }
        }
        return spec
    }
}
