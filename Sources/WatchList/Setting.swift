import YAML

/// One value read from the config: not given, given but wrong (and already reported), or usable.
///
/// Keeping "wrong" apart from "not given" stops one mistake from being reported twice: a
/// cluster with a misspelled `region` is not also told that its region is missing.
enum Setting<Value: Sendable>: Sendable {
    case absent
    case invalid
    case valid(Value, at: SourceLocation?)

    var value: Value? {
        if case .valid(let value, _) = self { return value }
        return nil
    }

    var location: SourceLocation? {
        if case .valid(_, let location) = self { return location }
        return nil
    }

    var isAbsent: Bool {
        if case .absent = self { return true }
        return false
    }

    var isInvalid: Bool {
        if case .invalid = self { return true }
        return false
    }

    /// This setting, or `fallback` when this one is not given at all.
    func or(_ fallback: Setting) -> Setting {
        isAbsent ? fallback : self
    }
}
