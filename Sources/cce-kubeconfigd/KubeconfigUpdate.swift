import Kubeconfig
import KubeconfigStore

/// Runs one planned change against the kubeconfig file: written under kubectl's lock, always
/// against the bytes read under it; a dry run plans against an unlocked read and writes nothing.
struct KubeconfigUpdate {
    var store: KubeconfigStore
    var request: MergeRequest

    private var path: String { store.path }

    /// What happened: the plan that was carried out (or would be, for a dry run) and whether bytes were written.
    struct Outcome {
        var plan: MergePlan
        var wrote: Bool
    }

    /// Plans against an unlocked read first, so that under the lock, when the file has not
    /// changed in between, only a comparison and the write remain: kubectl is kept waiting for
    /// milliseconds, not for a parse of the whole file. An unlocked read can catch kubectl
    /// halfway through its in-place rewrite, so its failure only means planning under the lock.
    func run(dryRun: Bool) throws -> Outcome {
        let unlockedRead = try readOrFail(store)
        if dryRun {
            return Outcome(plan: try plan(unlockedRead), wrote: false)
        }
        let early = try? plan(unlockedRead)
        var planned: MergePlan?
        let outcome: UpdateOutcome
        do {
            outcome = try store.update { current in
                let plan = try early.flatMap { current == unlockedRead ? $0 : nil } ?? self.plan(current)
                planned = plan
                return plan.isEmpty ? nil : plan.result
            }
        } catch let error as KubeconfigStoreError {
            throw CommandFailure(error.description)
        }
        guard let planned else { preconditionFailure("the store runs the transform before returning") }
        if case .written = outcome { return Outcome(plan: planned, wrote: true) }
        return Outcome(plan: planned, wrote: false)
    }

    private func plan(_ bytes: [UInt8]?) throws -> MergePlan {
        do throws(KubeconfigError) {
            let file = try KubeconfigFile(bytes: bytes ?? [])
            return try MergePlanner.plan(request, against: file)
        } catch {
            throw CommandFailure(error.described(in: path))
        }
    }

    private func readOrFail(_ store: KubeconfigStore) throws -> [UInt8]? {
        do {
            return try store.read()
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// The lines a person reads after the change.
    static func report(_ outcome: Outcome, path: String, dryRun: Bool) -> String {
        guard !outcome.plan.isEmpty else { return "\(path): already up to date, nothing written" }
        let verb = dryRun ? "would be" : ""
        return outcome.plan.changes.map { change in
            dryRun ? "\(path): \(change.section) \"\(change.name)\" \(verb) \(change.action.rawValue)" : "\(path): \(change)"
        }.joined(separator: "\n")
    }
}
