import CredentialRecord

#if canImport(Glibc)
import Glibc
#endif

// The exec plugin kubectl runs for an exec-mode cluster: `cce-kubeconfigd-credential credential N`.
//
// It answers from the credential record when the stored certificate may still be handed out and
// nothing it depends on changed (one small file read, a few stats, one write); everything else
// (no record, an expiring certificate, a changed watch list, options, errors) is the full
// binary's, which it becomes with execv and the same arguments. So it links nothing but the C
// library and the record's format: no Foundation, no certificate parsing, no watch list.

/// The full binary: beside this one in a build directory, else `PREFIX/bin` for
/// `PREFIX/libexec/cce-kubeconfigd/`.
func fullBinary() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    let path = count > 0 ? String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    let beside = directory + "/cce-kubeconfigd"
    return access(beside, X_OK) == 0 ? beside : directory + "/../../bin/cce-kubeconfigd"
}

/// Writes all of `bytes` to `descriptor`; `false` when it could not.
func emit(_ bytes: [UInt8], to descriptor: Int32 = STDOUT_FILENO) -> Bool {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}

/// The record's answer, when it may be handed out now.
func answerFromRecord() -> [UInt8]? {
    let arguments = CommandLine.arguments
    guard arguments.count == 3, arguments[1] == "credential", CredentialLocation.isSingleComponent(arguments[2]),
        let path = CredentialLocation.recordPath(for: arguments[2]),
        let record = CredentialRecord.load(from: path)
    else { return nil }
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return record.answer(at: Int64(now.tv_sec))
}

if let answer = answerFromRecord() {
    // A closed standard output is kubectl's to notice; nothing is retried.
    exit(emit(answer) ? 0 : 1)
}
let binary = fullBinary()
var argv: [UnsafeMutablePointer<CChar>?] = [strdup(binary)] + CommandLine.arguments.dropFirst().map { strdup($0) } + [nil]
execv(binary, &argv)
let reason = String(cString: strerror(errno))
_ = emit(Array("error: cannot run \(binary): \(reason); reinstall cce-kubeconfigd.\n".utf8), to: STDERR_FILENO)
exit(1)
