import Testing

/// The secret scan every command's output goes through (see ``Workspace/cce(_:sourceLocation:)``) can fail.
@Suite struct SecretScanTests {
    @Test func scanFindsEverySecretOfTheCCEAnswersInTheirOwnText() throws {
        let secrets = SecretFragments.cceAnswers
        // Two answers, each with CA, client certificate and key.
        #expect(secrets.count == 6)
        for answer in [Fixtures.cceAnswer, Fixtures.renewedAnswer] {
            let found = secrets.leaks(in: try Fixtures.text(answer)).filter { $0.hasSuffix(answer) }
            #expect(found.count == 3, "found \(found) in \(answer)")
        }
    }

    @Test func scanFindsADecodedPrivateKey() throws {
        let key = try Fixtures.text("Tests/Fixtures/pki/renewed-client.key")

        let found = SecretFragments.cceAnswers.leaks(in: "some output\n" + key)

        #expect(found.contains { $0.hasPrefix("client-key-data") && $0.hasSuffix(Fixtures.renewedAnswer) })
    }

    @Test func scanFindsNothingInRedactedText() throws {
        let redacted = try Fixtures.text(Fixtures.cceAnswer)
            .replacing(/"(?<key>[a-z-]+-data)": "[^"]*"/) { "\"\($0.output.key)\": \"<redacted>\"" }

        #expect(SecretFragments.cceAnswers.leaks(in: redacted) == [])
    }
}
