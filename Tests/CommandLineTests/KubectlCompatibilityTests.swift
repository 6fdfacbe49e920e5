import Testing

/// kubectl loads every file cce-kubeconfigd writes, whatever the file looked like before.
@Suite(.enabled(if: Programs.hasKubectl))
struct KubectlCompatibilityTests {
    /// What the kubeconfig is before the import.
    enum StartingFile: String, CaseIterable, Sendable {
        case kubectlWritten, handWritten, json, missing

        var fixture: String? {
            switch self {
            case .kubectlWritten: Fixtures.kubectlWritten
            case .handWritten: Fixtures.handWritten
            case .json: Fixtures.jsonKubeconfig
            case .missing: nil
            }
        }
    }

    /// Imports `prod` into the starting file and returns the kubeconfig's path.
    private func importProd(into start: StartingFile, in workspace: Workspace) throws -> String {
        let path = workspace.kubeconfig
        if let fixture = start.fixture {
            try workspace.directory.copy(fixture: fixture, to: "config")
        }
        try workspace.importAnswer(name: "prod", into: path).requireSuccess()
        return path
    }

    @Test(arguments: StartingFile.allCases)
    func kubectlLoadsTheFileAndListsEachImportedContextOnce(start: StartingFile) throws {
        try Workspace.with { workspace in
            let path = try importProd(into: start, in: workspace)

            let view = try workspace.kubectl("config", "view", "--kubeconfig", path)
            let contexts = try workspace.kubectl("config", "get-contexts", "-o", "name", "--kubeconfig", path)

            #expect(view.status == 0, "kubectl config view failed: \(view.standardError)")
            #expect(contexts.status == 0, "kubectl config get-contexts failed: \(contexts.standardError)")
            let names = contexts.standardOutput.split(separator: "\n").map(String.init)
            #expect(names.filter { $0 == "prod-internal" }.count == 1)
            #expect(names.filter { $0 == "prod-external" }.count == 1)
            #expect(Set(names).count == names.count)
        }
    }

    @Test(arguments: StartingFile.allCases)
    func kubectlSwitchesToAnImportedContext(start: StartingFile) throws {
        try Workspace.with { workspace in
            let path = try importProd(into: start, in: workspace)

            let switched = try workspace.kubectl("--kubeconfig", path, "config", "use-context", "prod-internal")
            let current = try workspace.kubectl("--kubeconfig", path, "config", "current-context")

            #expect(switched.status == 0, "kubectl config use-context failed: \(switched.standardError)")
            #expect(current.standardOutput == "prod-internal\n")
        }
    }
}
