/// The shapes of the names and ids a watched cluster is given by.
enum Identifiers {
    /// A Huawei Cloud project id: 32 lowercase hexadecimal digits.
    static func isProjectID(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy(isLowercaseHexDigit)
    }

    /// A CCE cluster id: a lowercase UUID, `8-4-4-4-12` hexadecimal digits.
    static func isClusterID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.utf8.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.utf8.allSatisfy(isLowercaseHexDigit) }
    }

    /// A region id such as `cn-north-4` or `eu-west-101`: it becomes part of a host name.
    static func isRegion(_ text: String) -> Bool {
        let labels = text.split(separator: "-", omittingEmptySubsequences: false)
        return text.utf8.count <= 63
            && labels.allSatisfy { label in
                !label.isEmpty && label.utf8.allSatisfy { isDigit($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
            }
    }

    /// A portable environment variable name: letters, digits and `_`, not starting with a digit.
    static func isEnvironmentVariable(_ text: String) -> Bool {
        guard let first = text.utf8.first, !isDigit(first) else { return false }
        return text.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isLowercaseHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
