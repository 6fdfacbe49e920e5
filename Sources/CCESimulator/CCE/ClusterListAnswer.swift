#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The body of a ListClusters answer, `{"kind":"Cluster","apiVersion":"v3","items":[...]}`, with
/// the fields of each item that a client can rely on, in the cloud's own shape.
///
/// Huawei Cloud writes `status.endpoints` as a list of `{url, type}` (`Internal`, `External`);
/// Open Telekom Cloud as one object `{internal, external}`, and its timestamps in Go's format.
struct ClusterListAnswer: Sendable {
    /// One listed cluster.
    struct Item: Sendable {
        var cluster: SimulatedCluster
        var phase: String
        var endpoints: APIServerEndpoints
        var createdAt: Date
    }

    var items: [Item]
    var cloud: SimulatorConfiguration.Cloud

    var document: JSONValue {
        ["kind": "Cluster", "apiVersion": "v3", "items": .array(items.map(item))]
    }

    /// The same content with `items` an object keyed by cluster name: valid JSON, wrong shape.
    var wrongShapeDocument: JSONValue {
        ["kind": "Cluster", "apiVersion": "v3", "items": .object(items.map { (key: $0.cluster.name, value: item($0)) })]
    }

    private func item(_ item: Item) -> JSONValue {
        let cluster = item.cluster
        let autopilot = cluster.type == .autopilot
        let timestamp = cloud == .otc ? HuaweiTime.goTimestamp(item.createdAt) : HuaweiTime.iamTimestamp(item.createdAt)
        // Real clusters carry this system label; a configured label of the same key wins.
        let labels = ["FeatureGates": "elbv3,"].merging(cluster.labels) { _, configured in configured }
        return [
            "kind": "Cluster",
            "apiVersion": "v3",
            "metadata": [
                "name": .string(cluster.name),
                "uid": .string(cluster.clusterID),
                "alias": .string(cluster.name),
                "creationTimestamp": .string(timestamp),
                "updateTimestamp": .string(timestamp),
                "labels": .object(labels.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSONValue.string($0.value)) }),
                "annotations": [:],
                "timezone": "Etc/UTC",
            ],
            "spec": .object(spec(cluster, autopilot: autopilot)),
            "status": ["phase": .string(item.phase), "endpoints": endpoints(item.endpoints)],
        ]
    }

    /// `spec` with the networks ClusterSpec requires (`hostNetwork`, `containerNetwork`) and, for
    /// Turbo and Autopilot clusters, `eniNetwork`: ids made from the cluster id, so they are stable.
    private func spec(_ cluster: SimulatedCluster, autopilot: Bool) -> [(key: String, value: JSONValue)] {
        let category = autopilot ? SimulatedCluster.Category.turbo : cluster.category
        let subnet = Self.uuid("subnet", cluster.clusterID)
        var spec: [(key: String, value: JSONValue)] = [
            ("category", .string(category.rawValue)),
            ("type", "VirtualMachine"),
            ("flavor", autopilot ? "cce.autopilot.cluster" : "cce.s1.small"),
            ("version", "v1.31"),
            ("platformVersion", "cce.10.0"),
            ("description", ""),
            ("hostNetwork", ["vpc": .string(Self.uuid("vpc", cluster.clusterID)), "subnet": .string(subnet)]),
        ]
        if category == .turbo {
            spec.append(("containerNetwork", ["mode": "eni"]))
            spec.append(
                (
                    "eniNetwork",
                    ["eniSubnetId": .string(subnet), "eniSubnetCIDR": "192.168.0.0/18", "subnets": [["subnetID": .string(subnet)]]]
                )
            )
        } else {
            spec.append(("containerNetwork", ["mode": "overlay_l2", "cidr": "172.16.0.0/16"]))
        }
        spec.append(("enableAutopilot", .bool(autopilot)))
        return spec
    }

    /// A UUID-shaped id (`8-4-4-4-12` lower-case hex) derived from a kind and a cluster id.
    private static func uuid(_ kind: String, _ clusterID: String) -> String {
        let hex = Array(IAMResponder.stableID(kind, clusterID))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(hex[$0]) }.joined(separator: "-")
    }

    private func endpoints(_ endpoints: APIServerEndpoints) -> JSONValue {
        switch cloud {
        case .huaweicloud:
            var list: [JSONValue] = [["url": .string(endpoints.internal.absoluteString), "type": "Internal"]]
            if let external = endpoints.external {
                list.append(["url": .string(external.absoluteString), "type": "External"])
            }
            return .array(list)
        case .otc:
            var object: [(key: String, value: JSONValue)] = [("internal", .string(endpoints.internal.absoluteString))]
            if let external = endpoints.external {
                object.append(("external", .string(external.absoluteString)))
            }
            return .object(object)
        }
    }
}
