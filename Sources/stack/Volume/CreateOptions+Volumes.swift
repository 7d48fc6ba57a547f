import ContainerConfig
import Foundation
import StackAPI
import StackCore

extension CreateOptions {
    /// `-v`, `--mount` and `--volumes-from` as Docker's CLI sends them: `-v /ctr` in `Volumes`, other
    /// `-v` values in `HostConfig.Binds`, `--mount` in `HostConfig.Mounts` (checked here first, so a
    /// bad value fails before the daemon is asked).
    func applyVolumeFlags(to request: inout ContainerCreateRequest) throws(StackError) {
        for text in volume {
            let parsed = try MountParsing.volume(text)
            if parsed.isAnonymousVolume && !text.contains(":") {
                request.volumes.append(parsed.target)
            } else {
                request.hostConfig.binds.append(text)
            }
        }
        let directory = FileManager.default.currentDirectoryPath
        for text in mount {
            request.hostConfig.mounts.append(MountParsing.spec(from: try MountParsing.mount(text, workingDirectory: directory)))
        }
        request.hostConfig.volumesFrom += volumesFrom
    }
}
