#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import StackCore

/// Operations on whole cgroup directories, shared by the managers.
enum CgroupTree {
    /// Removes `directory` and its sub-cgroups, deepest first. EBUSY is retried with a doubling
    /// pause (tasks that were just killed take a moment to leave); a missing directory is fine.
    ///
    /// The usual directory has no sub-cgroups, so it is removed first and listed only when that
    /// fails with EBUSY (sub-cgroups or tasks); that first try does not count as an attempt.
    static func remove(_ directory: String, fs: any CgroupFileSystem, options: CgroupManagerOptions) throws(StackError) {
        guard fs.exists(directory) else { return }
        do {
            try fs.rmdir(directory)
            return
        } catch {
            if error.cgroupErrno == ENOENT { return }
            guard error.cgroupErrno == EBUSY else { throw error }
        }
        for entry in try fs.list(directory) where entry.isDirectory {
            try remove(directory + "/" + entry.name, fs: fs, options: options)
        }
        var delay = options.rmdirRetryDelayMicroseconds
        var attempt = 1
        while true {
            do {
                try fs.rmdir(directory)
                return
            } catch {
                if error.cgroupErrno == ENOENT { return }
                guard error.cgroupErrno == EBUSY, attempt < options.rmdirAttempts else { throw error }
            }
            if delay > 0 { usleep(delay) }
            delay = delay.multipliedReportingOverflow(by: 2).overflow ? delay : delay * 2
            attempt += 1
        }
    }

    /// The pids in `directory`'s `cgroup.procs`, and in those of its sub-cgroups.
    static func processes(in directory: String, fs: any CgroupFileSystem) throws(StackError) -> [Int32] {
        var pids = try fs.read(directory + "/cgroup.procs").split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
        for entry in try fs.list(directory) where entry.isDirectory {
            pids += try processes(in: directory + "/" + entry.name, fs: fs)
        }
        return pids
    }

    /// Writes `value` to `file`, then polls `read` until `reached` says the kernel got there, writing
    /// again now and then (tasks forked meanwhile may need another pass). Times out with an error.
    static func waitForState(
        write file: String, value: String, fs: any CgroupFileSystem, options: CgroupManagerOptions,
        what: String, read: () throws(StackError) -> String, reached: (String) -> Bool
    ) throws(StackError) {
        try fs.write(file, value)
        var waited: UInt64 = 0
        var polls = 0
        while true {
            let current = try read()
            if reached(current) { return }
            if waited >= options.freezeTimeoutMicroseconds {
                throw StackError(.system, "\(what) \(CgroupPath.parent(file)): timed out after \(waited / 1000) ms (state \(current))")
            }
            polls += 1
            if polls % 50 == 0 { try fs.write(file, value) }
            usleep(options.freezePollMicroseconds)
            waited += UInt64(max(options.freezePollMicroseconds, 1))
        }
    }

    /// Parses an unsigned number file; `max` (and v1's huge "unlimited" values) give nil.
    static func limitValue(_ text: String) -> UInt64? {
        let trimmed = CgroupText.trimmed(text)
        guard let value = UInt64(trimmed) else { return nil }
        return value >= 0x7FFF_FFFF_FFFF_F000 ? nil : value
    }

    /// The number in a file, or nil when the file is missing or not a number.
    static func number(_ path: String, fs: any CgroupFileSystem) -> UInt64? {
        guard fs.exists(path), let text = try? fs.read(path) else { return nil }
        return UInt64(CgroupText.trimmed(text))
    }

    /// `key value` lines of a file, empty when the file is missing.
    static func keyValues(_ path: String, fs: any CgroupFileSystem) -> [String: UInt64] {
        guard fs.exists(path), let text = try? fs.read(path) else { return [:] }
        return CgroupText.keyValues(text)
    }
}
