/// The body of IAM's password login, `POST /v3/auth/tokens`.
struct PasswordLogin: Decodable {
    struct Auth: Decodable {
        var identity: Identity
        var scope: Scope?
    }

    struct Identity: Decodable {
        var methods: [String]
        var password: Password?
    }

    struct Password: Decodable {
        var user: User
    }

    struct User: Decodable {
        var name: String
        var password: String
        var domain: Reference
    }

    /// `project` for project-level services such as CCE, `domain` for global ones.
    struct Scope: Decodable {
        var project: Reference?
        var domain: Reference?
    }

    /// A domain or project, named by id or by name.
    struct Reference: Decodable {
        var id: String?
        var name: String?
    }

    var auth: Auth
}
