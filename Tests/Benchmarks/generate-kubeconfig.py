#!/usr/bin/env python3
"""Write a kubectl-style kubeconfig with N clusters, N users and N contexts.

    python3 Tests/Benchmarks/generate-kubeconfig.py 1000 /tmp/big.yaml   # about 5 MB
    python3 Tests/Benchmarks/generate-kubeconfig.py --cce bench /tmp/one.yaml

The second form writes the one small file that a person would merge by hand
with `KUBECONFIG=big:one kubectl config view --flatten`: one CCE cluster
renamed the way cce-kubeconfigd names it (clusters and contexts NAME-internal
and NAME-external, user NAME), with the same certificate data.

The output is byte for byte what kubectl itself writes for such entries
(lists sorted by name, zero-indented list items, base64 of the PEM files on
one line), so a benchmark measures the same work a real ~/.kube/config costs.
The certificate data is the real fixture PKI (Tests/Fixtures/pki), reused for
every entry: parsers and splicers see realistic lengths, and nothing needs a
crypto library. Pure string building: N=1000 takes milliseconds.
"""

import base64
import sys
from pathlib import Path

PKI = Path(__file__).resolve().parent.parent / "Fixtures" / "pki"


def b64(name: str) -> str:
    return base64.b64encode((PKI / name).read_bytes()).decode("ascii")


def kubeconfig(n: int) -> str:
    ca, crt, key = b64("ca.crt"), b64("client.crt"), b64("client.key")
    # Zero-padded names sort like kubectl sorts them (sort.Strings), so the
    # generation order is kubectl's order.
    width = max(4, len(str(n)))
    names = [f"{i:0{width}d}" for i in range(1, n + 1)]
    out = ["apiVersion: v1\nclusters:\n"]
    for i, s in enumerate(names):
        out.append(f"- cluster:\n    certificate-authority-data: {ca}\n"
                   f"    server: https://10.{i // 250 % 256}.{i % 250}.1:6443\n"
                   f"  name: cluster-{s}\n")
    out.append("contexts:\n")
    for i, s in enumerate(names):
        ns = f"    namespace: team-{i % 7}\n" if i % 3 == 0 else ""
        out.append(f"- context:\n    cluster: cluster-{s}\n{ns}    user: user-{s}\n"
                   f"  name: context-{s}\n")
    out.append(f"current-context: context-{names[0]}\n")
    out.append("kind: Config\npreferences: {}\nusers:\n")
    for s in names:
        out.append(f"- name: user-{s}\n  user:\n    client-certificate-data: {crt}\n"
                   f"    client-key-data: {key}\n")
    return "".join(out)


def cce_cluster(name: str) -> str:
    """One CCE cluster's entries in kubectl's layout, renamed for `name`; the addresses are
    data only (the external one is the documentation range, like the CCE example answer)."""
    ca, crt, key = b64("ca.crt"), b64("client.crt"), b64("client.key")
    return (f"apiVersion: v1\nclusters:\n"
            f"- cluster:\n    insecure-skip-tls-verify: true\n    server: https://203.0.113.10:5443\n"
            f"  name: {name}-external\n"
            f"- cluster:\n    certificate-authority-data: {ca}\n    server: https://192.168.0.10:5443\n"
            f"  name: {name}-internal\n"
            f"contexts:\n"
            f"- context:\n    cluster: {name}-external\n    user: {name}\n  name: {name}-external\n"
            f"- context:\n    cluster: {name}-internal\n    user: {name}\n  name: {name}-internal\n"
            f"current-context: {name}-external\nkind: Config\npreferences: {{}}\nusers:\n"
            f"- name: {name}\n  user:\n    client-certificate-data: {crt}\n    client-key-data: {key}\n")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--cce":
        Path(sys.argv[3]).write_text(cce_cluster(sys.argv[2]), encoding="ascii")
        return
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit("usage: generate-kubeconfig.py N OUT   (N >= 1)\n"
                 "       generate-kubeconfig.py --cce NAME OUT")
    Path(sys.argv[2]).write_text(kubeconfig(int(sys.argv[1])), encoding="ascii")


if __name__ == "__main__":
    main()
