import ArgumentParser
import Dispatch
import StackCore
import StackFile

/// `stack config`: load, merge, validate and print the normalized stack.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Parse, resolve and render the stack file in canonical form."
    )

    enum Format: String, ExpressibleByArgument {
        case yaml, json
    }

    @OptionGroup var global: GlobalOptions

    @Option(help: "Output format: yaml or json.")
    var format: Format = .yaml

    @Flag(help: "Print the service names, one per line.")
    var services = false

    @Flag(help: "Print the volume names, one per line.")
    var volumes = false

    @Flag(help: "Print the network names, one per line.")
    var networks = false

    @Flag(help: "Print the profile names, one per line.")
    var profiles = false

    @Flag(name: .shortAndLong, help: "Only validate; print nothing.")
    var quiet = false

    @Flag(name: .customLong("no-interpolate"), help: "Do not interpolate variables.")
    var noInterpolate = false

    @Flag(name: .customLong("no-consistency"), help: "Skip the consistency checks (undefined references, cycles, conflicts).")
    var noConsistency = false

    @Flag(help: "Treat every warning (e.g. a key stack does not support yet) as an error.")
    var strict = false

    @Argument(help: "Services to render (default: all enabled).")
    var serviceNames: [String] = []

    func run() throws {
        // Compile the embedded schema on the second core while the files are read and parsed.
        DispatchQueue.global().async { SchemaValidator.prepareStackFile() }
        var options = global.loadOptions(interpolate: !noInterpolate, services: serviceNames)
        options.checkConsistency = !noConsistency
        let loaded: ResolvedStack
        do {
            loaded = try StackLoader().resolve(options)
        } catch {
            throw ExitCode(Terminal.fail(error))
        }
        if strict, !loaded.warnings.isEmpty {
            for warning in loaded.warnings { Terminal.err("error: \(warning)\n") }
            Terminal.err("error: \(loaded.warnings.count) warning(s) with --strict\n")
            throw ExitCode(2)
        }
        Terminal.warn(loaded.warnings)
        var tree = loaded.canonical
        if !serviceNames.isEmpty {
            for name in serviceNames where tree["services"]?[name] == nil {
                Terminal.err("error: no such service: \(name)\n")
                throw ExitCode(1)
            }
            if var servicesNode = tree["services"], let entries = servicesNode.entries {
                servicesNode.kind = .mapping(entries.filter { serviceNames.contains($0.key) })
                tree["services"] = servicesNode
            }
        }
        // Decoding the typed model checks that the engine can represent the stack; it runs on a
        // second core while the output is rendered.
        let rendered: String
        let decoded: Result<Void, StackError>
        (decoded, rendered) = concurrently({ () -> Result<Void, StackError> in
            do throws(StackError) {
                _ = try loaded.decodeProject()
                return .success(())
            } catch {
                return .failure(error)
            }
        }, { render(tree, loaded) })
        if case .failure(let error) = decoded { throw ExitCode(Terminal.fail(error)) }
        if !quiet { Terminal.out(rendered) }
    }

    /// The output for the selected flags.
    private func render(_ tree: Node, _ loaded: ResolvedStack) -> String {
        if quiet { return "" }
        if services || volumes || networks || profiles {
            var lines: [String] = []
            // Sorted, as the rendered file orders them.
            if services { lines += (tree["services"]?.entries?.map(\.key) ?? []).sorted() }
            if volumes { lines += (tree["volumes"]?.entries?.map(\.key) ?? []).sorted() }
            if networks { lines += (tree["networks"]?.entries?.map(\.key) ?? []).sorted() }
            if profiles { lines += loaded.allProfiles }
            return lines.map { $0 + "\n" }.joined()
        }
        switch format {
        case .yaml: return YAMLEmitter().emit(tree)
        case .json: return JSONEmitter().emit(tree)
        }
    }
}
