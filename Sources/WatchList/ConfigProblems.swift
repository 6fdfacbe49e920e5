/// Everything wrong with a watch-list config: the error of a parse that did not succeed.
///
/// Validation goes on after the first problem, so that one run of `check-config` shows all of them.
package struct ConfigProblems: Error, Sendable, Hashable, CustomStringConvertible {
    /// The config file, as spelled by the caller, put in front of every line.
    package var path: String
    /// In source order; those without a place come first.
    package var problems: [ConfigProblem]

    package init(path: String, problems: [ConfigProblem]) {
        self.path = path
        self.problems = problems
    }

    /// One `path:line:column: message` line per problem.
    package var description: String {
        problems.map { $0.described(in: path) }.joined(separator: "\n")
    }
}
