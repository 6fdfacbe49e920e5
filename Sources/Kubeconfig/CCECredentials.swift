import SwiftASN1
import YAML

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A cluster's credentials as CCE hands them out (the `clustercert` answer, or the kubeconfig
/// downloaded from the console), checked in full before anything reaches a kubeconfig.
///
/// CCE names every entry the same (`internalCluster`/`externalCluster`, `user`, `internal`/
/// `external`); what matters here is the endpoints (one per context) and the one client
/// certificate they share.
package struct CCECredentials: Sendable, Hashable {
    /// One way to reach the API server: a context of the answer and the cluster it points at.
    package struct Endpoint: Sendable, Hashable {
        /// The context name in the answer: `internal` or `external`.
        package var name: String
        package var server: String
        /// base64 of the CA's PEM, as given.
        package var certificateAuthorityData: String?
        package var insecureSkipTLSVerify: Bool
    }

    package var endpoints: [Endpoint]
    /// base64 of the client certificate's PEM, as given.
    package var clientCertificateData: String
    /// base64 of the client key's PEM, as given.
    package var clientKeyData: String
    package var clientCertificate: CertificateValidity

    /// Parses and validates a CCE kubeconfig (JSON, or YAML as the console offers it).
    package init(parsing bytes: [UInt8]) throws(CCECredentialsError) {
        let root: YAMLNode
        do {
            guard let parsed = try YAMLParser.parse(bytes).root else {
                throw CCECredentialsError(field: "the answer", problem: .missing, at: nil)
            }
            root = parsed
        } catch let error as YAMLError {
            throw CCECredentialsError(field: "the answer", problem: .syntax(error), at: error.location)
        } catch let error as CCECredentialsError {
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
        if root.collectionStyle == .flow, let stray = Self.firstNonJSONScalar(in: root) {
            throw CCECredentialsError(field: "the answer", problem: .notJSON, at: stray.span?.start)
        }
        let reader = FieldReader(root: root)

        let users = try reader.namedList("users", inner: "user")
        let clusters = try reader.namedList("clusters", inner: "cluster")
        let contexts = try reader.namedList("contexts", inner: "context")
        guard !users.isEmpty else { throw CCECredentialsError(field: "users", problem: .empty, at: root["users"]?.span?.start) }
        guard !contexts.isEmpty else { throw CCECredentialsError(field: "contexts", problem: .empty, at: root["contexts"]?.span?.start) }

        var endpoints: [Endpoint] = []
        var userName: String?
        for context in contexts {
            let field = "contexts[\(context.name)].context"
            guard WatchName.isValid(context.name) else {
                throw CCECredentialsError(field: "contexts[\(context.name)]", problem: .badName, at: context.location)
            }
            let clusterName = try reader.string(context.inner, "cluster", field: field)
            let contextUser = try reader.string(context.inner, "user", field: field)
            guard let cluster = clusters.first(where: { $0.name == clusterName }) else {
                throw CCECredentialsError(field: "\(field).cluster", problem: .unknownReference(clusterName), at: context.location)
            }
            guard users.contains(where: { $0.name == contextUser }) else {
                throw CCECredentialsError(field: "\(field).user", problem: .unknownReference(contextUser), at: context.location)
            }
            if let userName, userName != contextUser {
                throw CCECredentialsError(field: "\(field).user", problem: .severalUsers, at: context.location)
            }
            userName = contextUser
            endpoints.append(try reader.endpoint(named: context.name, cluster: cluster))
        }

        let user = users.first { $0.name == userName }!
        let userField = "users[\(user.name)].user"
        clientCertificateData = try reader.string(user.inner, "client-certificate-data", field: userField)
        clientKeyData = try reader.string(user.inner, "client-key-data", field: userField)
        clientCertificate = try reader.certificate(clientCertificateData, field: "\(userField).client-certificate-data", in: user.inner)
        try reader.privateKey(clientKeyData, field: "\(userField).client-key-data", in: user.inner)
        self.endpoints = endpoints
    }
}

extension CCECredentials {
    /// An answer that starts like JSON must be JSON: YAML would also read `"key": word` or
    /// single quotes, but an API that answers with those is answering something else.
    private static func firstNonJSONScalar(in node: YAMLNode) -> YAMLNode? {
        switch node.content {
        case .scalar(let text, .plain):
            let literal = text == "true" || text == "false" || text == "null" || text.wholeMatch(of: jsonNumber) != nil
            return literal ? nil : node
        case .scalar(_, .doubleQuoted):
            return nil
        case .scalar, .alias:
            return node
        case .sequence(let items, _):
            return items.lazy.compactMap(firstNonJSONScalar).first
        case .mapping(let pairs, _):
            return pairs.lazy.compactMap { pair in
                pair.key.content == .scalar(pair.key.scalarValue ?? "", style: .doubleQuoted)
                    ? firstNonJSONScalar(in: pair.value) : pair.key
            }.first
        }
    }

    nonisolated(unsafe) private static let jsonNumber = #/-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/#
}

extension CCECredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Endpoints and validity only: certificate and key data never reach a log or a test failure.
    package var description: String {
        let endpoints = endpoints.map { "\($0.name) \($0.server)" }.joined(separator: ", ")
        return "CCECredentials(\(endpoints); client certificate valid \(clientCertificate.notBefore) to \(clientCertificate.notAfter))"
    }

    package var debugDescription: String { description }

    package var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// Why a CCE answer was refused: which field, what is wrong with it, and where.
package struct CCECredentialsError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Problem: Sendable, Hashable {
        case syntax(YAMLError)
        case notJSON
        case missing
        case empty
        case wrongType(expected: String)
        case badName
        case notBase64
        case notPEM(expected: String)
        case notHTTPS
        case unknownReference(String)
        case severalUsers
        case caWithInsecureFlag
    }

    /// A path into the answer such as `users[user].user.client-key-data`.
    package var field: String
    package var problem: Problem
    package var location: SourceLocation?

    package init(field: String, problem: Problem, at location: SourceLocation?) {
        self.field = field
        self.problem = problem
        self.location = location
    }

    /// The message with the file name in front: `path:12:3: ...`, or `path: ...` when there is no place.
    package func described(in path: String) -> String {
        location == nil ? "\(path): \(description)" : "\(path):\(description)"
    }

    package var description: String {
        let place = location.map { "\($0): " } ?? ""
        let what: String =
            switch problem {
            case .syntax(let error): "is not valid JSON or YAML: \(error.description.drop(while: { $0 != " " }).dropFirst())"
            case .notJSON: "is not valid JSON: a value here is neither a double-quoted string nor a JSON literal"
            case .missing: "is missing"
            case .empty: "is empty"
            case .wrongType(let expected): "must be \(expected)"
            case .badName: "has a name that cannot be part of a context name (use lower-case letters, digits, '-', '.', '_')"
            case .notBase64: "is not valid base64"
            case .notPEM(let expected): "does not decode to a PEM \(expected)"
            case .notHTTPS: "is not an https:// URL"
            case .unknownReference(let name): "names \"\(name)\", which the answer does not define"
            case .severalUsers: "names a different user than the other contexts; one CCE cluster has one client certificate"
            case .caWithInsecureFlag: "has both certificate-authority-data and insecure-skip-tls-verify, which kubectl refuses"
            }
        return "\(place)\(field) \(what)"
    }
}

