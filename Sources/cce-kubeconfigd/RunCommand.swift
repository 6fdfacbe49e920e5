import ArgumentParser
import CredentialFiles
import Daemon
import Dispatch
import KubeconfigStore
import Logging
import RefreshState
import ServiceSupport
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `run`: the service. Keeps every watched cluster's certificate fresh until stopped.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the service: keep every watched cluster's certificate fresh in the kubeconfig.",
        discussion: """
            Meant for a systemd user unit (Type=notify). SIGHUP re-reads the config (an invalid one is \
            refused and the old one kept), SIGUSR1 renews every cluster now, SIGTERM and SIGINT stop \
            cleanly. Managed entries removed or changed by others (kubectl config delete-context, \
            kubectl's unlocked rewrites) are restored while the cluster stays in the watch list.
            """
    )

    @OptionGroup var config: ConfigOptions

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        JournalLogHandler.bootstrap(level: logLevel)
        let logger = Logger(label: "cce-kubeconfigd")
        let notifier = SystemdNotifier()
        let environment = ProcessInfo.processInfo.environment
        let home = HomeDirectory.current(environment: environment)
        let watchList = try config.load()
        // Taken before anything is fetched or written: a second service on the same state
        // directory would fetch every cluster twice, share one throttle budget and overwrite the
        // state file. While held, `credential` leaves renewals to this service.
        let stateDirectory = ExecCredentialSupport.stateDirectory(environment: environment)
        let presence = try Self.holdPresence(stateDirectory: stateDirectory, logger: logger)

        let path = KubeconfigOptions.target(explicitPath: watchList.kubeconfigPath, holdingAnyOf: Set(watchList.clusters.map(\.name))).path
        let service = try await ServiceWiring(
            watchList: watchList,
            kubeconfigPath: path,
            stateFile: StateFile(path: StateFile.defaultPath(environment: environment, homeDirectory: home)),
            credentialFiles: ExecCredentialSupport.credentialStore(environment: environment),
            environment: environment,
            homeDirectory: home,
            logger: logger,
            notifier: notifier,
            configPath: config.resolvedPath
        )
        let daemon = service.daemon
        logger.notice("starting", metadata: ["kubeconfig": "\(path)", "clusters": "\(watchList.clusters.count)"])

        let signals = SignalStream([SIGHUP, SIGUSR1, SIGTERM, SIGINT])
        daemon.start { _ = notifier.send(.ready) }
        // After the start, so that a request left from before finds its cluster watched.
        let renewalRequests = RenewalRequests(stateDirectory: stateDirectory)
        if presence != nil, !daemon.watchRenewalRequests(renewalRequests) {
            logger.warning(
                "cannot watch for renewals asked by the credential plugin",
                metadata: ["directory": "\(renewalRequests.directory)"]
            )
        }
        let watchdog = WatchdogSchedule.fromEnvironment().map { schedule in
            Self.startWatchdog(every: schedule.pingInterval, on: daemon.queue, notifier: notifier)
        }

        for await signal in signals.events {
            switch signal {
            case SIGHUP:
                _ = notifier.send(.reloading)
                do {
                    daemon.reload(try config.load())
                } catch {
                    daemon.refuseReload("\(error)")
                }
                _ = notifier.send(.ready)
            case SIGUSR1:
                daemon.renewAll()
            default:
                logger.notice("stopping")
                _ = notifier.send(.stopping)
                watchdog?.cancel()
                await service.stop()
                withExtendedLifetime(presence) {}
                return
            }
        }
    }

    /// The service's hold on the state directory. Another service holding it ends this one
    /// with one sentence naming that process. A lock that cannot be made at all (a read-only
    /// state directory) is only logged: the service then runs unmarked, and the plugin fetches
    /// for itself as with no service at all.
    private static func holdPresence(stateDirectory: String, logger: Logger) throws -> ServiceLease? {
        let presence = ServicePresence(stateDirectory: stateDirectory)
        do {
            try FileManager.default.createDirectory(
                atPath: stateDirectory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            if let lease = try presence.hold() { return lease }
        } catch {
            logger.warning("cannot mark the service as running for the credential plugin", metadata: ["error": "\(error)"])
            return nil
        }
        throw CommandFailure(Self.alreadyRunning(presence.holderProcessID, stateDirectory: stateDirectory))
    }

    /// "another service is running": which process, and the way to stop it that fits how it was started.
    static func alreadyRunning(_ processID: pid_t?, stateDirectory: String) -> String {
        guard let processID else {
            return
                "another cce-kubeconfigd service is already running on the state directory \(stateDirectory); stop it first (systemctl --user stop cce-kubeconfigd)"
        }
        let cgroup = (try? String(contentsOfFile: "/proc/\(processID)/cgroup", encoding: .utf8)) ?? ""
        let howToStop = cgroup.contains("/\(unitName)") ? "systemctl --user stop cce-kubeconfigd" : "kill \(processID)"
        return
            "another cce-kubeconfigd service (pid \(processID)) is already running on the state directory \(stateDirectory); stop it first (\(howToStop))"
    }

    /// The systemd user unit the packages and `make install` install.
    private static let unitName = "cce-kubeconfigd.service"

    /// Pings systemd's watchdog from the daemon's own queue: a ping then proves that queue is alive.
    private static func startWatchdog(every interval: Duration, on queue: DispatchQueue, notifier: SystemdNotifier) -> DispatchSourceTimer {
        let milliseconds = Int(interval.components.seconds * 1_000 + interval.components.attoseconds / 1_000_000_000_000_000)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now(), repeating: .milliseconds(max(milliseconds, 100)))
        timer.setEventHandler { _ = notifier.send(.watchdog) }
        timer.resume()
        return timer
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Signals as an async sequence. libdispatch installs its own handler and reads them from a
/// `signalfd`, so each signal has exactly one consumer: this stream.
final class SignalStream {
    let events: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    init(_ signals: [Int32]) {
        let (events, continuation) = AsyncStream<Int32>.makeStream()
        let queue = DispatchQueue(label: "cce-kubeconfigd.signals")
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        self.events = events
    }
}
