import CCESigning

/// The KooCLI (`hcloud`) config, `~/.hcloud/config.json`, read for the access
/// keys of its current profile.
///
/// KooCLI encrypts the keys by default with an undocumented scheme, so only a file written with
/// `hcloud configure set --cli-auth-encrypt=false` can be used. Newer versions mark encryption
/// with `"authEncrypt": "true"`; for older files a key that is not 8 to 64 letters and digits
/// (plain Huawei access keys are 20) is taken as encrypted.
enum KooCLIConfig {
    /// What the current profile authenticates with.
    enum Credential: Sendable, Hashable {
        /// An `AKSK` profile's keys, temporary when it holds a security token (`cli-security-token`).
        case accessKey(AccessKeyCredential)
        /// An `ecsAgency` profile: the temporary keys of the server's agency, from the metadata service.
        case ecsAgency
    }

    /// The credential of the `current` profile (or the only one).
    ///
    /// - Throws: a reason that tells how to proceed; it names the profile, never a key.
    static func credential(from bytes: [UInt8]) throws(KooCLIProblem) -> Credential {
        guard let root = JSONValue.parse(bytes), case .object = root else { throw KooCLIProblem("is not a JSON object") }
        guard case .array(let profiles) = root["profiles"], !profiles.isEmpty else { throw KooCLIProblem("has no profiles") }

        let current = root["current"]?.string
        let profile: JSONValue
        if let current {
            guard let named = profiles.first(where: { $0["name"]?.string == current }) else {
                throw KooCLIProblem("has no profile \"\(current)\", which it names as current")
            }
            profile = named
        } else if profiles.count == 1 {
            profile = profiles[0]
        } else {
            throw KooCLIProblem("names no current profile among several")
        }
        let name = profile["name"]?.string ?? "unnamed"

        let mode = profile["mode"]?.string ?? ""
        if mode.lowercased() == "ecsagency" { return .ecsAgency }
        guard mode.uppercased() == "AKSK" else {
            throw KooCLIProblem(
                "profile \"\(name)\" uses mode \"\(mode)\", but only AKSK and ecsAgency profiles can be read; "
                    + "give the keys through HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK or ~/.huaweicloud/credentials"
            )
        }
        guard let accessKey = profile["accessKeyId"]?.string?.nonEmpty,
            let secretKey = profile["secretAccessKey"]?.string?.nonEmpty
        else { throw KooCLIProblem("profile \"\(name)\" has no accessKeyId and secretAccessKey") }

        let marked = root["authEncrypt"] == .string("true") || root["authEncrypt"] == .bool(true)
        guard !marked, looksPlain(accessKey) else {
            throw KooCLIProblem(
                "stores the keys of profile \"\(name)\" encrypted, which only hcloud can read; run "
                    + "`hcloud configure set --cli-auth-encrypt=false` to store them in plain text (keep the file private), "
                    + "or give them through HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK or ~/.huaweicloud/credentials"
            )
        }
        return .accessKey(
            AccessKeyCredential(
                accessKey: accessKey,
                secretKey: secretKey,
                securityToken: profile["securityToken"]?.string?.nonEmpty,
                projectID: profile["projectId"]?.string?.nonEmpty
            )
        )
    }

    private static func looksPlain(_ accessKey: String) -> Bool {
        (8...64).contains(accessKey.utf8.count) && accessKey.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}

/// Why a KooCLI config cannot be used; reads after the file's name.
struct KooCLIProblem: Error, Sendable, Hashable {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
