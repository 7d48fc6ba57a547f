extension StringProtocol {
    /// Whether the text contains the ASCII character `character`, with the same answer as
    /// `contains(String(character))`: ASCII text is scanned byte by byte, and any other text takes
    /// that general (grapheme-aware) search.
    func contains(ascii character: Unicode.Scalar) -> Bool {
        let target = UInt8(truncatingIfNeeded: character.value)
        var found = false
        for byte in utf8 {
            if byte >= 0x80 { return contains(String(character)) }
            if byte == target { found = true }
        }
        return found
    }

    /// True when the text is non-empty and made of ASCII digits only.
    var isASCIIDigits: Bool {
        !isEmpty && utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
