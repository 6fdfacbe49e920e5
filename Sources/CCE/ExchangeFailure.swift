/// Why an exchange for temporary credentials failed: the failure, the service (or the local
/// step) it came from, and what was being obtained. Secrets of the exchange are already
/// removed from it.
///
/// Kept apart from ``CCEError`` because one exchange serves every cluster of its set, and each
/// of them reports the failure under its own name.
struct ExchangeFailure: Error, Sendable, Hashable {
    var failure: ServiceFailure
    var service: CCEError.Service
    var obtaining: String

    /// A problem on this machine, such as a credential process that failed.
    static func local(_ reason: String, obtaining: String) -> ExchangeFailure {
        ExchangeFailure(failure: ServiceFailure(.local(reason: reason)), service: .credentialProcess, obtaining: obtaining)
    }
}

extension FailureContext {
    func error(_ exchange: ExchangeFailure) -> CCEError {
        var error = error(exchange.failure, from: exchange.service)
        error.obtaining = exchange.obtaining
        return error
    }
}

extension FleetCall {
    func error(_ exchange: ExchangeFailure) -> FleetQueryError {
        var error = error(exchange.failure, from: exchange.service)
        error.obtaining = exchange.obtaining
        return error
    }
}
