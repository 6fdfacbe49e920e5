import Crypto
import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The STS endpoint of new IAM: `POST /v5/agencies/assume` (`AssumeAgency`), signed with AK/SK,
/// for temporary keys of an agency named by its URN, `iam::<account id>:agency:<name>`.
///
/// Checks, in order: the route (404 `APIGW.0101`), the signature (401 `APIGW.0301`), the body
/// (400: fields, `duration_seconds` 900…43 200 and at most the agency's maximum session, and at
/// most 3 600 when the caller signs with a temporary key and its `X-Security-Token`), the agency
/// (404 for an unknown account or agency), the permission and the trust (403, with
/// `encoded_authorization_message`). Errors are `{"error_code", "error_msg"}`.
struct STSResponder: HTTPResponder {
    let state: SimulatorState

    private struct Body: Decodable {
        var agencyURN: String
        var agencySessionName: String
        var durationSeconds: Int?

        enum CodingKeys: String, CodingKey {
            case agencyURN = "agency_urn"
            case agencySessionName = "agency_session_name"
            case durationSeconds = "duration_seconds"
        }
    }

    /// An STS error answer.
    private struct Refusal: Error {
        var status: HTTPResponseStatus
        var code: String
        var message: String

        func response(requestID: String) -> SimulatedResponse {
            var body: [(key: String, value: JSONValue)] = [("error_code", .string(code)), ("error_msg", .string(message))]
            if status == .forbidden {
                // Opaque, as STS's is; DecodeAuthorizationMessage is not simulated.
                let message = Data(SHA256.hash(data: Array((code + message).utf8))).base64EncodedString()
                body.append(("encoded_authorization_message", .string(message)))
            }
            return .json(status, .object(body), headers: ["X-Request-Id": requestID])
        }

        static func invalid(_ message: String) -> Refusal {
            Refusal(status: .badRequest, code: "STS.0001", message: message)
        }
    }

    func respond(to request: SimulatedRequest) async -> SimulatedResponse {
        await state.delayAnswer()
        let requestID = RequestID.make()
        guard request.method == .POST, request.path == "/v5/agencies/assume" else {
            return APIError.apiNotFound.response(requestID: requestID)
        }
        let now = state.now()
        guard request.header("Authorization") != nil else {
            // STS takes signatures only; a token is not enough.
            return APIError.incorrectIAMAuthentication("verify aksk signature fail, the request is not signed").response(
                requestID: requestID
            )
        }
        let caller: Principal
        do {
            caller = try state.authenticator.authenticate(request, now: now, requiresProjectHeader: false)
        } catch {
            return error.apiError.response(requestID: requestID)
        }
        do {
            let (agency, session, key) = try assume(request, caller: caller, now: now)
            let accountID = SimulatorConfiguration.accountID(of: agency.account)
            let agencyID = IAMResponder.stableID("agency", agency.account + "/" + agency.name)
            return .json(
                .ok,
                [
                    "assumed_agency": [
                        "id": .string("\(agencyID):\(session)"),
                        "urn": .string("sts::\(accountID):assumed-agency:\(agency.name)/\(session)"),
                    ],
                    "credentials": [
                        "access_key_id": .string(key.accessKey),
                        "expiration": .string(Self.expiration(key.expiresAt)),
                        "secret_access_key": .string(key.secretKey),
                        "security_token": .string(key.securityToken),
                    ],
                ],
                headers: ["X-Request-Id": requestID]
            )
        } catch {
            return error.response(requestID: requestID)
        }
    }

    private func assume(_ request: SimulatedRequest, caller: Principal, now: Date) throws(Refusal) -> (Agency, String, IssuedKeyStore.Key) {
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(request.body)) else {
            throw .invalid("The request body is not a valid AssumeAgency request: agency_urn and agency_session_name are required.")
        }
        guard body.agencySessionName.wholeMatch(of: /[\w+=,.@-]{2,128}/) != nil else {
            throw .invalid("agency_session_name must be 2 to 128 characters of letters, digits and +=,.@-_.")
        }
        guard body.agencyURN.count <= 1500,
            let urn = body.agencyURN.wholeMatch(of: /iam::([0-9a-f]{32}):agency:(.+)/)
        else {
            throw .invalid("agency_urn must be iam::<account id>:agency:<agency name>.")
        }
        let duration = body.durationSeconds ?? 3600
        guard (900...43_200).contains(duration) else {
            throw .invalid("duration_seconds must be between 900 and 43200.")
        }
        if caller.usesTemporaryKey, duration > 3600 {
            throw .invalid("duration_seconds must be at most 3600 when the caller uses temporary credentials.")
        }
        guard let account = state.configuration.accountsByID[String(urn.1)],
            let agency = state.configuration.agency(named: String(urn.2), inAccount: account)
        else {
            throw Refusal(status: .notFound, code: "STS.0004", message: "The agency does not exist.")
        }
        guard caller.mayAssumeAgencies else {
            throw Refusal(status: .forbidden, code: "STS.0003", message: "The caller is not allowed to perform sts:agencies:assume.")
        }
        guard agency.trustedAccount == caller.account else {
            throw Refusal(status: .forbidden, code: "STS.0003", message: "The agency does not trust the caller's account.")
        }
        guard Double(duration) <= agency.maximumSession.timeInterval else {
            throw .invalid("duration_seconds exceeds the agency's maximum session duration.")
        }
        let key = state.issueTemporaryKey(
            account: agency.account,
            mayAssumeAgencies: agency.mayAssumeAgencies,
            requested: duration,
            now: now
        )
        return (agency, body.agencySessionName, key)
    }

    /// STS's `expiration`: RFC 3339 UTC with milliseconds, `2022-09-07T03:27:51.158Z`.
    static func expiration(_ date: Date) -> String {
        let iam = HuaweiTime.iamTimestamp(date)
        return String(iam.dropLast(4)) + "Z"
    }
}
