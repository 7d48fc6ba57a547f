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
        var values: [String: String] = [:]
        var flags: Set<String> = []
        var id: String?
        let valued: [String: String] = [
            "--bundle": "bundle", "-b": "bundle", "--pid-file": "pid-file", "--console-socket": "console-socket",
            "--root": "root", "--log": "log", "--log-format": "log-format",
        ]
        let flagged: [String: String] = ["--no-pivot": "no-pivot", "--detach": "detach", "-d": "detach", "--debug": "debug"]
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if let flag = flagged[argument] {
                guard flags.insert(flag).inserted else { return nil }
                continue
            }
            var name = argument
            var value: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            if let key = valued[name] {
                if value == nil {
                    guard index < arguments.count, !arguments[index].hasPrefix("-") else { return nil }
                    value = arguments[index]
                    index += 1
                }
                guard let value, values[key] == nil else { return nil }
                values[key] = value
                continue
            }
            guard !argument.hasPrefix("-"), id == nil else { return nil }
            id = argument
        }
        guard let id else { return nil }
        if let format = values["log-format"] {
            guard format == "text" || format == "json" else { return nil }
            globals.logFormat = format
        }
        if let root = values["root"] { globals.root = root }
        globals.log = values["log"]
        globals.debug = flags.contains("debug")
        detach = flags.contains("detach")
        options = CreateOptions(
            id: id, bundle: values["bundle"] ?? ".", pidFile: values["pid-file"],
            consoleSocket: values["console-socket"], noPivotRoot: flags.contains("no-pivot"))
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
