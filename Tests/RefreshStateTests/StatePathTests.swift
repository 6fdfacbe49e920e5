import RefreshState
import Testing

@Suite struct StatePathTests {
    @Test func xdgStateHomeIsUsedWhenSet() {
        #expect(
            StateFile.defaultPath(environment: ["XDG_STATE_HOME": "/var/lib/me/state"], homeDirectory: "/home/me")
                == "/var/lib/me/state/cce-kubeconfigd/state.json"
        )
    }

    @Test func withoutXDGStateHomeTheStateLivesUnderLocalState() {
        #expect(StateFile.defaultPath(environment: [:], homeDirectory: "/home/me") == "/home/me/.local/state/cce-kubeconfigd/state.json")
        #expect(StateFile.defaultPath(environment: [:], homeDirectory: "/home/me/") == "/home/me/.local/state/cce-kubeconfigd/state.json")
    }

    @Test(arguments: ["", "state", "./state"])
    func emptyOrRelativeXDGStateHomeIsIgnored(value: String) {
        #expect(
            StateFile.defaultPath(environment: ["XDG_STATE_HOME": value], homeDirectory: "/home/me")
                == "/home/me/.local/state/cce-kubeconfigd/state.json"
        )
    }
}
