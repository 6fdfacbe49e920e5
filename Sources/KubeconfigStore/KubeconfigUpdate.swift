import Kubeconfig

/// One planned change of the kubeconfig file, carried out the way kubectl's writers expect.
///
/// The plan is made against an unlocked read first, and its bytes are written to a synced
/// temporary file before the lock is taken, so that under the lock, when the file has not changed
/// in between, only a comparison and a rename remain: kubectl is kept waiting for milliseconds,
/// not for a parse of the whole file or for writing it. Whatever was read unlocked, the bytes
/// written are always planned against the bytes read under the lock. An unlocked read can catch
/// kubectl halfway through its in-place rewrite, so its failure only means planning under the lock.
package struct KubeconfigUpdate: Sendable {
    package var store: KubeconfigStore
    package var request: MergeRequest

    package init(store: KubeconfigStore, request: MergeRequest) {
        self.store = store
        self.request = request
    }

    /// What happened: the plan carried out (or that would be, for a dry run), and whether bytes were written.
    package struct Outcome: Sendable {
        package var plan: MergePlan
        package var wrote: Bool
    }

    /// Plans and, unless `dryRun`, writes. Conflicting clusters are in the plan, not thrown:
    /// the other clusters of the request are still written.
    package func run(dryRun: Bool) throws(KubeconfigUpdateError) -> Outcome {
        let unlockedRead: [UInt8]?
        do {
            unlockedRead = try store.read()
        } catch {
            throw .store(error)
        }
        if dryRun {
            return Outcome(plan: try plan(unlockedRead), wrote: false)
        }
        let early = try? plan(unlockedRead)
        var planned: MergePlan? = early
        let expected = early.flatMap { early in
            unlockedRead.flatMap { early.isEmpty ? nil : KubeconfigStore.ExpectedReplacement(basis: $0, replacement: early.result) }
        }
        let outcome: UpdateOutcome
        do {
            outcome = try store.update(expected: expected) { current in
                let plan = try early.flatMap { current == unlockedRead ? $0 : nil } ?? self.plan(current)
                planned = plan
                return plan.isEmpty ? nil : plan.result
            }
        } catch let error as KubeconfigUpdateError {
            throw error
        } catch let error as KubeconfigStoreError {
            throw .store(error)
        } catch {
            preconditionFailure("the update throws only its own and the store's errors: \(error)")
        }
        guard let planned else { preconditionFailure("the store runs the transform before returning") }
        if case .written = outcome { return Outcome(plan: planned, wrote: true) }
        return Outcome(plan: planned, wrote: false)
    }

    private func plan(_ bytes: [UInt8]?) throws(KubeconfigUpdateError) -> MergePlan {
        do throws(KubeconfigError) {
            let file = try KubeconfigFile(bytes: bytes ?? [])
            return try MergePlanner.plan(request, against: file)
        } catch {
            throw .kubeconfig(error, path: store.path)
        }
    }
}

extension KubeconfigStore {
    /// The file as it is now, parsed (empty when there is none yet), with an update's errors: a
    /// read that cannot happen, or content that does not parse, named with this path.
    package func readFile() throws(KubeconfigUpdateError) -> KubeconfigFile {
        let bytes: [UInt8]?
        do throws(KubeconfigStoreError) {
            bytes = try read()
        } catch {
            throw .store(error)
        }
        do throws(KubeconfigError) {
            return try KubeconfigFile(bytes: bytes ?? [])
        } catch {
            throw .kubeconfig(error, path: path)
        }
    }
}

/// Why an update of the kubeconfig did not happen.
package enum KubeconfigUpdateError: Error, Sendable, CustomStringConvertible {
    /// The file's content is refused (it does not parse, or the merge would be unsafe).
    case kubeconfig(KubeconfigError, path: String)
    /// The file could not be read, locked or written.
    case store(KubeconfigStoreError)

    /// One sentence naming the file and, where there is one, the line and column.
    package var description: String {
        switch self {
        case .kubeconfig(let error, let path): error.described(in: path)
        case .store(let error): error.description
        }
    }
}
