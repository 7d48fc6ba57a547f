import ArgumentParser
import Foundation
import StackCore
import StackModel

/// How `up` behaves in the foreground (without `-d`), from its flags and the loaded project:
/// whose logs it shows, whose containers it waits for, and what ends it.
struct ForegroundOptions: Sendable {
    /// What a container's exit does (`--abort-on-container-exit`, `--abort-on-container-failure`).
    enum Cascade: Sendable { case ignore, stop, fail }

    /// Services whose output is shown (`--attach`, `--no-attach`, `--attach-dependencies`).
    var attach: Set<String>
    /// Services whose containers `up` waits for, and whose exits may abort the stack: the
    /// services named on the command line, else the attached ones, else all.
    var watch: Set<String>
    var cascade: Cascade
    /// `--exit-code-from`: `up` exits with this service's container's exit code.
    var exitCodeFrom: String?
    /// `-t`: seconds between the stop signal and SIGKILL when the stack is stopped.
    var timeout: Int?
    var noLogPrefix: Bool
    var colour: Bool
    /// `--timestamps`: each line shows its time.
    var timestamps: Bool

    /// The flags as given to `up`, checked against the project (after Compose's own checks of
    /// which flags go together, done by `UpCommand.validate`).
    struct Flags {
        var services: [String]
        var attach: [String]
        var noAttach: [String]
        var attachDependencies: Bool
        var abortOnExit: Bool
        var abortOnFailure: Bool
        var exitCodeFrom: String?
        var timeout: Int?
        var noLogPrefix: Bool
        var noColor: Bool
        var timestamps = false
    }

    init(_ flags: Flags, project: Project) throws {
        let names = project.services.map(\.name)
        if let service = flags.exitCodeFrom, !names.contains(service) {
            throw ExitCode(Terminal.fail(StackError(.invalidArgument, "--exit-code-from: no such service: \(service)")))
        }
        var attach: Set<String>
        if !flags.attach.isEmpty {
            let unknown = Set(flags.attach).subtracting(names).sorted()
            guard unknown.isEmpty else {
                throw ExitCode(
                    Terminal.fail(
                        StackError(.invalidArgument, "cannot attach to services not included in up: \(unknown.joined(separator: ", "))")))
            }
            attach = Set(flags.attach)
        } else if flags.services.isEmpty || flags.attachDependencies {
            // The loaded project holds the named services and what they depend on.
            attach = Set(names)
        } else {
            attach = Set(flags.services).intersection(names)
        }
        attach.subtract(flags.noAttach)
        self.attach = attach
        let named = Set(flags.services).intersection(names)
        watch = !named.isEmpty ? named : !attach.isEmpty ? attach : Set(names)
        // --exit-code-from implies --abort-on-container-exit unless failures alone abort.
        cascade = flags.abortOnFailure ? .fail : (flags.abortOnExit || flags.exitCodeFrom != nil) ? .stop : .ignore
        exitCodeFrom = flags.exitCodeFrom
        timeout = flags.timeout
        noLogPrefix = flags.noLogPrefix
        colour = !flags.noColor && isatty(1) != 0
        timestamps = flags.timestamps
    }

    /// `--build`: there is no image builder. Refused, naming the services that have `build:`;
    /// a warning when none has (then there is nothing to build).
    static func checkBuild(_ project: Project) throws {
        let building = project.services.filter { $0.build != nil }.map(\.name).sorted()
        if building.isEmpty {
            Terminal.err("warning: --build: no service has a build section; nothing to build\n")
            return
        }
        Terminal.err(
            "stack: up --build: stack has no image builder; services with build: \(building.joined(separator: ", ")) "
                + "(build their images elsewhere and give them an image:)\n")
        throw ExitCode(1)
    }
}
