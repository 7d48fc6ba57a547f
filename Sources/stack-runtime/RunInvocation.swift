import ArgumentParser
import Runtime

#if canImport(Glibc)
import Glibc
#endif

/// `stack-runtime run` with plain options and one id, recognised before ArgumentParser runs:
/// its set-up (reflection over the command tree, and the built-in completion-script parsers it
/// tries first) was 11 M of the 26 M instructions `run` executes in the runtime process.
///
/// Only this shape is taken: `run` followed by `--bundle/-b`, `--pid-file`, `--console-socket`,
/// `--root`, `--log`, `--log-format text|json` (each with a value, as the next word or after
/// `=`), `--no-pivot`, `--detach/-d`, `--debug`, and exactly one id not starting with `-`.
/// Anything else — help, `--`, combined short flags, a repeated option, an unknown word — goes
/// through ArgumentParser and `RunCommand`, which give the same result for what is taken here.
struct RunInvocation {
    var globals = GlobalSettings()
    var options: CreateOptions
    var detach = false

    /// The invocation `arguments` (global options already after the command name) spell, or nil.
    init?(_ arguments: [String]) {
        guard arguments.first == "run" else { return nil }
        // Values and flags by position in `Option`; plain arrays and switches, no Set or
        // Dictionary (their first use costs generic-metadata and conformance lookups at start-up).
        var values = [String?](repeating: nil, count: Option.allCases.count)
        var flags = [Bool](repeating: false, count: Flag.allCases.count)
        var id: String?
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if let flag = Flag(argument) {
                guard !flags[flag.rawValue] else { return nil }
                flags[flag.rawValue] = true
                continue
            }
            var name = argument
            var value: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            if let option = Option(name) {
                if value == nil {
                    guard index < arguments.count, !arguments[index].hasPrefix("-") else { return nil }
                    value = arguments[index]
                    index += 1
                }
                guard let value, values[option.rawValue] == nil else { return nil }
                values[option.rawValue] = value
                continue
            }
            guard !argument.hasPrefix("-"), id == nil else { return nil }
            id = argument
        }
        guard let id else { return nil }
        if let format = values[Option.logFormat.rawValue] {
            guard format == "text" || format == "json" else { return nil }
            globals.logFormat = format
        }
        if let root = values[Option.root.rawValue] { globals.root = root }
        globals.log = values[Option.log.rawValue]
        globals.debug = flags[Flag.debug.rawValue]
        detach = flags[Flag.detach.rawValue]
        options = CreateOptions(
            id: id, bundle: values[Option.bundle.rawValue] ?? ".", pidFile: values[Option.pidFile.rawValue],
            consoleSocket: values[Option.consoleSocket.rawValue], noPivotRoot: flags[Flag.noPivot.rawValue])
    }

    /// The options that take a value.
    private enum Option: Int, CaseIterable {
        case bundle, pidFile, consoleSocket, root, log, logFormat

        init?(_ name: String) {
            switch name {
            case "--bundle", "-b": self = .bundle
            case "--pid-file": self = .pidFile
            case "--console-socket": self = .consoleSocket
            case "--root": self = .root
            case "--log": self = .log
            case "--log-format": self = .logFormat
            default: return nil
            }
        }
    }

    /// The flags.
    private enum Flag: Int, CaseIterable {
        case noPivot, detach, debug

        init?(_ argument: String) {
            switch argument {
            case "--no-pivot": self = .noPivot
            case "--detach", "-d": self = .detach
            case "--debug": self = .debug
            default: return nil
            }
        }
    }

    /// Runs the container and exits as `stack-runtime run` does.
    func run() -> Never {
        do {
            try RunCommand.execute(globals, options: options, detach: detach)
        } catch let code as ExitCode {
            // What ArgumentParser does with it (exit silently), without building help text first.
            Glibc.exit(code.rawValue)
        } catch {
            StackRuntime.exit(withError: error)
        }
        StackRuntime.exit()
    }
}
