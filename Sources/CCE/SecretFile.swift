import Glibc

/// The contents of a file that holds a secret or credentials, and its permission bits.
package struct SecretFile: Sendable, Hashable {
    /// Larger files are refused: the longest secret, an IAM token, is at most 100,000 characters.
    package static let maximumSize = 1 << 20

    package var bytes: [UInt8]
    /// The permission bits (`st_mode & 0o7777`).
    package var mode: UInt16

    package init(bytes: [UInt8], mode: UInt16) {
        self.bytes = bytes
        self.mode = mode
    }

    /// Reads `path` through one descriptor (`open`, `fstat`, `read`), so the mode is that of the
    /// bytes read even if the file is replaced meanwhile.
    ///
    /// - Returns: `nil` when the file does not exist.
    /// - Throws: ``SecretFileError`` with the system's reason: not readable, not a regular file, too large.
    package static func read(_ path: String) throws(SecretFileError) -> SecretFile? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw SecretFileError(reason: String(cString: strerror(code)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw SecretFileError(reason: String(cString: strerror(errno))) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw SecretFileError(reason: "not a regular file") }
        guard status.st_size <= maximumSize else { throw SecretFileError(reason: "larger than \(maximumSize) bytes") }

        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw SecretFileError(reason: String(cString: strerror(errno)))
            }
            bytes += buffer[..<count]
            guard bytes.count <= maximumSize else { throw SecretFileError(reason: "larger than \(maximumSize) bytes") }
        }
        return SecretFile(bytes: bytes, mode: UInt16(status.st_mode & 0o7777))
    }
}

/// Why a secret file could not be read, in the system's words.
package struct SecretFileError: Error, Sendable, Hashable, CustomStringConvertible {
    package var reason: String

    package init(reason: String) {
        self.reason = reason
    }

    package var description: String {
        reason
    }
}
