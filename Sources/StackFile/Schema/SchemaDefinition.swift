import StackCore

/// The JSON types a schema can require; "integer" is a subset of "number".
struct SchemaTypes: OptionSet, Sendable {
    let rawValue: UInt8
    static let null = SchemaTypes(rawValue: 1 << 0)
    static let boolean = SchemaTypes(rawValue: 1 << 1)
    static let integer = SchemaTypes(rawValue: 1 << 2)
    static let number = SchemaTypes(rawValue: 1 << 3)
    static let string = SchemaTypes(rawValue: 1 << 4)
    static let array = SchemaTypes(rawValue: 1 << 5)
    static let object = SchemaTypes(rawValue: 1 << 6)

    /// JSON Schema type names in the order they are listed in messages, with the word used there.
    static let names: [(type: SchemaTypes, json: String, word: String)] = [
        (.array, "array", "array"), (.boolean, "boolean", "boolean"), (.integer, "integer", "integer"),
        (.object, "object", "mapping"), (.null, "null", "null"), (.number, "number", "number"),
        (.string, "string", "string"),
    ]

    /// The words for these types, alphabetically: ["boolean", "null", "number", "string"].
    var words: [String] {
        Self.names.filter { contains($0.type) }.map(\.word).sorted()
    }
}

/// A `format` the validator checks on string values.
enum SchemaFormat: Sendable {
    /// Go `time.ParseDuration` syntax: `1m30s`, `500ms`.
    case duration
    /// A byte size: `512m`, `1g`, `1024`.
    case bytes
}

/// What to do with mapping keys that no `properties`/`patternProperties` entry covers.
enum AdditionalProperties: Sendable {
    case allowed
    case forbidden
    case schema(Int)

    var isForbidden: Bool { if case .forbidden = self { return true } else { return false } }
}

/// One compiled schema object. Sub-schemas are indices into `SchemaDocument.schemas`.
struct SchemaDefinition: Sendable {
    var ref: Int?
    var types: SchemaTypes?
    var properties: [String: Int] = [:]
    /// Property names in schema order, for suggestions.
    var propertyNames: [String] = []
    var patternProperties: [(pattern: SchemaPattern, schema: Int)] = []
    var additionalProperties: AdditionalProperties = .allowed
    var required: [String] = []
    var enumValues: [JSONValue]?
    var constValue: JSONValue?
    var items: Int?
    var uniqueItems = false
    var minItems: Int?
    var minimum: Double?
    var maximum: Double?
    var pattern: SchemaPattern?
    var format: SchemaFormat?
    var allOf: [Int] = []
    var anyOf: [Int] = []
    var oneOf: [Int] = []
    var not: Int?
    /// `x-stack-unsupported: true`: a key the engine ignores; its presence is a warning.
    var unsupported = false
    /// `x-stack-external-excludes`: keys that conflict with `external: true` in the same mapping.
    var externalExcludes: [String] = []
    /// `x-stack-exclusive-keys`: exactly one of `keys` must be present, or none when one of
    /// `unlessPresent` is (secrets and configs: `file` | `environment` | `content`).
    var exclusiveKeys: (keys: [String], unlessPresent: [String])?
    /// True for `{}` (or a schema with only annotations): everything matches, nothing to walk.
    var acceptsAnything = false

    /// True when the schema has only keywords that cannot fail.
    var computedAcceptsAnything: Bool {
        ref == nil && types == nil && properties.isEmpty && patternProperties.isEmpty
            && { if case .allowed = additionalProperties { return true } else { return false } }()
            && required.isEmpty && enumValues == nil && constValue == nil && items == nil && !uniqueItems
            && minItems == nil && minimum == nil && maximum == nil && pattern == nil && format == nil
            && allOf.isEmpty && anyOf.isEmpty && oneOf.isEmpty && not == nil && externalExcludes.isEmpty
            && exclusiveKeys == nil
    }
}

/// An immutable box around a compiled schema, so the validator reads its fields in place
/// instead of copying the whole struct at every node.
final class SchemaRule: Sendable {
    let def: SchemaDefinition
    init(_ definition: SchemaDefinition) { def = definition }
}

/// A compiled schema: every sub-schema in one array, the root at `root`.
struct SchemaDocument: Sendable {
    let schemas: [SchemaRule]
    let root: Int

    /// Compiles a draft-07 subset schema from its JSON text.
    static func compile(_ text: String) throws(StackError) -> SchemaDocument {
        var compiler = SchemaCompiler()
        let json = try JSONReader.parse(text)
        let root = try compiler.compileDocument(json)
        return SchemaDocument(schemas: compiler.schemas.map(SchemaRule.init), root: root)
    }
}

/// Turns JSON schema objects into `SchemaDefinition`s, resolving `#/definitions/…` references.
private struct SchemaCompiler {
    var schemas: [SchemaDefinition] = []
    var definitionSlots: [String: Int] = [:]

