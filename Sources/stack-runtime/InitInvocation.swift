import ContainerInit

/// `stack-runtime init [--bundle DIR] [--no-pivot] [--exec]`, recognised before ArgumentParser
/// runs: the container's init is started by `create` (and `exec`) on every container, and
/// ArgumentParser's set-up of the whole command tree costs it milliseconds. Anything unusual
/// (another option, a missing value) is left to ArgumentParser and `InitCommand`.
struct InitInvocation: Equatable {
    var bundle = "."
    var noPivot = false
    var exec = false

    /// The invocation `arguments` (without the program name) spell, or nil.
    init?(_ arguments: [String]) {
        guard arguments.first == "init" else { return nil }
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--no-pivot": noPivot = true
            case "--exec": exec = true
            case "--bundle":
                guard index + 1 < arguments.count else { return nil }
                bundle = arguments[index + 1]
                index += 1
            default:
                guard argument.hasPrefix("--bundle=") else { return nil }
                bundle = String(argument.dropFirst("--bundle=".count))
            }
            index += 1
        }
    }

    /// Becomes the init; never returns.
    func run() -> Never {
        if exec { InitRunner.runExec() }
        InitRunner.run(bundle: bundle, noPivotRoot: noPivot)
    }
}
