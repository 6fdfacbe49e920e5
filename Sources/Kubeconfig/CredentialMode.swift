/// Where a watched cluster's client certificate and key live.
package enum CredentialMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// In the kubeconfig's user entry (`client-certificate-data`, `client-key-data`), as CCE hands them out.
    case embed
    /// In private files of their own; the user entry runs `cce-kubeconfigd credential N`, an
    /// exec plugin, so the kubeconfig holds no key and does not change at a renewal.
    case exec
}