/// Reads typed fields out of the answer's node tree, turning every surprise into a ``CCECredentialsError``.
private struct FieldReader {
    struct NamedItem {
        var name: String
        var inner: YAMLNode
        var location: SourceLocation?
    }

    let root: YAMLNode

    func namedList(_ key: String, inner innerKey: String) throws(CCECredentialsError) -> [NamedItem] {
        guard root.pairs != nil else {
            throw CCECredentialsError(field: "the answer", problem: .wrongType(expected: "an object"), at: root.span?.start)
        }
        guard let list = root[key], !list.isNull else { throw CCECredentialsError(field: key, problem: .missing, at: root.span?.start) }
        guard let items = list.items else {
            throw CCECredentialsError(field: key, problem: .wrongType(expected: "a list"), at: list.span?.start)
        }
        var result: [NamedItem] = []
        for (index, item) in items.enumerated() {
            let field = "\(key)[\(index)]"
            guard item.pairs != nil else {
                throw CCECredentialsError(field: field, problem: .wrongType(expected: "an object"), at: item.span?.start)
            }
            let name = try string(item, "name", field: field)
            guard let inner = item[innerKey], inner.pairs != nil else {
                throw CCECredentialsError(
                    field: "\(key)[\(name)].\(innerKey)",
                    problem: .wrongType(expected: "an object"),
                    at: item.span?.start
                )
            }
            result.append(NamedItem(name: name, inner: inner, location: item.span?.start))
        }
        return result
    }

