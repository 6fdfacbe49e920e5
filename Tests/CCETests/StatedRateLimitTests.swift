import Testing

@testable import CCE

/// The limit the gateway's throttle states in its body, which the pacer takes as the truth.
@Suite struct StatedRateLimitTests {
    func gateway(_ message: String?) -> ServiceErrorBody {
        ServiceErrorBody(family: .gateway, code: "APIGW.0308", message: message)
    }

    @Test func theUserPolicyOfTheGatewaysThrottleStatesCallsPerMinute() throws {
        let stated = try #require(
            gateway("The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 minute").statedRateLimit
        )
        #expect(stated.calls == 10)
        #expect(stated.window == .seconds(60))
    }

    @Test(arguments: [
        ("limit:5,time:30 second", 5, 30), ("policy api over ratelimit, limit: 200, time: 1 hour", 200, 3_600),
        ("LIMIT:3,TIME:2 minutes", 3, 120),
    ])
    func otherUnitsAndSpacingAreRead(message: String, calls: Int, seconds: Int64) {
        let stated = gateway(message).statedRateLimit
        #expect(stated?.calls == calls)
        #expect(stated?.window == .seconds(seconds))
    }

    @Test(arguments: ["The throttling threshold has been reached", "limit:0,time:1 minute", "limit:10,time:1 fortnight", "limit:10"])
    func aMessageThatStatesNoUsableLimitGivesNone(message: String) {
        #expect(gateway(message).statedRateLimit == nil)
    }

    @Test func onlyTheGatewaysBodiesStateALimit() {
        let cce = ServiceErrorBody(family: .cce, code: "CCE.01429002", message: "limit:10,time:1 minute")
        #expect(cce.statedRateLimit == nil)
    }
}
