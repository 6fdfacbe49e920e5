#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The body of a cluster-certificate answer: a Kubernetes `Config` in exactly the shape CCE
/// returns (`config/examples/cce-kubeconfig.json` is a real one), with CCE's fixed names.
///
/// `internalCluster` carries the cluster CA; `externalCluster`, when there is one, carries
/// `insecure-skip-tls-verify: true` and no CA data (client-go refuses both together), and is
/// then the current context.
struct KubeconfigAnswer: Sendable {
    var internalServer: String
    var externalServer: String?
    /// base64 of the cluster CA's PEM.
    var certificateAuthorityData: String
    /// base64 of the client certificate's PEM.
    var clientCertificateData: String
    /// base64 of the client key's PKCS#1 PEM.
    var clientKeyData: String

    init(endpoints: APIServerEndpoints, authorityPEM: String, credential: ClientCredential) {
        internalServer = endpoints.internal.absoluteString
        externalServer = endpoints.external?.absoluteString
        certificateAuthorityData = Data(authorityPEM.utf8).base64EncodedString()
        clientCertificateData = Data(credential.certificatePEM.utf8).base64EncodedString()
        clientKeyData = Data(credential.privateKeyPEM.utf8).base64EncodedString()
    }

    var document: JSONValue {
        [
            "kind": "Config",
            "apiVersion": "v1",
            "preferences": [:],
            "clusters": .array(clusters.map { ["name": .string($0.name), "cluster": $0.cluster] }),
            "users": [["name": "user", "user": user]],
            "contexts": .array(contexts),
            "current-context": externalServer == nil ? "internal" : "external",
        ]
    }

    /// The same content with `clusters` an object keyed by name: valid JSON, wrong shape.
    var wrongShapeDocument: JSONValue {
        [
            "kind": "Config",
            "apiVersion": "v1",
            "preferences": [:],
            "clusters": .object(clusters.map { (key: $0.name, value: $0.cluster) }),
            "users": [["name": "user", "user": user]],
            "contexts": .array(contexts),
            "current-context": externalServer == nil ? "internal" : "external",
        ]
    }

    private var clusters: [(name: String, cluster: JSONValue)] {
        var clusters: [(name: String, cluster: JSONValue)] = [
            ("internalCluster", ["server": .string(internalServer), "certificate-authority-data": .string(certificateAuthorityData)])
        ]
        if let externalServer {
            clusters.append(("externalCluster", ["server": .string(externalServer), "insecure-skip-tls-verify": true]))
        }
        return clusters
    }

    private var user: JSONValue {
        ["client-certificate-data": .string(clientCertificateData), "client-key-data": .string(clientKeyData)]
    }

    private var contexts: [JSONValue] {
        var contexts: [JSONValue] = [["name": "internal", "context": ["cluster": "internalCluster", "user": "user"]]]
        if externalServer != nil {
            contexts.append(["name": "external", "context": ["cluster": "externalCluster", "user": "user"]])
        }
        return contexts
    }
}
