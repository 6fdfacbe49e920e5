/// Converts libyaml's character positions into byte offsets.
///
/// libyaml's `mark.index` counts characters, not bytes (`é` advances it by one), while a
/// splice needs byte offsets. For ASCII text the two are the same and no table is kept;
/// otherwise the table holds the byte offset of every character, plus the end.
struct CharacterOffsets {
    private let byteOffsetOfCharacter: [Int]?

    /// Checks that `bytes` are UTF-8 and indexes their characters.
    init(validating bytes: UnsafeBufferPointer<UInt8>) throws(YAMLError) {
        guard Self.containsNonASCII(bytes) else {
            byteOffsetOfCharacter = nil
            return
        }
        var table: [Int] = []
        table.reserveCapacity(bytes.count + 1)
        var offset = 0
        while offset < bytes.count {
            table.append(offset)
            guard let length = Self.sequenceLength(in: bytes, at: offset) else {
                throw .invalidUTF8(at: Self.location(ofByte: offset, in: bytes))
            }
            offset += length
        }
        table.append(bytes.count)
        byteOffsetOfCharacter = table
    }

    /// Whether any byte has its high bit set, eight bytes at a time: a kubeconfig is megabytes
    /// of base64, and a byte-wise scan was a visible part of an import's time.
    private static func containsNonASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let words = bytes.count / 8
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index < words {
            if raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self) & highBits != 0 { return true }
            index += 1
        }
        return bytes[(words * 8)...].contains { $0 >= 0x80 }
    }

    /// The byte offset of the character with libyaml index `index`.
    func byteOffset(ofCharacter index: Int) -> Int {
        guard let table = byteOffsetOfCharacter else { return index }
        return table[min(index, table.count - 1)]
    }

    /// The length of the well-formed UTF-8 sequence at `offset`, or `nil` if there is none
    /// (stray continuation bytes, overlong forms, surrogates, code points past U+10FFFF).
    private static func sequenceLength(in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int? {
        let lead = bytes[offset]
        let length: Int
        var lowest: UInt8 = 0x80
        var highest: UInt8 = 0xBF
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lowest = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            highest = 0x9F
        case 0xF0:
            length = 4
            lowest = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            highest = 0x8F
        default: return nil
        }
        guard offset + length <= bytes.count else { return nil }
        for position in 1..<length {
            let byte = bytes[offset + position]
            let range = position == 1 ? lowest...highest : 0x80...0xBF
            guard range.contains(byte) else { return nil }
        }
        return length
    }

    /// Line and column (in characters, both 1-based) of a byte, counting only what comes before it.
    static func location(ofByte offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> SourceLocation {
        var line = 1
        var column = 1
        for byte in bytes[..<offset] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourceLocation(line: line, column: column)
    }
}
