#if canImport(Glibc)
import Glibc
#endif

/// What `credential N` answers from without parsing a certificate or the watch list: the
/// ExecCredential JSON, the moment it stops being worth handing out, what the certificate was
/// fetched for, and fingerprints of every file that could change the answer.
///
/// Kept beside the credential files (`<credentials>/<watch name>/exec-credential.record`, 0600),
/// written atomically whenever the pair is, and re-stamped when the watch list changed but
/// still points the name at the same cluster. The answer may be served only while the wall
/// clock is before ``usableUntil``, every fingerprinted file (the key, the certificate, the
/// watch list, a key-id file) is as it was, and every variable a key id is read from holds what
/// it held; anything else goes to the full check.
///
/// The format is text, one field a line, the answer last with its length:
///
///     cce-kubeconfigd exec credential record 2
///     usable-until <seconds since the epoch>
///     file <device> <inode> <size> <ctime seconds> <ctime nanoseconds> <path>
///     missing <path>
///     variable <hex SHA-256 of the value> <name>
///     unset <name>
///     cluster <cluster id>
///     project <project id>
///     endpoint <CCE endpoint>
///     key-id-sha256 <hex digest>
///     answer <byte count>
///     <the ExecCredential JSON>
///
/// `file`, `missing`, `variable` and `unset` repeat; the four identity lines are left out when the identity is not
/// known (a certificate imported from a CCE answer), `key-id-sha256` alone when the key id could
/// not be resolved where the record was written. Anything else (an unknown line, a count that is
/// not the rest of the file) makes the record damaged, and a damaged record is never served.
package struct CredentialRecord: Sendable, Hashable {
    package static let fileName = "exec-credential.record"
    /// Version 2 added the variables: a version 1 record, which cannot tell that the key in a
    /// variable changed, is damaged to this reader, so the full check writes it anew.
    static let header = "cce-kubeconfigd exec credential record 2"

    /// The answer is handed out while the wall clock, in seconds since the epoch, is before this.
    package var usableUntil: Int64
    /// The files the answer depends on, as they were when it was written or last checked.
    package var files: [FileFingerprint]
    /// The environment variables the key id is read from, as they were when it was written or
    /// last checked (in the environment of the process that did).
    package var variables: [VariableFingerprint]
    /// What the certificate was fetched for; `nil` when not known.
    package var identity: CertificateIdentity?
    /// The ExecCredential JSON line kubectl reads, newline included.
    package var answer: [UInt8]

    package init(
        usableUntil: Int64,
        files: [FileFingerprint],
        variables: [VariableFingerprint] = [],
        identity: CertificateIdentity?,
        answer: [UInt8]
    ) {
        self.usableUntil = usableUntil
        self.files = files
        self.variables = variables
        self.identity = identity
        self.answer = answer
    }

    /// The answer when it may be served at `now` (seconds since the epoch): before
    /// ``usableUntil``, every fingerprinted file unchanged, and every variable as it was in
    /// `environment` (this process's, unless given).
    package func answer(
        at now: Int64,
        environment: (String) -> String? = VariableFingerprint.processEnvironment
    ) -> [UInt8]? {
        guard now < usableUntil, files.allSatisfy(\.isCurrent), variables.allSatisfy({ $0.isCurrent(in: environment) }) else {
            return nil
        }
        return answer
    }

    // MARK: Encoding

    /// The record's bytes; `nil` when a path or an identity field holds a line break, which the
    /// format cannot carry (no record is then kept, and every call takes the full check).
    package func encoded() -> [UInt8]? {
        var lines = [Self.header, "usable-until \(usableUntil)"]
        for file in files {
            if let status = file.status {
                lines.append(
                    "file \(status.device) \(status.inode) \(status.size) \(status.changedSeconds) \(status.changedNanoseconds) \(file.path)"
                )
            } else {
                lines.append("missing \(file.path)")
            }
        }
        for variable in variables {
            lines.append(variable.digest.map { "variable \($0) \(variable.name)" } ?? "unset \(variable.name)")
        }
        if let identity {
            lines += ["cluster \(identity.clusterID)", "project \(identity.projectID)", "endpoint \(identity.endpoint)"]
            if let digest = identity.keyIDDigest { lines.append("key-id-sha256 \(digest)") }
        }
        lines.append("answer \(answer.count)")
        guard !lines.contains(where: { $0.utf8.contains(Self.newline) }) else { return nil }
        var bytes: [UInt8] = []
        for line in lines {
            bytes += line.utf8
            bytes.append(Self.newline)
        }
        return bytes + answer
    }

    /// Reads a record; `nil` when it is damaged in any way.
    package init?(decoding bytes: [UInt8]) {
        var fields = Fields(bytes)
        guard let header = fields.nextLine(), header == Self.header,
            let first = fields.nextLine(), let until = Self.value(of: "usable-until", in: first).flatMap({ Int64($0) })
        else { return nil }
        var files: [FileFingerprint] = []
        var variables: [VariableFingerprint] = []
        var identityFields: [String: String] = [:]
        while let line = fields.nextLine() {
            if let count = Self.value(of: "answer", in: line) {
                guard let count = Int(count), count == fields.remaining.count else { return nil }
                var identity: CertificateIdentity?
                if !identityFields.isEmpty {
                    guard let cluster = identityFields["cluster"], let project = identityFields["project"],
                        let endpoint = identityFields["endpoint"]
                    else { return nil }
                    identity = CertificateIdentity(
                        clusterID: cluster,
                        projectID: project,
                        endpoint: endpoint,
                        keyIDDigest: identityFields["key-id-sha256"]
                    )
                }
                self.init(usableUntil: until, files: files, variables: variables, identity: identity, answer: Array(fields.remaining))
                return
            }
            if let path = Self.value(of: "missing", in: line) {
                files.append(FileFingerprint(path: path, status: nil))
            } else if let rest = Self.value(of: "file", in: line) {
                guard let file = Self.fingerprint(rest) else { return nil }
                files.append(file)
            } else if let name = Self.value(of: "unset", in: line), !name.isEmpty {
                variables.append(VariableFingerprint(name: name, digest: nil))
            } else if let rest = Self.value(of: "variable", in: line) {
                let parts = rest.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, parts[0].utf8.count == 64, !parts[1].isEmpty else { return nil }
                variables.append(VariableFingerprint(name: String(parts[1]), digest: String(parts[0])))
            } else if let space = line.firstIndex(of: " "), CertificateIdentity.keys.contains(String(line[..<space])),
                identityFields[String(line[..<space])] == nil
            {
                identityFields[String(line[..<space])] = String(line[line.index(after: space)...])
            } else {
                return nil
            }
        }
        return nil
    }

    private static let newline = UInt8(ascii: "\n")

    /// The rest of `line` after `key` and one space; `nil` when the line is another field's.
    private static func value(of key: String, in line: Substring) -> String? {
        guard line.hasPrefix(key + " ") else { return nil }
        return String(line.dropFirst(key.count + 1))
    }

    /// `<device> <inode> <size> <ctime s> <ctime ns> <path>`.
    private static func fingerprint(_ text: String) -> FileFingerprint? {
        let parts = text.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, !parts[5].isEmpty,
            let device = UInt64(parts[0]), let inode = UInt64(parts[1]), let size = Int64(parts[2]),
            let seconds = Int64(parts[3]), let nanoseconds = Int64(parts[4])
        else { return nil }
        let status = FileFingerprint.Status(
            device: device,
            inode: inode,
            size: size,
            changedSeconds: seconds,
            changedNanoseconds: nanoseconds
        )
        return FileFingerprint(path: String(parts[5]), status: status)
    }

    /// The record's lines, then the bytes after the last one read.
    private struct Fields {
        let bytes: [UInt8]
        var offset = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
        }

        var remaining: ArraySlice<UInt8> { bytes[offset...] }

        /// The next line, without its line break; `nil` at the end or when it is not UTF-8.
        mutating func nextLine() -> Substring? {
            guard let end = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")),
                let line = String(validating: bytes[offset..<end], as: UTF8.self)
            else { return nil }
            offset = end + 1
            return Substring(line)
        }
    }
}

