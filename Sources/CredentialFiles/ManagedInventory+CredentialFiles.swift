import Kubeconfig

extension ManagedInventory {
    /// The inventory with the certificate dates of exec-mode clusters filled in from their
    /// credential files (their kubeconfig entries hold no certificate): what `list`, `status`
    /// and the renewal decisions read. A cluster without a usable pair keeps no dates (missing).
    package func addingExecCertificates(from store: CredentialStore) -> ManagedInventory {
        var inventory = self
        for index in inventory.clusters.indices where inventory.clusters[index].credentialMode == .exec {
            let validity = store.validity(of: inventory.clusters[index].watchName)
            inventory.clusters[index].clientCertificateNotBefore = validity?.notBefore
            inventory.clusters[index].clientCertificateNotAfter = validity?.notAfter
        }
        return inventory
    }
}
