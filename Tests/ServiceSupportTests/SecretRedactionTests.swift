import Logging
import ServiceSupport
import Testing

@Suite struct SecretRedactionTests {
    let redaction = SecretRedaction.secretLookingKeys

    func isHidden(_ key: String) -> Bool {
        redaction.redact([key: "value"])[key] == SecretRedaction.placeholder
    }

    @Test(arguments: [
        "token", "X-Auth-Token", "security_token", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "authToken",
        "password", "PASSWORD_FILE", "secret", "client_secret", "SecretAccessKey",
        "client-key-data", "client-certificate-data", "clientKeyData", "token-data",
        "sk", "SK", "ak", "HUAWEICLOUD_SDK_SK", "credentials.ak",
    ])
    func secretLookingKeyIsHidden(key: String) {
        #expect(isHidden(key))
    }

    @Test(arguments: [
        "cluster", "metadata", "data", "task", "ask", "skip", "region", "endpoint", "expires", "error", "next",
    ])
    func ordinaryKeyIsKept(key: String) {
        #expect(!isHidden(key))
    }

    @Test func nestedDictionariesAndArraysAreSearched() {
        let metadata: Logger.Metadata = [
            "request": ["headers": ["X-Auth-Token": "abc", "Host": "cce"], "attempts": ["1", ["sk": "x"]]]
        ]
        let expected: Logger.Metadata = [
            "request": ["headers": ["X-Auth-Token": "<redacted>", "Host": "cce"], "attempts": ["1", ["sk": "<redacted>"]]]
        ]
        #expect(redaction.redact(metadata) == expected)
    }
}
