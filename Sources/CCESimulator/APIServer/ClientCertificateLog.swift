import Synchronization

/// The serial number of the client certificate each cluster's API servers last saw: which
/// certificate a client is using, as a test asks after a renewal.
final class ClientCertificateLog: Sendable {
    private let serials = Mutex<[String: String]>([:])

    func record(_ serial: String, forCluster clusterID: String) {
        serials.withLock { $0[clusterID] = serial }
    }

    func lastSerial(forCluster clusterID: String) -> String? {
        serials.withLock { $0[clusterID] }
    }
}
