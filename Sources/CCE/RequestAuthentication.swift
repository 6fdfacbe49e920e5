import CCESigning
import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How one request proves who sends it.
enum RequestAuthentication: Sendable {
    /// `SDK-HMAC-SHA256` signature headers, with `X-Project-Id` and, for a temporary key, `X-Security-Token`.
    case signed(AccessKeyCredential)
    /// `X-Auth-Token`: a static token, or one from a password login.
    case token(String)
}

extension RequestAuthentication {
    /// `method` on `url` (below `endpoint`) with `body`, as the SDK sends it, authenticated as of
    /// `date`: signed for `projectID` (its `X-Project-Id`; none when `nil`), or carrying the
    /// token. Both carry `Content-Type: application/json` (signed too), even without a body.
    func prepare(
        _ method: HTTPMethod,
        _ url: URL,
        endpoint: URL,
        body: [UInt8] = [],
        projectID: String?,
        date: Date
    ) throws(ServiceFailure) -> PreparedRequest {
        let headers: [SignableRequest.Header] = [
            .init(name: "Content-Type", value: "application/json"),
            .init(name: "User-Agent", value: CCEClient.userAgent),
        ]
        switch self {
        case .signed(var credential):
            credential.projectID = projectID
            guard let unsigned = SignableRequest(method: method.rawValue, url: url, headers: headers, body: body) else {
                throw ServiceFailure(.configuration(reason: "the endpoint \(endpoint.absoluteString) has no host"))
            }
            let signed = RequestSigner(credential: credential).sign(unsigned, at: date).request
            return PreparedRequest(method: method, url: url, headers: HTTPHeaders(signed.headers.map { ($0.name, $0.value) }), body: body)
        case .token(let token):
            let all = headers.map { ($0.name, $0.value) } + [("X-Auth-Token", token)]
            return PreparedRequest(method: method, url: url, headers: HTTPHeaders(all), body: body)
        }
    }
}
