import StackCore

/// Reads a bundle's `config.json` (and `exec --process` files) into `Spec` values.
///
/// The caller reads the bytes (this target does no I/O); decode failures are `StackError(.invalidArgument)`
/// naming the file and the field: `config.json: process.args: expected an array of strings, found a string`.
public enum SpecLoader {
    /// The name of the configuration file in a bundle.
    public static let configFileName = "config.json"

    /// Decodes a config.json document.
    public static func decode(data: some Collection<UInt8>, file: String = configFileName) throws(StackError) -> Spec {
        let value = try JSONParser.parse(data, file: file)
        // The usual document without Codable (see SpecFastDecoding); the rest, and every error, through it.
        if let spec = SpecFastDecoding.spec(value) { return spec }
        return try JSONValueDecoder(file: file).decode(Spec.self, from: value)
    }

    /// Decodes a config.json document given as text.
    public static func decode(text: String, file: String = configFileName) throws(StackError) -> Spec {
        try decode(data: Array(text.utf8), file: file)
    }

    /// Decodes a process document (`exec --process FILE`): the `process` object of config.json on its own.
    public static func decodeProcess(data: some Collection<UInt8>, file: String = "process.json") throws(StackError)
        -> Spec.Process
    {
        try JSONValueDecoder(file: file).decode(Spec.Process.self, from: data)
    }

    /// The path of config.json in `bundle`.
    public static func configPath(bundle: String) -> String {
        bundle.hasSuffix("/") ? bundle + configFileName : bundle + "/" + configFileName
    }

    /// Reads `bundle/config.json` with `readFile` (the caller's file access) and decodes it.
    /// A `StackError` from `readFile` passes through; other errors become `.notFound`/`.system` errors naming the path.
    public static func load(bundle: String, readFile: (String) throws -> [UInt8]) throws(StackError) -> Spec {
        let path = configPath(bundle: bundle)
        let bytes: [UInt8]
        do {
            bytes = try readFile(path)
        } catch let error as StackError {
            throw error
        } catch {
            throw StackError(.system, "cannot read \(path)", cause: error)
        }
        return try decode(data: bytes, file: path)
    }

    /// Encodes a spec the way `runc spec` writes config.json: tab-indented, members in spec order.
    public static func encode(_ spec: Spec) throws(StackError) -> String {
        try JSONValueEncoder(indent: "\t").encodeString(spec)
    }
}
