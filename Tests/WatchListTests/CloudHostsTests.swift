import Foundation
import Testing
import WatchList

/// The host patterns of each cloud for CCE and IAM.
@Suite struct CloudHostsTests {
    @Test func huaweiCloudHostsAreTheSDKs() {
        #expect(Cloud.huaweicloud.cceEndpoint(forRegion: "cn-north-4")?.absoluteString == "https://cce.cn-north-4.myhuaweicloud.com")
        #expect(Cloud.huaweicloud.iamEndpoint(forRegion: "cn-north-4")?.absoluteString == "https://iam.cn-north-4.myhuaweicloud.com")
        #expect(Cloud.huaweicloud.cceEndpoint(forRegion: "eu-west-101")?.absoluteString == "https://cce.eu-west-101.myhuaweicloud.eu")
        #expect(Cloud.huaweicloud.iamEndpoint(forRegion: "eu-west-101")?.absoluteString == "https://iam.eu-west-101.myhuaweicloud.eu")
    }

    @Test func openTelekomCloudHostsAreUnderOTC() {
        #expect(Cloud.otc.cceEndpoint(forRegion: "eu-de")?.absoluteString == "https://cce.eu-de.otc.t-systems.com")
        #expect(Cloud.otc.iamEndpoint(forRegion: "eu-nl")?.absoluteString == "https://iam.eu-nl.otc.t-systems.com")
        #expect(Cloud.otc.iamEndpoint(forRegion: "eu-ch2")?.absoluteString == "https://iam-pub.eu-ch2.sc.otc.t-systems.com")
        #expect(Cloud.otc.cceEndpoint(forRegion: "eu-ch2")?.absoluteString == "https://cce.eu-ch2.sc.otc.t-systems.com")
    }

    @Test(arguments: Cloud.allCases)
    func theSDKVariableOverridesTheRegionsCCEEndpoint(cloud: Cloud) throws {
        let environment = ["HUAWEICLOUD_SDK_REGION_CCE_EU_DE": " https://127.0.0.1:8443 ,https://127.0.0.1:9443"]
        #expect(try cloud.cceEndpoint(forRegion: "eu-de", environment: environment)?.absoluteString == "https://127.0.0.1:8443")
        #expect(try cloud.cceEndpoint(forRegion: "eu-nl", environment: environment) == cloud.cceEndpoint(forRegion: "eu-nl"))
    }

    @Test func anUnacceptableSDKVariableIsAProblemNamingIt() {
        let environment = ["HUAWEICLOUD_SDK_REGION_CCE_EU_DE": "http://cce.example.com"]
        let problem = #expect(throws: ConfigProblem.self) { try Cloud.otc.cceEndpoint(forRegion: "eu-de", environment: environment) }
        #expect(
            problem?.message.hasPrefix("environment variable HUAWEICLOUD_SDK_REGION_CCE_EU_DE ") == true,
            "\(String(describing: problem))"
        )
    }

    @Test(arguments: Cloud.allCases)
    func aRegionThatIsNoHostLabelHasNoEndpoint(cloud: Cloud) {
        for region in ["", "EU-DE", "eu_de", "eu-de.evil.example", "eu--de"] {
            #expect(cloud.cceEndpoint(forRegion: region) == nil, "\(region)")
            #expect(cloud.iamEndpoint(forRegion: region) == nil, "\(region)")
        }
    }
}
