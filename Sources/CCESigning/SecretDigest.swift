import Crypto

/// A one-way digest of secret material: tells whether a credential changed without keeping it.
/// Lower-case hex SHA-256 over the parts, each preceded by its length, under a fixed label so that
/// it matches no other digest of the same bytes.
package enum SecretDigest {
    package static func hex(_ parts: [String]) -> String {
        var bytes = Array("cce-kubeconfigd credential digest\u{0}".utf8)
        for part in parts {
            let utf8 = Array(part.utf8)
            bytes += Array("\(utf8.count):".utf8) + utf8
        }
        return Hex.encode(SHA256.hash(data: bytes))
    }
}
