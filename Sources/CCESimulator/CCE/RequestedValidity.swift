#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How long a cluster-certificate request asks the client certificate to live, read and
/// checked as CCE does.
enum RequestedValidity: Sendable, Hashable {
    /// `duration` in days, 1 up to the days in the next five years.
    case days(Int)
    /// `duration: -1`, or the deprecated GET: five years.
    case maximum
    /// `expire_at`, which wins over `duration`; 15 minutes to five years ahead.
    case until(Date)

    /// The request body's fields; anything else in the body is ignored, as CCE ignores it.
    private struct Body: Decodable {
        var duration: Int?
        var expireAt: String?

        private enum CodingKeys: String, CodingKey {
            case duration
            case expireAt = "expire_at"
        }
    }

    /// Reads the body of a request to `operation`.
    ///
    /// - Throws: 400 `CCE.01400006` for a body not declared as JSON, 400 `CCE.01400001` for a
    ///   body that is not the expected object or asks for a validity out of range.
    init(operation: ClusterCertRoute.Operation, request: SimulatedRequest, now: Date) throws(APIError) {
        if operation == .deprecatedGet {
            self = .maximum
            return
        }
        guard let contentType = request.header("Content-Type"), contentType.lowercased().hasPrefix("application/json") else {
            throw .unsupportedContentType
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(request.body)) else {
            throw .invalidRequest
        }
        let longest = HuaweiTime.fiveYearsInDays(from: now)
        if operation == .create, let expireAt = body.expireAt {
            guard let date = HuaweiTime.expireAt(expireAt), date >= now + 15 * 60, date <= now + Double(longest) * 86_400 else {
                throw .invalidRequest
            }
            self = .until(date)
            return
        }
        switch body.duration {
        case -1: self = .maximum
        case let days? where (1...longest).contains(days): self = .days(days)
        default: throw .invalidRequest
        }
    }

    /// The certificate's `notAfter` for one issued at `notBefore`.
    func notAfter(from notBefore: Date) -> Date {
        switch self {
        case .days(let days): notBefore + Double(days) * 86_400
        case .maximum: notBefore + Double(HuaweiTime.fiveYearsInDays(from: notBefore)) * 86_400
        case .until(let date): date
        }
    }
}
