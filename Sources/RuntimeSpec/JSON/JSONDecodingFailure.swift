/// Why a value could not be decoded, and where: thrown inside `Decodable` initializers by `JSONValueDecoder`,
/// turned into a `StackError` at the decoder's entry point.
struct JSONDecodingFailure: Error {
    /// The rendered path, e.g. `process.args[1]`; empty for the document itself.
    var path: String
    var message: String

    init(_ path: [any CodingKey], _ message: String) {
        self.path = JSONPath.render(path)
        self.message = message
    }
}
