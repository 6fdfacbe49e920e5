import Foundation
import Testing

/// `check-config` on the shipped example and on a broken watch list.
@Suite struct CheckConfigTests {
    @Test func shippedExampleConfigIsValidAndExplained() throws {
        try Workspace.with { workspace in
            let result = try workspace.cce(["check-config", "--config", Fixtures.path("config/config.yaml")])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(
                result.standardOutput.contains(
                    "cluster prod: cce cluster named \"prod\" in the project named cn-north-4 via https://cce.cn-north-4.myhuaweicloud.com"
                )
            )
            #expect(result.standardOutput.contains("cluster staging: cce cluster named \"staging\" in the project named cn-north-4_dev"))
            #expect(
                result.standardOutput.contains(
                    "discover: the CCE, Turbo clusters of ap-southeast-1, ap-southeast-3 named * but not *-scratch"
                )
            )
            #expect(result.standardOutput.contains("via https://cce.eu-west-101.myhuaweicloud.eu"))
            #expect(result.standardOutput.contains("refresh at least every 24h"))
        }
    }

    @Test func eachClustersEntriesAreNamedAsTheWriterNamesThem() throws {
        try Workspace.with { workspace in
            let config = workspace.directory.file("config.yaml")
            let text = """
                credentials:
                  default: {type: sdk}
                clusters:
                  - {name: prod, project_id: 0123456789abcdef0123456789abcdef, cluster_id: 4e7a9f1c-0000-11ee-8f3a-0255ac100b03, region: cn-north-4}
                  - {cluster: shop, region: cn-north-4, endpoints: [internal]}

                """
            try Data(text.utf8).write(to: URL(fileURLWithPath: config))
            let result = try workspace.cce(["check-config", "--config", config])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.contains("contexts prod-internal, prod-external and user prod"), "\(result.standardOutput)")
            #expect(result.standardOutput.contains("contexts shop-internal and user shop"), "\(result.standardOutput)")
        }
    }

    @Test func everyProblemIsReportedWithItsLineAndColumn() throws {
        try Workspace.with { workspace in
            let config = workspace.directory.file("config.yaml")
            try Data("credentials:\n  default: {type: sdk}\nclusters:\n  - name: Bad\n    projct_id: x\n".utf8).write(
                to: URL(fileURLWithPath: config)
            )
            let result = try workspace.cce(["check-config", "--config", config])
            #expect(result.status == 1)
            #expect(result.standardError.contains("\(config):4:11: cluster name \"Bad\" is not a valid watch name"))
            #expect(
                result.standardError.contains("\(config):5:5: unknown key \"projct_id\" in cluster \"Bad\"; did you mean \"project_id\"?")
            )
        }
    }

    @Test func missingConfigIsOneSentenceNamingTheFile() throws {
        try Workspace.with { workspace in
            let result = try workspace.cce(["check-config", "--config", workspace.directory.file("absent.yaml")])
            #expect(result.status == 1)
            #expect(result.standardError.hasPrefix("error: \(workspace.directory.file("absent.yaml")): cannot read the config"))
        }
    }
}
