import FuzzHarness

#if canImport(Glibc)
import Glibc
#endif

/// The fuzz checks as a program, in two builds of the same file.
///
/// A plain build (`swift build`) replays inputs: `cce-fuzz yaml|merge FILE...` runs each file
/// through the check and prints any violation, so a crash that libFuzzer saved can be
/// reproduced in a debugger. `Tests/Fuzz/run.sh` builds it with `-DFUZZING` and
/// `-sanitize=fuzzer,address`, which makes `main` hand over to libFuzzer's driver; the check
/// to fuzz is then chosen by `CCE_FUZZ_TARGET` (`yaml` or `merge`), because every libFuzzer
/// argument belongs to libFuzzer.
@main
struct FuzzEntry {
    static func check(named name: String?) -> (@Sendable ([UInt8]) -> FuzzViolation?)? {
        switch name {
        case "yaml": YAMLRoundTrip.check
        case "merge": MergeInvariants.check
        default: nil
        }
    }

    #if FUZZING
    /// The check named by `CCE_FUZZ_TARGET`, read once.
    static let target = check(named: getenv("CCE_FUZZ_TARGET").map { String(cString: $0) })

    static func main() {
        guard target != nil else {
            printError("cce-fuzz: set CCE_FUZZ_TARGET to yaml or merge")
            exit(2)
        }
        var argc = CommandLine.argc
        var argv = Optional(CommandLine.unsafeArgv)
        exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
    }
    #else
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let check = check(named: arguments.first), arguments.count > 1 else {
            printError("usage: cce-fuzz yaml|merge FILE...   (replays fuzz inputs through the check)")
            exit(2)
        }
        var failures = 0
        for path in arguments.dropFirst() {
            guard let bytes = readFile(path) else {
                printError("\(path): cannot be read")
                exit(2)
            }
            if let violation = check(bytes) {
                print("\(path): \(violation)")
                failures += 1
            }
        }
        exit(failures == 0 ? 0 : 1)
    }

    private static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            bytes += buffer[..<count]
            if count < buffer.count { return ferror(file) == 0 ? bytes : nil }
        }
    }
    #endif
}

/// Writes a line to standard error (the `stderr` global is not concurrency-safe in Swift 6).
func printError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

#if FUZZING
/// One fuzz input through the chosen check; a violation traps, which libFuzzer reports as a crash.
/// Exported under libFuzzer's own name too, because a debug link may start from libFuzzer's
/// `main` rather than ``FuzzEntry/main()``; both end up here.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let check = FuzzEntry.target else {
        printError("cce-fuzz: set CCE_FUZZ_TARGET to yaml or merge")
        exit(2)
    }
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    if let violation = check(bytes) { violation.trap() }
    return 0
}

/// libFuzzer's driver (`-sanitize=fuzzer` links it): parses the libFuzzer flags and calls
/// `callback` with each input.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif
