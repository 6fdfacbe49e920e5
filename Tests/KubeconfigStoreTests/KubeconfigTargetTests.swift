import KubeconfigStore
import Testing

@Suite("Resolving the file to write, like kubectl")
struct KubeconfigTargetTests {
    private func resolve(
        explicit: String? = nil,
        kubeconfig: String?,
        home: String = "/home/op",
        holds: @escaping (String) -> Bool = { _ in false }
    ) -> String {
        let environment = kubeconfig.map { ["KUBECONFIG": $0] } ?? [:]
        return KubeconfigTarget.resolve(
            explicitPath: explicit,
            environment: environment,
            homeDirectory: home,
            holdsManagedEntries: holds
        ).path
    }

    @Test func withoutKubeconfigVariableTheHomeConfigIsUsed() {
        #expect(resolve(kubeconfig: nil) == "/home/op/.kube/config")
        #expect(resolve(kubeconfig: nil, home: "/home/op/") == "/home/op/.kube/config")
        #expect(resolve(kubeconfig: "") == "/home/op/.kube/config")
    }

    @Test func explicitPathWinsOverKubeconfigVariable() throws {
        try withTemporaryDirectory { directory in
            let existing = directory + "/a"
            try writeFile(existing, "")
            #expect(resolve(explicit: "/etc/kube.yaml", kubeconfig: existing) == "/etc/kube.yaml")
        }
    }

    @Test func explicitPathExpandsHome() {
        #expect(resolve(explicit: "~/clusters/cce.yaml", kubeconfig: nil) == "/home/op/clusters/cce.yaml")
    }

    @Test func singleEntryIsUsedEvenWhenMissing() {
        #expect(resolve(kubeconfig: "/nowhere/config") == "/nowhere/config")
    }

    @Test func severalEntriesPickTheFirstExistingFile() throws {
        try withTemporaryDirectory { directory in
            try writeFile(directory + "/b", "")
            try writeFile(directory + "/c", "")
            let list = [directory + "/a", directory + "/b", directory + "/c"].joined(separator: ":")
            #expect(resolve(kubeconfig: list) == directory + "/b")
        }
    }

    @Test func severalEntriesWithNoneExistingPickTheLast() throws {
        try withTemporaryDirectory { directory in
            let list = [directory + "/a", directory + "/b", directory + "/c"].joined(separator: ":")
            #expect(resolve(kubeconfig: list) == directory + "/c")
        }
    }

    @Test func existingFileHoldingManagedEntriesIsPreferred() throws {
        try withTemporaryDirectory { directory in
            let (a, b, c) = (directory + "/a", directory + "/b", directory + "/c")
            try writeFile(a, "")
            try writeFile(b, "")
            let list = [a, b, c].joined(separator: ":")
            #expect(resolve(kubeconfig: list, holds: { $0 == b }) == b)
            #expect(resolve(kubeconfig: list, holds: { $0 == c }) == a, "a missing file is never preferred")
        }
    }

    @Test func duplicateEntriesCountOnce() throws {
        try withTemporaryDirectory { directory in
            let (a, b) = (directory + "/a", directory + "/b")
            #expect(resolve(kubeconfig: "\(a):\(b):\(a)") == b, "last of [a, b], not the repeated a")
            #expect(resolve(kubeconfig: "\(a):\(a)") == a)
        }
    }

    @Test func emptyEntriesAreDropped() throws {
        #expect(resolve(kubeconfig: "::/only/config::") == "/only/config")
        #expect(resolve(kubeconfig: ":::") == "/home/op/.kube/config")
    }
}
