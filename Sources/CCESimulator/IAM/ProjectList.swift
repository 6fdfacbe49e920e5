/// IAM's project lists: `GET /v3/projects` (optionally `?name=<project name>`), which the SDKs
/// call AK/SK signed to find a region's project, and `GET /v3/auth/projects`, the projects a
/// token's user may use.
///
/// Both answer `{"links": {...}, "projects": [...]}` with every project open to the caller's
/// account (its own and those no account owns), by name: a region's main project is named like the region, a sub-project `<region>_<name>`
/// and has the region's project as its parent.
struct ProjectList: Sendable {
    /// The two paths.
    enum Route: Sendable, Hashable {
        case projects
        case authProjects

        init?(path: Substring) {
            switch path {
            case "/v3/projects": self = .projects
            case "/v3/auth/projects": self = .authProjects
            default: return nil
            }
        }
    }

    let state: SimulatorState

    /// Checks the credentials (a signature needs no `X-Project-Id` at IAM) and answers.
    func respond(to request: SimulatedRequest, route: Route, requestID: String) -> SimulatedResponse {
        let principal: Principal
        do {
            principal = try state.authenticator.authenticate(request, now: state.now(), requiresProjectHeader: false)
        } catch {
            return error.apiError.response(requestID: requestID)
        }
        let base = "https://\(request.header("Host") ?? "127.0.0.1")"
        let wanted = route == .projects ? request.queryValue("name") : nil
        let projects = Self.projects(of: state, account: principal.account).filter { wanted == nil || $0.name == wanted }
        var links: [(key: String, value: JSONValue)] = [("self", .string(base + request.target))]
        if route == .projects {
            links += [("previous", .null), ("next", .null)]
        }
        return .json(
            .ok,
            ["links": .object(links), "projects": .array(projects.map { $0.document(base: base) })],
            headers: ["X-Request-Id": requestID]
        )
    }

    /// One project as IAM lists it.
    struct Project: Sendable {
        var id: String
        var name: String
        var domainID: String
        var parentID: String

        func document(base: String) -> JSONValue {
            [
                "id": .string(id), "name": .string(name), "domain_id": .string(domainID), "parent_id": .string(parentID),
                "enabled": true, "is_domain": false, "description": "",
                "links": ["self": .string("\(base)/v3/projects/\(id)")],
            ]
        }
    }

    /// Every project open to an account, by name, as the account's.
    static func projects(of state: SimulatorState, account: String) -> [Project] {
        let domainID = SimulatorConfiguration.accountID(of: account)
        let named = state.projectIDs.filter { state.configuration.project($0, isOpenTo: account) }
            .map { (id: $0, name: state.configuration.projectName($0)) }
        let byName = Dictionary(named.map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })
        return named.sorted { ($0.name, $0.id) < ($1.name, $1.id) }.map { project in
            let region = project.name.split(separator: "_", maxSplits: 1).first.map(String.init) ?? project.name
            let parent = region != project.name ? byName[region] : nil
            return Project(id: project.id, name: project.name, domainID: domainID, parentID: parent ?? domainID)
        }
    }
}
