import Foundation
import Testing
import WatchList

@testable import CCE

/// `type: process` with real child processes: small scripts each test writes, run without a shell.
@Suite struct CredentialProcessTests {
    private static let expiry = "2036-01-01T00:00:00.000000Z"
    private static let now = Date(timeIntervalSince1970: 1_900_000_000)

    /// Runs the script `body` (a `/bin/sh` script, made executable) with `arguments`.
    private func run(_ body: String, arguments: [String] = [], timeout: Duration = .seconds(30)) async throws -> Result<
        (TemporaryCredential, stderr: [String]), ExchangeFailure
    > {
        try await TemporaryDirectory.with { directory in
            let script = try directory.writeProgram(body, to: "helper")
            let runner = CredentialProcess(
                process: ProcessSet(command: [script] + arguments, timeout: timeout),
                environment: ["PATH": "/usr/bin:/bin"]
            )
            do throws(ExchangeFailure) {
                return .success(try await runner.credentials(now: Self.now))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The one sentence of a run that must fail.
    private func failure(_ body: String, timeout: Duration = .seconds(30)) async throws -> String {
        switch try await run(body, timeout: timeout) {
        case .success(let credential):
            Issue.record("expected a failure, got \(credential.0)")
            return ""
        case .failure(let failure):
            guard case .local(let reason) = failure.failure.kind else {
                Issue.record("expected a local failure, got \(failure.failure.kind)")
                return ""
            }
            return reason
        }
    }

    @Test func temporaryKeysPrintedAsJSONAreRead() async throws {
        let (credential, _) = try await run(
            #"echo '{"access":"AKTEMP","secret":"SKTEMP","securitytoken":"STTEMP","expires_at":"\#(Self.expiry)"}'"#
        ).get()
        #expect(credential.authentication == .accessKey(.init(accessKey: "AKTEMP", secretKey: "SKTEMP", securityToken: "STTEMP")))
        #expect(credential.expiresAt == Date(timeIntervalSince1970: 2_082_758_400))
    }

    @Test func tokenPrintedAsJSONIsRead() async throws {
        let (credential, _) = try await run(#"printf '{"token": "MIItoken", "expires_at": "2036-01-01T00:00:00Z"}'"#).get()
        #expect(credential.authentication == .token("MIItoken"))
    }

    @Test func argumentsReachTheCommandAsGivenWithoutAShell() async throws {
        let (credential, _) = try await run(#"printf '{"token":"%s","expires_at":"2036-01-01T00:00:00Z"}' "$1""#, arguments: ["$(id);x *"])
            .get()
        #expect(credential.authentication == .token("$(id);x *"))
    }

    @Test func standardErrorIsHandedBackLineByLineForTheLog() async throws {
        let (_, stderr) = try await run(
            #"echo "opening the browser" >&2; echo "signed in" >&2; echo '{"token":"t0k3n","expires_at":"2036-01-01T00:00:00Z"}'"#
        ).get()
        #expect(stderr == ["opening the browser", "signed in"])
    }

    @Test func nonZeroExitIsOneSentence() async throws {
        #expect(try await failure("echo secret-ish output; exit 3").hasSuffix("/helper exited with status 3"))
    }

    @Test func garbageIsOneSentenceThatDoesNotQuoteIt() async throws {
        let reason = try await failure("echo 'SKgarbageSecret not json'")
        #expect(reason.hasSuffix("/helper printed something that is not a JSON object"))
        #expect(!reason.contains("SKgarbageSecret"))
    }

    @Test func nothingIsOneSentence() async throws {
        #expect(try await failure("true").contains("/helper printed nothing"))
    }

    @Test func hangIsStoppedAtTheTimeout() async throws {
        #expect(try await failure("sleep 60", timeout: .seconds(1)).hasSuffix("/helper did not finish within 1s and was stopped"))
    }

    @Test func hangAfterClosingItsOutputIsStoppedAtTheTimeout() async throws {
        #expect(try await failure("exec >&- 2>&-; sleep 60", timeout: .seconds(1)).hasSuffix("did not finish within 1s and was stopped"))
    }

    @Test func outputOverTheCapIsRefused() async throws {
        #expect(try await failure("head -c 70000 /dev/zero | tr '\\0' x").hasSuffix("printed more than 64 KiB and was stopped"))
    }

    @Test func expiredCredentialsAreRefused() async throws {
        #expect(try await failure(#"echo '{"token":"t","expires_at":"2020-01-01T00:00:00Z"}'"#).contains("expired at 2020-01-01T00:00:00Z"))
    }

    @Test func missingExpiryIsOneSentence() async throws {
        #expect(try await failure(#"echo '{"token":"t"}'"#).contains("has no expires_at"))
    }

    @Test func programThatDoesNotExistIsOneSentence() async throws {
        let runner = CredentialProcess(process: ProcessSet(command: ["/nonexistent/sso-helper"]), environment: [:])
        await #expect(
            throws: ExchangeFailure.local(
                "the command /nonexistent/sso-helper cannot be started: No such file or directory",
                obtaining: "credentials from the command /nonexistent/sso-helper"
            )
        ) {
            _ = try await runner.credentials(now: Self.now)
        }
    }
}
