/// Wording helpers for validation messages: type lists, quoting, and "did you mean" suggestions.
enum SchemaMessages {
    /// "a string", "an integer", "a boolean, null, number or string".
    static func typePhrase(_ words: [String]) -> String {
        var unique: [String] = []
        for word in words where !unique.contains(word) { unique.append(word) }
        guard let first = unique.first else { return "nothing" }
        let article = "aeiou".contains(first.prefix(1)) ? "an" : "a"
        if unique.count == 1 { return "\(article) \(first)" }
        return "\(article) " + unique.dropLast().joined(separator: ", ") + " or " + (unique.last ?? "")
    }

    /// A scalar's text in quotes, or the node's kind for collections.
    static func describe(_ node: Node) -> String {
        if let text = node.scalarText { return "'\(text)'" }
        return "a \(node.kindName)"
    }

    /// A JSON value as it appears in a list of allowed values.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): return "'\(s)'"
        case .array: return "an array"
        case .object: return "a mapping"
        }
    }

    /// " (did you mean 'image'?)" when a candidate is close to `word`, else "".
    static func suggestion(for word: String, among candidates: [String]) -> String {
        guard let best = nearest(word, among: candidates) else { return "" }
        return " (did you mean '\(best)'?)"
    }

    /// The candidate with the smallest edit distance to `word`, if it is close enough: at most 2
    /// edits (1 for words of up to 4 characters). Case and `-`/`_` differences count as one edit each.
    static func nearest(_ word: String, among candidates: [String]) -> String? {
        let limit = word.count <= 4 ? 1 : 2
        var best: (name: String, distance: Int)?
        let source = Array(word.lowercased())
        for candidate in candidates where candidate != word {
            let distance = editDistance(source, Array(candidate.lowercased()), limit: limit)
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// Optimal string alignment distance (Levenshtein plus adjacent transpositions), giving up
    /// (returning `limit + 1`) once it exceeds `limit`.
    static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, beforePrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