/// What a stored certificate was fetched for: when the watch list now points the name at
/// another cluster, project, endpoint or credential set, the certificate is not the name's.
package struct CertificateIdentity: Sendable, Hashable {
    package var clusterID: String
    package var projectID: String
    /// The CCE endpoint asked: the `endpoint:` of the watch list, else the cloud and region.
    package var endpoint: String
    /// The hex SHA-256 of the credential set's key id (an access key id, a user in a domain;
    /// never a secret); `nil` when it could not be resolved where the record was written.
    package var keyIDDigest: String?

    package init(clusterID: String, projectID: String, endpoint: String, keyIDDigest: String?) {
        self.clusterID = clusterID
        self.projectID = projectID
        self.endpoint = endpoint
        self.keyIDDigest = keyIDDigest
    }

    /// Whether a certificate fetched for `self` is not one for `other`: a field differs, the key
    /// id's digest only when both sides could resolve it.
    package func contradicts(_ other: CertificateIdentity) -> Bool {
        if clusterID != other.clusterID || projectID != other.projectID || endpoint != other.endpoint { return true }
        guard let mine = keyIDDigest, let theirs = other.keyIDDigest else { return false }
        return mine != theirs
    }

    /// The record lines that hold an identity.
    static let keys: Set<String> = ["cluster", "project", "endpoint", "key-id-sha256"]
}

extension CredentialRecord {
    /// The record in the file at `path`; `nil` when it is missing, not a regular file (a
    /// symlink included), unreadable or damaged: all reasons to take the full check.
    package static func load(from path: String) -> CredentialRecord? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        // One byte more than the size: a file that grew since fstat is read to its end.
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var count = 0
        while true {
            let read = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if read < 0 && errno == EINTR { continue }
            guard read >= 0 else { return nil }
            if read == 0 { break }
            count += read
            if count == bytes.count { bytes += [UInt8](repeating: 0, count: bytes.count) }
        }
        return CredentialRecord(decoding: Array(bytes[..<count]))
    }
}
