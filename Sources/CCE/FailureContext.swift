/// What turns a ``ServiceFailure`` into a ``CCEError``: the cluster and credential set it
/// happened for, and the secrets to keep out of the message.
struct FailureContext: Sendable {
    var cluster: String
    var credentialSet: String
    var redactor: SecretRedactor

    func error(_ failure: ServiceFailure, from service: CCEError.Service) -> CCEError {
        CCEError(
            failure.kind,
            cluster: cluster,
            credentialSet: credentialSet,
            service: service,
            requestID: failure.requestID.map(redactor.redact),
            serviceError: redactor.redact(failure.serviceError)
        )
    }
}
