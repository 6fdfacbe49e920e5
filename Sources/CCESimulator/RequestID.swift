/// The request ids of answers: 32 random lower-case hex digits, as in `X-Request-Id`.
enum RequestID {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = (UInt128(generator.next()) << 64) | UInt128(generator.next())
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 32 - hex.count) + hex
    }
}
