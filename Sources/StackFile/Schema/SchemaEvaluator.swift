import StackCore

/// Checks a node tree against a compiled schema. Stops at the first failure (in document order);
/// collects a warning for each key whose schema says `x-stack-unsupported`.
///
/// One evaluator serves one `validate` call: it keeps the path of the node being checked as a
/// stack (turned into a `NodePath` only for failures and warnings) and the warnings found so far.
struct SchemaEvaluator {
    let document: SchemaDocument
    /// The path of the node being checked.
    private var stack: [NodePath.Component] = []
    /// Warnings so far; alternatives that fail drop the ones they added.
    private(set) var warnings: [StackWarning] = []

    init(document: SchemaDocument) {
        self.document = document
        stack.reserveCapacity(32)
    }

    private func schema(_ index: Int) -> SchemaRule { document.schemas[index] }

    private var path: NodePath { NodePath(stack) }

    /// Validates `node` (at the current path) against schema `index`; nil on success.
    mutating func check(_ node: Node, _ index: Int) -> SchemaFailure? {
        let s = schema(index)
        if s.def.acceptsAnything { return nil }
        if let ref = s.def.ref, let failure = check(node, ref) { return failure }
        if let types = s.def.types, !SchemaTypeMatch.of(node, types).accepts {
            return typeFailure(node, words: types.words)
        }
        if let failure = checkValue(node, s) { return failure }
        switch node.kind {
        case .sequence(let items):
            if let failure = checkSequence(node, items, s) { return failure }
        case .mapping(let entries):
            if let failure = checkMapping(node, entries, s) { return failure }
        case .scalar:
            break
        }
        for part in s.def.allOf {
            if let failure = check(node, part) { return failure }
        }
        if !s.def.anyOf.isEmpty, let failure = checkAlternatives(node, s.def.anyOf, exactlyOne: false) {
            return failure
        }
        if !s.def.oneOf.isEmpty, let failure = checkAlternatives(node, s.def.oneOf, exactlyOne: true) {
            return failure
        }
        if let excluded = s.def.not {
            let kept = warnings.count
            let failure = check(node, excluded)
            warnings.removeSubrange(kept...)
            if failure == nil {
                return SchemaFailure(
                    message: "\(SchemaFailure.subject(path)) must not be \(SchemaMessages.describe(node))",
                    mark: node.mark, path: path)
            }
        }
        return nil
    }

    // MARK: Scalars

    private func typeFailure(_ node: Node, words: [String]) -> SchemaFailure {
        let path = self.path
        return SchemaFailure(
            message: "\(SchemaFailure.subject(path)) must be \(SchemaMessages.typePhrase(words))",
            mark: node.mark, path: path)
    }

    private func checkValue(_ node: Node, _ s: SchemaRule) -> SchemaFailure? {
        var path: NodePath { self.path }
        var subject: String { SchemaFailure.subject(path) }
        func fail(_ text: String) -> SchemaFailure { SchemaFailure(message: text, mark: node.mark, path: path) }
        if let values = s.def.enumValues, !values.contains(where: { SchemaValueComparison.node(node, equals: $0) }) {
            let allowed = values.map(SchemaMessages.describe).joined(separator: ", ")
            var hint = ""
            if let text = node.string {
                let names = values.compactMap { value -> String? in
                    if case .string(let name) = value { return name } else { return nil }
                }
                hint = SchemaMessages.suggestion(for: text, among: names)
            }
            return fail("\(subject) must be one of \(allowed), not \(SchemaMessages.describe(node))\(hint)")
        }
        if let value = s.def.constValue, !SchemaValueComparison.node(node, equals: value) {
            return fail("\(subject) must be \(SchemaMessages.describe(value))")
        }
        if s.def.minimum != nil || s.def.maximum != nil, let number = numericValue(node, s) {
            if let minimum = s.def.minimum, number < minimum {
                return fail("\(subject) must be greater than or equal to \(SchemaMessages.describe(.number(minimum)))")
            }
            if let maximum = s.def.maximum, number > maximum {
                return fail("\(subject) must be less than or equal to \(SchemaMessages.describe(.number(maximum)))")
            }
        }
        guard case .scalar(.string(let text)) = node.kind else { return nil }
        if let pattern = s.def.pattern, !pattern.matches(text) {
            return fail("\(subject) must match the pattern \(pattern.source), not '\(text)'")
        }
        switch s.def.format {
        case .duration? where GoDuration.parse(text) == nil:
            return fail("\(subject) must be a duration such as 30s or 1m30s, not '\(text)'")
        case .bytes? where ByteSize.parse(text) == nil:
            return fail("\(subject) must be a byte size such as 512m or 1g, not '\(text)'")
        default:
            return nil
        }
    }

