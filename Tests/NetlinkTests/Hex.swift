/// Bytes from hex text with free spacing, `|` separators and `#` comments to the end of a line.
func hex(_ text: String) -> [UInt8] {
    let digits = text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.prefix { $0 != "#" } }
        .joined()
        .filter { $0.isHexDigit }
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2, limitedBy: digits.endIndex) ?? digits.endIndex
        bytes.append(UInt8(digits[index..<next], radix: 16) ?? 0)
        index = next
    }
    return bytes
}
