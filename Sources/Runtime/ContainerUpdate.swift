import Cgroups
import RuntimeSpec
import StackCore

extension ContainerOperations {
    /// `update`: change the cgroup limits of a live (created, running or paused) container.
    ///
    /// Only the fields the update sets are written to the cgroup (through `CgroupManager.update`);
    /// the merged resources are then saved in the container's config copy, so later commands see
    /// them. Warnings (unsupported fields) go to the log. Returns the merged resources.
    @discardableResult
    public func update(_ id: String, _ update: ResourceUpdate) throws(StackError) -> Spec.Linux.Resources {
        let container = try container(id)
        let status = container.status
        guard status != .stopped else {
            throw StackError(.invalidArgument, "cannot update container \(id): it is stopped")
        }
        let manager = try container.cgroup()
        guard manager.exists() else {
            throw StackError(.notFound, "cannot update container \(id): its cgroup \(container.record.cgroupPath) is gone")
        }
        var spec = container.spec
        let merged = ResourceMerge.merge(update.patch, into: spec.linux?.resources)
        if let limit = update.patch.memory?.limit, update.patch.memory?.swap == nil, limit > 0,
            let swap = merged.memory?.swap, swap > 0, limit > swap
        {
            throw StackError(
                .invalidArgument,
                "cannot update container \(id): memory limit \(limit) is above its memory+swap limit \(swap); set --memory-swap too")
        }
        for warning in update.warnings { log.warning(warning) }
        let changes = ResourceMapping.cgroupResources(update.patch)
        for reason in manager.unsupportedResources(changes) { log.warning(reason) }
        do throws(StackError) {
            try manager.update(changes)
        } catch {
            var named = error
            named.message = "update container \(id): " + error.message
            throw named
        }
        if spec.linux == nil { spec.linux = Spec.Linux() }
        spec.linux?.resources = merged
        try store.saveSpec(spec, id: id)
        return merged
    }
}
