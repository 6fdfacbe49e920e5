import YAML

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The client certificate and key of a cluster, as PEM text: what an exec-mode cluster keeps
/// outside the kubeconfig.
package struct ClientCredential: Sendable, Hashable {
    package var certificatePEM: [UInt8]
    package var privateKeyPEM: [UInt8]

    package init(certificatePEM: [UInt8], privateKeyPEM: [UInt8]) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }
}

extension ClientCredential: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Sizes only: the key never reaches a log or a test failure.
    package var description: String {
        "ClientCredential(certificate: \(certificatePEM.count) bytes, key: <redacted>)"
    }

    package var debugDescription: String { description }

    package var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// The `exec` stanza of a user entry that runs `cce-kubeconfigd credential N`.
package struct ExecPlugin: Sendable, Hashable {
    /// The ExecCredential version written and answered; kubectl 1.22 and later speak it.
    package static let apiVersion = "client.authentication.k8s.io/v1"
    /// The subcommand the entry runs.
    package static let subcommand = "credential"

    /// The absolute path of the cce-kubeconfigd executable: kubectl runs it without a shell and
    /// with whatever `PATH` the user has.
    package var command: String
    package var watchName: String

    package init(command: String, watchName: String) {
        self.command = command
        self.watchName = watchName
    }

    /// `exec:` as written: no cluster info (the plugin knows its cluster by name), never interactive
    /// (a renewal must not wait for a prompt nobody sees).
    package var node: YAMLNode {
        .mapping([
            "apiVersion": .string(Self.apiVersion),
            "command": .string(command),
            "args": .sequence([.string(Self.subcommand), .string(watchName)]),
            "interactiveMode": .string("Never"),
            "provideClusterInfo": .bool(false),
        ])
    }

    /// Whether a user entry's inner mapping runs this plugin for some watch name.
    package static func isCredentialPlugin(_ user: YAMLNode) -> Bool {
        guard let arguments = user["exec"]?["args"]?.items else { return false }
        return arguments.first?.scalarValue == subcommand
    }
}

extension ManagedCluster {
    /// How the user entry of these entries holds its credential.
    package var credentialMode: CredentialMode {
        let user = entries[.users]?.first?.node["user"]
        return user.map(ExecPlugin.isCredentialPlugin) == true ? .exec : .embed
    }

    /// The certificate and key embedded in the user entry (PEM, decoded from the `*-data`
    /// fields); `nil` for entries that hold none, such as exec ones.
    package var embeddedCredential: ClientCredential? {
        guard let user = entries[.users]?.first?.node["user"],
            let certificate = user["client-certificate-data"]?.scalarValue.flatMap({ Data(base64Encoded: $0) }),
            let key = user["client-key-data"]?.scalarValue.flatMap({ Data(base64Encoded: $0) })
        else { return nil }
        return ClientCredential(certificatePEM: Array(certificate), privateKeyPEM: Array(key))
    }

    /// The same entries with the user running `plugin` instead of holding certificate and key
    /// data; clusters and contexts are unchanged, so a renewal changes nothing in the kubeconfig.
    package func usingExecPlugin(command: String) -> ManagedCluster {
        var converted = self
        let marks: YAMLNode = .sequence([owner.extensionNode])
        let plugin = ExecPlugin(command: command, watchName: owner.watchName)
        converted.entries[.users] = [
            Entry(
                name: owner.watchName,
                node: .mapping([
                    "name": .string(owner.watchName),
                    "user": .mapping(["exec": plugin.node, "extensions": marks]),
                ])
            )
        ]
        return converted
    }
}
