/// A Huawei Cloud access key pair, permanent or temporary, and the project it acts in.
///
/// The secret key and the security token never leave this value in text form:
/// `description`, `debugDescription` and the reflection mirror (used by `dump`) show the
/// access key masked and the secrets as `<redacted>`.
package struct AccessKeyCredential: Sendable, Hashable {
    /// The access key (AK), sent in clear in every `Authorization` header.
    package var accessKey: String
    /// The secret key (SK), the HMAC key. Never sent.
    package var secretKey: String
    /// The security token of a temporary AK/SK, sent as `X-Security-Token`; `nil` for a permanent key.
    package var securityToken: String?
    /// The project id, sent as `X-Project-Id`; `nil` for global services such as IAM.
    package var projectID: String?

    /// Creates a credential. Presence checks (an empty AK or SK) are the loader's business.
    package init(accessKey: String, secretKey: String, securityToken: String? = nil, projectID: String? = nil) {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.securityToken = securityToken
        self.projectID = projectID
    }

    /// The access key as it may appear in logs and errors: its first four characters and "…".
    package var maskedAccessKey: String {
        AccessKeyCredential.mask(accessKey)
    }

    /// Masks an access key for text meant for people: first four characters, then "…".
    package static func mask(_ accessKey: String) -> String {
        "\(accessKey.prefix(4))…"
    }
}

extension AccessKeyCredential: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String {
        var text = "AccessKeyCredential(accessKey: \(maskedAccessKey), secretKey: <redacted>"
        if securityToken != nil {
            text += ", securityToken: <redacted>"
        }
        if let projectID {
            text += ", projectID: \(projectID)"
        }
        return text + ")"
    }

    package var debugDescription: String {
        description
    }

    package var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKey": maskedAccessKey,
                "secretKey": "<redacted>",
                "securityToken": securityToken == nil ? "nil" : "<redacted>",
                "projectID": projectID ?? "nil",
            ],
            displayStyle: .struct
        )
    }
}