    func string(_ node: YAMLNode, _ key: String, field: String) throws(CCECredentialsError) -> String {
        guard let value = node[key] else { throw CCECredentialsError(field: "\(field).\(key)", problem: .missing, at: node.span?.start) }
        guard let text = value.scalarValue, !value.isNull else {
            throw CCECredentialsError(field: "\(field).\(key)", problem: .wrongType(expected: "a string"), at: value.span?.start)
        }
        return text
    }

    func endpoint(named name: String, cluster: NamedItem) throws(CCECredentialsError) -> CCECredentials.Endpoint {
        let field = "clusters[\(cluster.name)].cluster"
        let server = try string(cluster.inner, "server", field: field)
        guard let url = URL(string: server), url.scheme == "https", let host = url.host, !host.isEmpty else {
            throw CCECredentialsError(field: "\(field).server", problem: .notHTTPS, at: cluster.inner["server"]?.span?.start)
        }
        var authority: String?
        if cluster.inner["certificate-authority-data"] != nil {
            let data = try string(cluster.inner, "certificate-authority-data", field: field)
            _ = try certificate(data, field: "\(field).certificate-authority-data", in: cluster.inner)
            authority = data
        }
        var insecure = false
        if let flag = cluster.inner["insecure-skip-tls-verify"] {
            guard case .scalar(let text, .plain) = flag.content, text == "true" || text == "false" else {
                throw CCECredentialsError(
                    field: "\(field).insecure-skip-tls-verify",
                    problem: .wrongType(expected: "true or false"),
                    at: flag.span?.start
                )
            }
            insecure = text == "true"
        }
        if insecure, authority != nil {
            throw CCECredentialsError(field: field, problem: .caWithInsecureFlag, at: cluster.location)
        }
        return .init(name: name, server: server, certificateAuthorityData: authority, insecureSkipTLSVerify: insecure)
    }

    func certificate(_ base64: String, field: String, in node: YAMLNode) throws(CCECredentialsError) -> CertificateValidity {
        let pem = try decodedPEM(base64, field: field, in: node, expected: "certificate")
        do {
            return try CertificateValidity(pem: pem)
        } catch {
            throw CCECredentialsError(field: field, problem: .notPEM(expected: "certificate"), at: location(of: field, in: node))
        }
    }

    func privateKey(_ base64: String, field: String, in node: YAMLNode) throws(CCECredentialsError) {
        let pem = try decodedPEM(base64, field: field, in: node, expected: "private key")
        let keyLabels: Set<String> = ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY"]
        guard let document = try? PEMDocument(pemString: pem), keyLabels.contains(document.discriminator) else {
            throw CCECredentialsError(field: field, problem: .notPEM(expected: "private key"), at: location(of: field, in: node))
        }
    }

    private func decodedPEM(_ base64: String, field: String, in node: YAMLNode, expected: String) throws(CCECredentialsError) -> String {
        guard let data = Data(base64Encoded: base64) else {
            throw CCECredentialsError(field: field, problem: .notBase64, at: location(of: field, in: node))
        }
        guard let pem = String(data: data, encoding: .utf8), pem.contains("-----BEGIN ") else {
            throw CCECredentialsError(field: field, problem: .notPEM(expected: expected), at: location(of: field, in: node))
        }
        return pem
    }

    private func location(of field: String, in node: YAMLNode) -> SourceLocation? {
        let key = field.split(separator: ".").last.map(String.init) ?? field
        return node[key]?.span?.start ?? node.span?.start
    }
}