    /// The number a node stands for under this schema: numbers, and strings the schema's type
    /// coerces (not strings the schema accepts as strings).
    private func numericValue(_ node: Node, _ s: SchemaRule) -> Double? {
        switch node.scalar {
        case .int?, .float?: return SchemaTypeMatch.numericValue(of: node)
        case .string(let text)?:
            guard let types = s.def.types, !types.contains(.string) else { return nil }
            return SchemaTypeMatch.numericValue(ofString: text)
        default: return nil
        }
    }

    // MARK: Collections

    private mutating func checkSequence(_ node: Node, _ items: [Node], _ s: SchemaRule) -> SchemaFailure? {
        if let minimum = s.def.minItems, items.count < minimum {
            return SchemaFailure(
                message: "\(SchemaFailure.subject(path)) must contain at least \(minimum) item\(minimum == 1 ? "" : "s")",
                mark: node.mark, path: path)
        }
        if let itemSchema = s.def.items {
            for (index, item) in items.enumerated() where item.tag != .reset {
                stack.append(.index(index))
                defer { stack.removeLast() }
                if let failure = check(item, itemSchema) { return failure }
            }
        }
        if s.def.uniqueItems, let (first, second) = SchemaValueComparison.firstDuplicate(items) {
            let value = items[second].scalarText.map { " ('\($0)')" } ?? ""
            return SchemaFailure(
                message: "\(SchemaFailure.subject(path)) must contain unique items: [\(first)] and [\(second)] are equal\(value)",
                mark: items[second].mark, path: path / second)
        }
        return nil
    }

    private mutating func checkMapping(_ node: Node, _ entries: [Node.Entry], _ s: SchemaRule) -> SchemaFailure? {
        for index in entries.indices where entries[index].value.tag != .reset {
            if let failure = checkEntry(entries[index], s) { return failure }
        }
        var path: NodePath { self.path }
        for name in s.def.required where !entries.contains(where: { $0.key == name }) {
            return SchemaFailure(
                message: "\(SchemaFailure.subject(path)): missing required property '\(name)'",
                mark: node.mark, path: path)
        }
        if let (keys, unless) = s.def.exclusiveKeys {
            let present = entries.filter { keys.contains($0.key) }
            let list = keys.joined(separator: "|")
            if present.count > 1 {
                return SchemaFailure(
                    message: "\(SchemaFailure.subject(path)): \(list) attributes are mutually exclusive",
                    mark: present[1].keyMark, path: path / present[1].key)
            }
            if present.isEmpty, !entries.contains(where: { unless.contains($0.key) }) {
                return SchemaFailure(
                    message: "\(SchemaFailure.subject(path)): one of \(list) must be set", mark: node.mark, path: path)
            }
        }
        if !s.def.externalExcludes.isEmpty, let external = node["external"], isTrue(external) {
            for entry in entries where s.def.externalExcludes.contains(entry.key) {
                return SchemaFailure(
                    message: "\(SchemaFailure.subject(path)): conflicting parameters \"external\" and \"\(entry.key)\" specified",
                    mark: entry.keyMark, path: path / entry.key)
            }
        }
        return nil
    }

