import KubeconfigStore

/// The lines a person reads after `import` or `remove`.
enum KubeconfigReport {
    static func lines(_ outcome: KubeconfigUpdate.Outcome, path: String, dryRun: Bool) -> String {
        guard !outcome.plan.isEmpty else { return "\(path): already up to date, nothing written" }
        return outcome.plan.changes.map { change in
            dryRun ? "\(path): \(change.section) \"\(change.name)\" would be \(change.action.rawValue)" : "\(path): \(change)"
        }.joined(separator: "\n")
    }
}

extension KubeconfigUpdate {
    /// Runs the update, turning its failure into the command's one-sentence error.
    func runForCommand(dryRun: Bool) throws -> Outcome {
        do {
            return try run(dryRun: dryRun)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
