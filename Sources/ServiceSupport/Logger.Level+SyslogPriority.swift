import Logging

extension Logger.Level {
    /// The syslog priority journald records for a line prefixed `<N>` (sd-daemon(3)'s `SD_DEBUG`
    /// 7 … `SD_CRIT` 2); syslog has no level below debug, so trace shares 7.
    var syslogPriority: Int {
        switch self {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
