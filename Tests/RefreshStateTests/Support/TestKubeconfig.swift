import Foundation
import Kubeconfig

/// Kubeconfigs with managed clusters whose client certificates have the validity a test needs.
enum TestKubeconfig {
    /// One managed cluster: its watch name, its endpoints and its certificate (nil: no user entry).
    struct Cluster {
        var name: String
        var endpoints = ["internal", "external"]
        var validity: CertificateValidity?
    }

    /// The inventory of a kubeconfig holding `clusters`, parsed as `status` parses one.
    static func inventory(_ clusters: [Cluster]) throws -> ManagedInventory {
        ManagedInventory(try KubeconfigFile(bytes: Array(try text(clusters).utf8)))
    }

    static func text(_ clusters: [Cluster]) throws -> String {
        var clusterEntries = ""
        var userEntries = ""
        var contextEntries = ""
        for cluster in clusters {
            let mark = """
                    extensions:
                    - name: cce-kubeconfigd
                      extension:
                        watch-name: \(cluster.name)
                """
            for endpoint in cluster.endpoints {
                clusterEntries += """
                    - name: \(cluster.name)-\(endpoint)
                      cluster:
                        server: https://\(endpoint).\(cluster.name).example:5443
                    \(mark)

                    """
                contextEntries += """
                    - name: \(cluster.name)-\(endpoint)
                      context:
                        cluster: \(cluster.name)-\(endpoint)
                        user: \(cluster.name)
                    \(mark)

                    """
            }
            if let validity = cluster.validity {
                userEntries += """
                    - name: \(cluster.name)
                      user:
                        client-certificate-data: \(try certificateData(validity))
                    \(mark)

                    """
            }
        }
        func section(_ name: String, _ entries: String) -> String {
            entries.isEmpty ? "\(name): []\n" : "\(name):\n\(entries)"
        }
        return "apiVersion: v1\nkind: Config\n" + section("clusters", clusterEntries) + section("users", userEntries)
            + section("contexts", contextEntries)
    }

    /// Base64 of the PEM of a self-signed certificate valid exactly over `validity`.
    private static func certificateData(_ validity: CertificateValidity) throws -> String {
        let pem = try TestCertificates.selfSignedPEM(
            commonName: "cce-kubeconfigd status test",
            notBefore: validity.notBefore,
            notAfter: validity.notAfter
        )
        return Data(pem.utf8).base64EncodedString()
    }
}
