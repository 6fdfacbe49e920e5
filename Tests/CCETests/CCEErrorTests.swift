import CCE
import Testing

/// One sentence per error, naming the cluster, the service, the status and the request id.
@Suite struct CCEErrorTests {
    private func error(
        _ kind: CCEError.Kind,
        service: CCEError.Service = .cce,
        requestID: String? = nil,
        serviceError: ServiceErrorBody? = nil
    ) -> String {
        CCEError(kind, cluster: "prod", credentialSet: "default", service: service, requestID: requestID, serviceError: serviceError)
            .description
    }

    @Test func authenticationFailureNamesClusterSetCodeAndRequestID() {
        let gateway = ServiceErrorBody(
            family: .gateway,
            code: "APIGW.0301",
            message: "Incorrect IAM authentication information: verify aksk signature fail"
        )
        #expect(
            error(.authentication, requestID: "4f1e9c", serviceError: gateway)
                == #"cluster "prod": CCE did not accept credential set "default" (HTTP 401; APIGW.0301: Incorrect IAM authentication information: verify aksk signature fail; request id 4f1e9c)."#
        )
    }

    @Test func iamLoginFailureSaysIAM() {
        #expect(
            error(.authentication, service: .iam)
                == #"cluster "prod": IAM refused the password login of credential set "default" (HTTP 401)."#
        )
    }

    @Test(arguments: [
        (CCEError.Kind.forbidden, #"cluster "prod": credential set "default" is not allowed to fetch the cluster certificate (HTTP 403)."#),
        (.notFound, #"cluster "prod": CCE knows no such cluster in this project and region (HTTP 404)."#),
        (.throttled(retryAfter: .seconds(30)), #"cluster "prod": CCE is throttling requests; retry after 30s (HTTP 429)."#),
        (.throttled(retryAfter: nil), #"cluster "prod": CCE is throttling requests; retry later (HTTP 429)."#),
        (.server(status: 503), #"cluster "prod": CCE failed (HTTP 503)."#),
        (.rejected(status: 400), #"cluster "prod": CCE rejected the request (HTTP 400)."#),
        (.network(reason: "connection refused"), #"cluster "prod": could not reach CCE: connection refused."#),
        (.timeout(.connect(.seconds(10))), #"cluster "prod": could not connect to CCE within 10s."#),
        (.timeout(.request(.milliseconds(250))), #"cluster "prod": CCE did not answer within 250ms."#),
        (.invalidResponse(reason: "users is empty"), #"cluster "prod": the answer of CCE was refused: users is empty."#),
        (
            .configuration(reason: "the CA file /x holds no PEM certificate"),
            #"cluster "prod": cannot call CCE: the CA file /x holds no PEM certificate."#
        ),
        (.cancelled, #"cluster "prod": the request to CCE was cancelled."#),
    ])
    func everyKindReadsAsOneSentence(kind: CCEError.Kind, text: String) {
        #expect(error(kind) == text)
    }
}