    mutating func compileDocument(_ json: JSONValue) throws(StackError) -> Int {
        if case .object(let members)? = json["definitions"] {
            for member in members {
                definitionSlots["#/definitions/\(member.key)"] = schemas.count
                schemas.append(SchemaDefinition())
            }
            for member in members {
                guard let slot = definitionSlots["#/definitions/\(member.key)"] else { continue }
                schemas[slot] = try build(member.value, at: "definitions.\(member.key)")
            }
        }
        return try compile(json, at: "(root)")
    }

    mutating func compile(_ json: JSONValue, at location: String) throws(StackError) -> Int {
        let definition = try build(json, at: location)
        schemas.append(definition)
        return schemas.count - 1
    }

    private func failure(_ location: String, _ what: String) -> StackError {
        StackError(.internalError, "schema \(location): \(what)")
    }

    private mutating func build(_ json: JSONValue, at location: String) throws(StackError) -> SchemaDefinition {
        var s = SchemaDefinition()
        if case .bool(let value) = json {
            // `true` accepts everything; `false` nothing (an empty type set).
            s.types = value ? nil : SchemaTypes()
            s.acceptsAnything = value
            return s
        }
        guard case .object(let members) = json else { throw failure(location, "a schema must be an object") }
        for member in members {
            let here = "\(location).\(member.key)"
            switch (member.key, member.value) {
            case ("$ref", .string(let target)):
                guard let slot = definitionSlots[target] else { throw failure(here, "unknown reference \(target)") }
                s.ref = slot
            case ("type", let value):
                s.types = try types(value, at: here)
            case ("properties", .object(let props)):
                for prop in props {
                    s.properties[prop.key] = try compile(prop.value, at: "\(location).\(prop.key)")
                    s.propertyNames.append(prop.key)
                }
            case ("patternProperties", .object(let props)):
                for prop in props {
                    let pattern = try SchemaPattern(prop.key)
                    s.patternProperties.append((pattern, try compile(prop.value, at: "\(here).\(prop.key)")))
                }
            case ("additionalProperties", .bool(let allowed)):
                s.additionalProperties = allowed ? .allowed : .forbidden
            case ("additionalProperties", let value):
                s.additionalProperties = .schema(try compile(value, at: here))
            case ("required", .array(let names)):
                s.required = try strings(names, at: here)
            case ("enum", .array(let values)):
                s.enumValues = values
            case ("const", let value):
                s.constValue = value
            case ("items", let value):
                s.items = try compile(value, at: here)
            case ("uniqueItems", .bool(let unique)):
                s.uniqueItems = unique
            case ("minItems", .number(let count)):
                s.minItems = Int(count)
            case ("minimum", .number(let bound)):
                s.minimum = bound
            case ("maximum", .number(let bound)):
                s.maximum = bound
            case ("pattern", .string(let source)):
                s.pattern = try SchemaPattern(source)
            case ("format", .string(let name)):
                switch name {
                case "duration": s.format = .duration
                case "bytes": s.format = .bytes
                default: break  // Unknown formats are annotations, as in JSON Schema.
                }
            case ("allOf", .array(let list)):
                s.allOf = try subschemas(list, at: here)
            case ("anyOf", .array(let list)):
                s.anyOf = try subschemas(list, at: here)
            case ("oneOf", .array(let list)):
                s.oneOf = try subschemas(list, at: here)
            case ("not", let value):
                s.not = try compile(value, at: here)
            case ("x-stack-unsupported", .bool(let flag)):
                s.unsupported = flag
            case ("x-stack-external-excludes", .array(let names)):
                s.externalExcludes = try strings(names, at: here)
            case ("x-stack-exclusive-keys", .object):
                guard case .array(let keys)? = member.value["keys"] else { throw failure(here, "keys missing") }
                var unless: [String] = []
                if case .array(let names)? = member.value["unlessPresent"] { unless = try strings(names, at: here) }
                s.exclusiveKeys = (try strings(keys, at: here), unless)
            case ("$schema", _), ("$id", _), ("$comment", _), ("title", _), ("description", _), ("default", _),
                 ("definitions", _), ("examples", _), ("deprecated", _):
                break
            default:
                throw failure(here, "unsupported keyword or value")
            }
        }
        s.acceptsAnything = s.computedAcceptsAnything
        return s
    }

    private mutating func subschemas(_ list: [JSONValue], at location: String) throws(StackError) -> [Int] {
        var result: [Int] = []
        for (i, item) in list.enumerated() { result.append(try compile(item, at: "\(location)[\(i)]")) }
        return result
    }

    private func strings(_ list: [JSONValue], at location: String) throws(StackError) -> [String] {
        var result: [String] = []
        for item in list {
            guard case .string(let text) = item else { throw failure(location, "expected strings") }
            result.append(text)
        }
        return result
    }

    private func types(_ value: JSONValue, at location: String) throws(StackError) -> SchemaTypes {
        let names: [JSONValue]
        if case .array(let list) = value { names = list } else { names = [value] }
        var set = SchemaTypes()
        for name in names {
            guard case .string(let text) = name, let entry = SchemaTypes.names.first(where: { $0.json == text })
            else { throw failure(location, "unknown type") }
            set.insert(entry.type)
        }
        return set
    }
}