    /// Checks one mapping entry against `properties`, `patternProperties` and `additionalProperties`.
    private mutating func checkEntry(_ entry: Node.Entry, _ s: SchemaRule) -> SchemaFailure? {
        let property = s.def.properties[entry.key]
        if property == nil, s.def.additionalProperties.isForbidden,
           !s.def.patternProperties.contains(where: { $0.pattern.matches(entry.key) }) {
            return SchemaFailure(message: unknownKeyMessage(entry.key, s, path), mark: entry.keyMark, path: path)
        }
        stack.append(.key(entry.key))
        defer { stack.removeLast() }
        var matched = false
        if let property {
            matched = true
            if schema(property).def.unsupported {
                let childPath = path
                warnings.append(StackWarning(
                    "`\(childPath)` is not supported by stack yet and is ignored",
                    mark: entry.keyMark, path: childPath.description))
            }
            if let failure = check(entry.value, property) { return failure }
        }
        for (pattern, patternSchema) in s.def.patternProperties where pattern.matches(entry.key) {
            matched = true
            if let failure = check(entry.value, patternSchema) { return failure }
        }
        if !matched, case .schema(let extra) = s.def.additionalProperties {
            return check(entry.value, extra)
        }
        return nil
    }

    private func unknownKeyMessage(_ key: String, _ s: SchemaRule, _ path: NodePath) -> String {
        let subject = SchemaFailure.subject(path)
        if s.def.propertyNames.isEmpty, let pattern = s.def.patternProperties.first(where: { $0.pattern.source != "^x-" }) {
            return "\(subject): invalid name '\(key)': names must match \(pattern.pattern.source)"
        }
        let hint = SchemaMessages.suggestion(for: key, among: s.def.propertyNames)
        return "\(subject): additional property '\(key)' is not allowed\(hint)"
    }

    private func isTrue(_ node: Node) -> Bool {
        switch node.scalar {
        case .bool(let value)?: return value
        case .string(let text)?: return SchemaTypeMatch.booleanValue(ofString: text) == true
        default: return false
        }
    }

    // MARK: Alternatives

    /// anyOf (`exactlyOne == false`) or oneOf. Branches whose type cannot fit the node are not
    /// evaluated. On failure, reports the most relevant branch: the one whose type fits the node
    /// best, then the one that got deepest into the node.
    private mutating func checkAlternatives(_ node: Node, _ branches: [Int], exactlyOne: Bool) -> SchemaFailure? {
        var best: (match: SchemaTypeMatch, depth: Int, failure: SchemaFailure)?
        var nearBranches: [Int] = []
        let kept = warnings.count
        var passes = 0
        for branch in branches {
            let match = typeMatch(node, branch)
            guard match.accepts else {
                if match == .near { nearBranches.append(branch) }
                continue
            }
            let before = warnings.count
            if let failure = check(node, branch) {
                warnings.removeSubrange(before...)
                let depth = failure.path.components.count
                if let current = best, match < current.match || (match == current.match && depth <= current.depth) {
                    continue
                }
                best = (match, depth, failure)
            } else {
                passes += 1
                if !exactlyOne { break }
                if passes > 1 { warnings.removeSubrange(before...) }
            }
        }
        if passes == 1 || (passes > 1 && !exactlyOne) { return nil }
        warnings.removeSubrange(kept...)
        let path = self.path
        if passes > 1 {
            return SchemaFailure(
                message: "\(SchemaFailure.subject(path)) matches more than one of its allowed forms",
                mark: node.mark, path: path)
        }
        if let best { return best.failure }
        let words = nearBranches.isEmpty ? branches.flatMap { typeWords($0) } : nearBranches.flatMap { typeWords($0) }
        return typeFailure(node, words: words)
    }

    /// How well the node's kind fits a branch's declared type (following `$ref` and nested alternatives).
    private func typeMatch(_ node: Node, _ index: Int) -> SchemaTypeMatch {
        let s = schema(index)
        if let types = s.def.types { return SchemaTypeMatch.of(node, types) }
        if let ref = s.def.ref { return typeMatch(node, ref) }
        if s.def.anyOf.isEmpty && s.def.oneOf.isEmpty { return .coerced }
        var best = SchemaTypeMatch.none
        for branch in s.def.anyOf { best = max(best, typeMatch(node, branch)) }
        for branch in s.def.oneOf { best = max(best, typeMatch(node, branch)) }
        return best
    }

    /// The type words a branch accepts, for "must be a string or array".
    private func typeWords(_ index: Int) -> [String] {
        let s = schema(index)
        if let types = s.def.types { return types.words }
        if let ref = s.def.ref { return typeWords(ref) }
        return (s.def.anyOf + s.def.oneOf).flatMap { typeWords($0) }
    }
}
