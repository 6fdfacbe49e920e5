import NIOHTTP1

/// One answer as the transport received it: the status, the headers and the body, read up to
/// ``CCEClient/maximumAnswerSize``.
struct HTTPAnswer: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var isSuccess: Bool {
        (200...299).contains(status)
    }
}
