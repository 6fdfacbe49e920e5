import Foundation
import Kubeconfig
import RefreshCore
import Renewal
import WatchList

/// A fixed instant every test counts from.
let t0 = Date(timeIntervalSince1970: 1_800_000_000)
let day: TimeInterval = 86_400

func seconds(_ value: Double) -> TimeInterval { value }
func minutes(_ value: Double) -> TimeInterval { value * 60 }

/// A watched cluster; its credential set is `main` unless said otherwise.
func cluster(_ name: String, credentials: String = "main") -> WatchedCluster {
    WatchedCluster(
        name: name,
        projectID: String(repeating: "0", count: 32),
        clusterID: "cluster-\(name)",
        region: "cn-north-4",
        options: ClusterOptions(credentials: credentials)
    )
}

/// A watch list of `clusters`, with an access-key set `main` and a token set `other`. Its
/// `max_refresh` is 30 days unless said otherwise, so that the 7-day certificates of these tests
/// follow the lifetime rule.
func watchList(_ clusters: [WatchedCluster], maxRefresh: Duration = .seconds(30 * 86_400)) -> WatchListConfig {
    WatchListConfig(
        credentials: [
            "main": .aksk(accessKey: .inline("AK"), secretKey: .inline("SK"), securityToken: nil),
            "other": .token(.inline("token")),
        ],
        clusters: clusters,
        maxRefresh: maxRefresh
    )
}

/// What a fetch of `name` gives: a certificate valid from `issued` for `lifetime`.
func fetched(_ name: String, issued: Date, lifetime: TimeInterval = 7 * day) -> ManagedCluster {
    ManagedCluster(
        owner: Ownership(watchName: name),
        entries: [:],
        clientCertificate: CertificateValidity(notBefore: issued, notAfter: issued + lifetime)
    )
}

/// When the renewal policy renews `certificate` of `name`: two thirds of its lifetime, less its
/// stable jitter of up to a twentieth.
func renewal(of name: String, _ certificate: CertificateValidity) -> Date {
    let lifetime = certificate.lifetime
    let jitter = RenewalPolicy.jitterFraction(cluster: name, certificate: certificate)
    return certificate.notBefore + lifetime * 2 / 3 - lifetime / 20 * jitter
}

/// The machine with a hand-moved clock; every event is handled at ``now``.
struct Driver {
    var machine: RefreshMachine
    var now: Date

    init(_ config: WatchListConfig, mode: RefreshMachine.Mode = .service, at now: Date = t0, jitter: Double = 0.5) {
        machine = RefreshMachine(config: config, mode: mode, randomFraction: { jitter })
        self.now = now
    }

    /// Handles `event` at ``now``; the actions without logs and publications.
    @discardableResult
    mutating func send(_ event: RefreshEvent) -> [RefreshAction] {
        machine.handle(event, at: now).filter { action in
            switch action {
            case .log, .publish: false
            default: true
            }
        }
    }

    /// Handles `event` at ``now``; every action.
    mutating func sendKeepingAll(_ event: RefreshEvent) -> [RefreshAction] {
        machine.handle(event, at: now)
    }

    @discardableResult
    mutating func start(_ entries: [String: ManagedCluster] = [:], persisted: [String: ClusterState] = [:]) -> [RefreshAction] {
        send(.started(KubeconfigContents(entries: entries), persisted: persisted, clocks: nil))
    }

    mutating func advance(by interval: TimeInterval) {
        now += interval
    }

    mutating func advance(to date: Date) {
        now = date
    }

    func state(_ name: String) -> ClusterState? {
        machine.record(name)?.state
    }
}

extension RefreshAction {
    var logRecord: LogRecord? {
        if case .log(let record) = self { record } else { nil }
    }
}
