#!/usr/bin/env python3
"""Regenerate every test fixture of cce-kubeconfigd.

    python3 Tests/Fixtures/generate.py

Deterministic: serials, names and dates are fixed, and the private keys are
created once and then read back from Tests/Fixtures/pki/ (RSA PKCS#1 v1.5
signatures are deterministic), so a rerun rewrites identical bytes. Delete
pki/*.key only if you want new key material.

Needs the `cryptography` package and /usr/bin/kubectl: the kubectl-written
fixtures are written by kubectl itself, and every "good" kubeconfig is checked
by `kubectl config view`, every "bad" one is checked to fail the way the README
says. All material is fake; nothing here connects anywhere (kubectl config
subcommands only edit files, and the IPs are data).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

FIXTURES = Path(__file__).resolve().parent
ROOT = FIXTURES.parent.parent
PKI = FIXTURES / "pki"
EXAMPLES = ROOT / "config" / "examples"
CCE = FIXTURES / "cce"
KUBE = FIXTURES / "kubeconfigs"
KUBECTL = os.environ.get("KUBECTL", "/usr/bin/kubectl")

INTERNAL_SERVER = "https://192.168.0.10:5443"  # CCE's VPC address: data only
EXTERNAL_SERVER = "https://203.0.113.10:5443"  # TEST-NET-3 stands in for the EIP


def utc(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, tzinfo=dt.timezone.utc)


# ---------------------------------------------------------------------------
# PKI: one cluster CA, the client certificate CCE hands out, and its renewal.


def load_or_create_key(name: str) -> rsa.RSAPrivateKey:
    """Keys are random, so create them once and keep them (committed)."""
    path = PKI / name
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return key
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    # PKCS#1 ("BEGIN RSA PRIVATE KEY"), the form CCE's client-key-data has.
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))
    return key


def key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def make_ca(key: rsa.RSAPrivateKey) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "cce-kubeconfigd fixtures"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "cce-fixture-cluster-ca")])
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    return (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name)
            .public_key(key.public_key())
            .serial_number(0x1001)
            .not_valid_before(utc(2025, 1, 1)).not_valid_after(utc(2045, 1, 1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(ski, critical=False)
            .sign(key, hashes.SHA256()))


def make_client(ca: x509.Certificate, ca_key: rsa.RSAPrivateKey, key: rsa.RSAPrivateKey,
                serial: int, not_before: dt.datetime, not_after: dt.datetime) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "system:masters"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "cce-user")])
    return (x509.CertificateBuilder()
            .subject_name(name).issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(serial)
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                         key_encipherment=True, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))


def build_pki() -> dict[str, bytes]:
    PKI.mkdir(parents=True, exist_ok=True)
    ca_key = load_or_create_key("ca.key")
    client_key = load_or_create_key("client.key")
    renewed_key = load_or_create_key("renewed-client.key")
    ca = make_ca(ca_key)
    client = make_client(ca, ca_key, client_key, 0x2001, utc(2026, 1, 1), utc(2036, 1, 1))
    renewed = make_client(ca, ca_key, renewed_key, 0x2002, utc(2026, 6, 1), utc(2036, 6, 1))
    pem = {
        "ca.crt": cert_pem(ca),
        "client.crt": cert_pem(client),
        "client.key": key_pem(client_key),
        "renewed-client.crt": cert_pem(renewed),
        "renewed-client.key": key_pem(renewed_key),
    }
    for name, data in pem.items():
        (PKI / name).write_bytes(data)
    return pem


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# ---------------------------------------------------------------------------
# CCE clustercert answers, in the shape CCE returns.


def cce_answer(pem: dict[str, bytes], *, external: bool = True, renewed: bool = False) -> dict:
    prefix = "renewed-client" if renewed else "client"
    clusters = [{"name": "internalCluster",
                 "cluster": {"server": INTERNAL_SERVER,
                             "certificate-authority-data": b64(pem["ca.crt"])}}]
    contexts = [{"name": "internal", "context": {"cluster": "internalCluster", "user": "user"}}]
    if external:
        # As CCE does: the EIP endpoint skips verification and has no CA data
        # (client-go refuses both together).
        clusters.append({"name": "externalCluster",
                         "cluster": {"server": EXTERNAL_SERVER, "insecure-skip-tls-verify": True}})
        contexts.append({"name": "external",
                         "context": {"cluster": "externalCluster", "user": "user"}})
    return {
        "kind": "Config",
        "apiVersion": "v1",
        "preferences": {},
        "clusters": clusters,
        "users": [{"name": "user",
                   "user": {"client-certificate-data": b64(pem[prefix + ".crt"]),
                            "client-key-data": b64(pem[prefix + ".key"])}}],
        "contexts": contexts,
        "current-context": "external" if external else "internal",
    }


def dump_json(obj: dict) -> str:
    return json.dumps(obj, indent=2) + "\n"


def write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def line_of(text: str, needle: str) -> int:
    """1-based line of the only line containing needle."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


def write_cce(pem: dict[str, bytes]) -> None:
    write(EXAMPLES / "cce-kubeconfig.json", dump_json(cce_answer(pem)))
    write(EXAMPLES / "cce-kubeconfig-internal-only.json", dump_json(cce_answer(pem, external=False)))
    write(CCE / "renewed.json", dump_json(cce_answer(pem, renewed=True)))

    bad = CCE / "bad"
    good = dump_json(cce_answer(pem))
    # A bare word where a string belongs: every JSON parser stops on that line.
    broken = good.replace('"current-context": "external"', '"current-context": external')
    write(bad / "invalid-json.json", broken)
    try:
        json.loads(broken)
        raise AssertionError("invalid-json.json parses")
    except json.JSONDecodeError as e:
        assert e.lineno == line_of(broken, '"current-context": external') == INVALID_JSON_LINE, e

    answer = cce_answer(pem)
    answer["users"] = []
    write(bad / "no-users.json", dump_json(answer))

    answer = cce_answer(pem)
    answer["users"][0]["user"]["client-certificate-data"] = "this is *not* base64!"
    write(bad / "bad-base64.json", dump_json(answer))

    answer = cce_answer(pem)
    answer["clusters"][0]["cluster"]["server"] = "http://192.168.0.10:5443"
    write(bad / "http-server.json", dump_json(answer))

    answer = cce_answer(pem)
    garbage = b"".join(hashlib.sha256(bytes([i])).digest() for i in range(8))  # 256 fixed bytes
    answer["users"][0]["user"]["client-certificate-data"] = b64(garbage)
    write(bad / "not-pem.json", dump_json(answer))

    answer = cce_answer(pem)
    answer["clusters"] = {c["name"]: c["cluster"] for c in answer["clusters"]}
    write(bad / "wrong-shape.json", dump_json(answer))


INVALID_JSON_LINE = 46  # asserted above; quoted in README.md


# ---------------------------------------------------------------------------
# kubectl-written.yaml: 30 clusters, 30 users, 35 contexts, all set by kubectl.


def kubectl(*args: str, kubeconfig: Path) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(kubeconfig.parent)}  # never the real ~/.kube
    out = subprocess.run([KUBECTL, *args, "--kubeconfig", str(kubeconfig)], env=env,
                         check=True, capture_output=True, text=True)
    return out.stdout


def kubectl_fails(path: Path) -> str:
    """kubectl's error for a file, or '' when it accepts the file."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(path.parent)}
    out = subprocess.run([KUBECTL, "config", "view", "--kubeconfig", str(path)], env=env,
                         capture_output=True, text=True)
    return "" if out.returncode == 0 else out.stderr.strip()


def counts(path: Path) -> tuple[int, int, int]:
    view = json.loads(kubectl("config", "view", "--raw", "-o", "json", kubeconfig=path))
    return len(view["clusters"] or []), len(view["users"] or []), len(view["contexts"] or [])


def write_kubectl_written() -> None:
    regions = ["ap-southeast-1", "ap-southeast-3", "cn-north-4", "eu-west-101", "la-south-2"]
    envs = ["dev", "staging", "prod", "dr", "ci", "sandbox"]
    ca, crt, key = PKI / "ca.crt", PKI / "client.crt", PKI / "client.key"
    rcrt, rkey = PKI / "renewed-client.crt", PKI / "renewed-client.key"

    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "config"
        n = 0
        for r, region in enumerate(regions):
            for e, env in enumerate(envs):
                name = f"{region}-{env}"
                ip = f"10.{r + 16}.{e}.{10 + n}"
                cluster = ["config", "set-cluster", name, f"--server=https://{ip}:6443"]
                if n % 7 == 3:
                    cluster.append("--insecure-skip-tls-verify=true")
                else:
                    cluster += [f"--certificate-authority={ca}", "--embed-certs=true"]
                if n % 5 == 1:
                    cluster.append(f"--tls-server-name=kubernetes.{name}.svc")
                if n % 9 == 4:
                    cluster.append("--proxy-url=socks5://127.0.0.1:1080")
                kubectl(*cluster, kubeconfig=cfg)

                user = f"{name}-admin"
                if n == 7:  # an exec plugin, like gke-gcloud-auth-plugin / aws eks get-token
                    creds = ["--exec-command=/usr/local/bin/fake-credential-helper",
                             "--exec-api-version=client.authentication.k8s.io/v1beta1",
                             "--exec-arg=token", f"--exec-arg=--cluster={name}",
                             "--exec-env=HELPER_PROFILE=ops", "--exec-interactive-mode=Never"]
                elif n == 13:
                    creds = ["--username=admin", "--password=not-a-real-password"]
                elif n % 3 == 2:
                    creds = [f"--token=token-abc{n:03d}.fake{n * 7919:010d}"]
                else:
                    c, k = (rcrt, rkey) if n % 2 else (crt, key)
                    creds = [f"--client-certificate={c}", f"--client-key={k}", "--embed-certs=true"]
                kubectl("config", "set-credentials", user, *creds, kubeconfig=cfg)

                ctx = ["config", "set-context", name, f"--cluster={name}", f"--user={user}"]
                if n % 4 == 0:
                    ctx.append(f"--namespace=team-{env}")
                kubectl(*ctx, kubeconfig=cfg)
                n += 1
        # Five extra contexts: a second view (namespace) onto existing clusters.
        for i, name in enumerate(["cn-north-4-prod", "cn-north-4-dev", "eu-west-101-prod",
                                  "ap-southeast-1-staging", "la-south-2-ci"]):
            kubectl("config", "set-context", f"{name}-monitoring", f"--cluster={name}",
                    f"--user={name}-admin", f"--namespace={['monitoring', 'kube-system'][i % 2]}",
                    kubeconfig=cfg)
        kubectl("config", "use-context", "cn-north-4-staging", kubeconfig=cfg)
        assert counts(cfg) == (30, 30, 35), counts(cfg)
        shutil.copyfile(cfg, KUBE / "kubectl-written.yaml")

    view = kubectl("config", "view", "--raw", "-o", "json", kubeconfig=KUBE / "kubectl-written.yaml")
    write(KUBE / "kubeconfig.json", view if view.endswith("\n") else view + "\n")


# ---------------------------------------------------------------------------
# hand-written.yaml: what a person who edits ~/.kube/config by hand ends up with.


def hand_written(pem: dict[str, bytes]) -> str:
    ca, crt, key = b64(pem["ca.crt"]), b64(pem["client.crt"]), b64(pem["client.key"])
    head = f"""\
# Kubeconfig of an operator who edits it by hand.
# cce-kubeconfigd fixture: every byte of this file must survive a merge
# (comments, blank lines, key order, quoting, indentation).

apiVersion: v1
kind: Config
current-context: "kind-kind"   # switched by hand
preferences: {{}}

clusters:
  # --- laptops -------------------------------------------------------------
  - name: minikube
    cluster:
      certificate-authority: /home/op/.minikube/ca.crt
      server: https://192.168.49.2:8443
      extensions:
        - name: cluster_info
          extension:
            last-update: Fri, 02 Jan 2026 10:00:00 UTC
            provider: minikube.sigs.k8s.io
            version: v1.34.0

  - name: kind-kind
    cluster:
      server: 'https://127.0.0.1:40123'
      certificate-authority-data: {ca}
  - name: "docker-desktop"
    cluster: {{server: "https://kubernetes.docker.internal:6443", insecure-skip-tls-verify: true}}

  # --- clouds --------------------------------------------------------------
  - name: gke_acme-prod_europe-west1_main
    cluster:
      server: https://198.51.100.15   # TEST-NET-2: a documentation address
      certificate-authority-data: {ca}
  - name: arn:aws:eks:eu-central-1:111122223333:cluster/payments
    cluster:
      certificate-authority-data: {ca}
      server: https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-central-1.eks.amazonaws.com
  - cluster:                    # kubectl's key order, for once
      server: https://aks-weu-prod-dns-1a2b3c4d.hcp.westeurope.azmk8s.io:443
      certificate-authority-data: {ca}
    name: aks-weu-prod

  # A CCE kubeconfig merged by hand, names left as CCE sends them.
  - name: internalCluster
    cluster:
      server: "https://192.168.1.7:5443"
      certificate-authority-data: {ca}
  - name: externalCluster
    cluster:
      server: "https://203.0.113.77:5443"
      insecure-skip-tls-verify: true
"""
    clusters, users, contexts = [], [], []
    for i in range(16):
        site = f"dc{i // 4 + 1}-rack{i % 4 + 1:02d}"
        server = f"https://10.{40 + i // 4}.{i % 4}.1:6443"
        if i % 5 == 0:
            clusters.append(f"\n  # {site}: rebuilt in 2025, see runbook\n")
        quoted = f'"{server}"' if i % 3 == 0 else (f"'{server}'" if i % 3 == 1 else server)
        tail = "  # primary" if i % 4 == 0 else ""
        data = ("      insecure-skip-tls-verify: true\n" if i % 6 == 5
                else f"      certificate-authority-data: {ca}\n")
        clusters.append(f"  - name: onprem-{site}\n    cluster:\n      server: {quoted}{tail}\n{data}")
        if i % 2 == 0:
            users.append(f"  - name: onprem-{site}-admin\n    user:\n"
                         f"      client-certificate-data: {crt}\n      client-key-data: {key}\n")
        else:
            users.append(f"  - name: 'onprem-{site}-ci'\n    user:\n"
                         f"      token: token-abc{i:02d}.fakefakefakefake   # rotated monthly\n")
        user = f"onprem-{site}-{'admin' if i % 2 == 0 else 'ci'}"
        ns = ("" if i % 3 else f"\n      namespace: 'team-{i}'")
        blank = "\n" if i % 4 == 3 else ""
        contexts.append(f"  - name: onprem-{site}\n    context:\n      cluster: onprem-{site}\n"
                        f"      user: {user}{ns}\n{blank}")

    users_text = f"""\

users:
  - name: minikube
    user:
      client-certificate: /home/op/.minikube/profiles/minikube/client.crt
      client-key: /home/op/.minikube/profiles/minikube/client.key
  - name: kind-kind
    user:
      client-certificate-data: {crt}
      client-key-data: {key}
  - name: docker-desktop
    user:
      client-certificate-data: {crt}
      client-key-data: {key}
  - name: gke_acme-prod_europe-west1_main
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1beta1
        command: gke-gcloud-auth-plugin
        installHint: Install gke-gcloud-auth-plugin for use with kubectl
        provideClusterInfo: true
        interactiveMode: IfAvailable
  - name: arn:aws:eks:eu-central-1:111122223333:cluster/payments
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1beta1
        command: aws
        args:
          - --region
          - eu-central-1
          - eks
          - get-token
          - --cluster-name
          - payments
        env:
          - name: AWS_PROFILE
            value: "payments-admin"
        interactiveMode: IfAvailable
  - name: clusterUser_weu-prod_aks-weu-prod
    user:
      username: admin                   # basic auth, legacy
      password: "not-a-real-password"
  # The CCE download, as is.
  - name: user
    user:
      client-certificate-data: {crt}
      client-key-data: {key}
""" + "".join(users)

    contexts_text = """\

contexts:
  - name: minikube
    context:
      cluster: minikube
      user: minikube
      namespace: default
      extensions:
        - name: context_info
          extension:
            last-update: Fri, 02 Jan 2026 10:00:00 UTC
            provider: minikube.sigs.k8s.io
            version: v1.34.0
  - name: kind-kind
    context: {cluster: kind-kind, user: kind-kind}
  - name: docker-desktop
    context:
      cluster: docker-desktop
      user: docker-desktop
  - name: gke_acme-prod_europe-west1_main
    context:
      cluster: gke_acme-prod_europe-west1_main
      user: gke_acme-prod_europe-west1_main
  - name: arn:aws:eks:eu-central-1:111122223333:cluster/payments
    context:
      cluster: arn:aws:eks:eu-central-1:111122223333:cluster/payments
      user: arn:aws:eks:eu-central-1:111122223333:cluster/payments
  - name: aks-weu-prod
    context:
      cluster: aks-weu-prod
      user: clusterUser_weu-prod_aks-weu-prod
      namespace: "payments"
  - name: internal    # CCE
    context:
      cluster: internalCluster
      user: user
  - name: external    # CCE, via EIP
    context:
      cluster: externalCluster
      user: user
""" + "".join(contexts)

    tail = """\

# Values YAML 1.1 would turn into booleans or numbers: quoted on purpose.
extensions:
  - name: acme.example/workstation
    extension:
      legacy-flag: "y"
      proxy: 'on'
      umask: "0o17"
      owner: platform-team
"""
    return head + "".join(clusters) + users_text + contexts_text + tail


# ---------------------------------------------------------------------------
# Bad kubeconfigs: every one must be refused (or, for the conflict, left alone).

INVALID_YAML = """\
apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://10.1.0.1:6443
  name: one
- cluster:
    server: https://10.1.0.2:6443
  name: two
   insecure-skip-tls-verify: true
contexts: []
users: []
"""
INVALID_YAML_LINE = 10  # the over-indented key

DUPLICATE_NAMES = """\
apiVersion: v1
clusters:
- cluster:
    server: https://10.2.0.1:6443
  name: shared
contexts:
- context:
    cluster: shared
    user: alice
  name: work
- context:
    cluster: shared
    namespace: other
    user: alice
  name: work
current-context: work
kind: Config
preferences: {}
users:
- name: alice
  user:
    token: token-abc-duplicate
"""

MULTI_DOCUMENT = """\
apiVersion: v1
clusters:
- cluster:
    server: https://10.3.0.1:6443
  name: first
contexts:
- context:
    cluster: first
    user: first
  name: first
current-context: first
kind: Config
preferences: {}
users:
- name: first
  user:
    token: token-abc-first
---
apiVersion: v1
clusters:
- cluster:
    server: https://10.3.0.2:6443
  name: second
contexts:
- context:
    cluster: second
    user: second
  name: second
current-context: second
kind: Config
preferences: {}
users:
- name: second
  user:
    token: token-abc-second
"""

NOT_A_MAPPING = """\
- apiVersion: v1
  kind: Config
  clusters: []
  contexts: []
  users: []
"""

INVALID_UTF8 = (b"apiVersion: v1\n"
                b"clusters:\n"
                b"- cluster:\n"
                b"    server: https://10.4.0.1:6443\n"
                b"  name: caf\xff\n"
                b"contexts: []\n"
                b"kind: Config\n"
                b"users: []\n")
INVALID_UTF8_LINE = 5


def write_conflict(pem: dict[str, bytes]) -> None:
    """Foreign `prod-internal` cluster and context (no extension), written by kubectl."""
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "config"
        for cluster, server in [("prod-internal", "https://10.9.0.1:6443"),
                                ("staging", "https://10.9.1.1:6443")]:
            kubectl("config", "set-cluster", cluster, f"--server={server}",
                    f"--certificate-authority={PKI / 'ca.crt'}", "--embed-certs=true", kubeconfig=cfg)
        kubectl("config", "set-credentials", "prod-admin", f"--client-certificate={PKI / 'client.crt'}",
                f"--client-key={PKI / 'client.key'}", "--embed-certs=true", kubeconfig=cfg)
        kubectl("config", "set-credentials", "staging-admin", "--token=token-abc-staging", kubeconfig=cfg)
        kubectl("config", "set-context", "prod-internal", "--cluster=prod-internal",
                "--user=prod-admin", kubeconfig=cfg)
        kubectl("config", "set-context", "staging", "--cluster=staging", "--user=staging-admin",
                "--namespace=web", kubeconfig=cfg)
        kubectl("config", "use-context", "staging", kubeconfig=cfg)
        shutil.copyfile(cfg, KUBE / "bad" / "conflict-prod-internal.yaml")


def write_kubeconfigs(pem: dict[str, bytes]) -> None:
    KUBE.mkdir(parents=True, exist_ok=True)
    write_kubectl_written()

    hand = KUBE / "hand-written.yaml"
    write(hand, hand_written(pem))
    err = kubectl_fails(hand)
    assert not err, err
    c = counts(hand)
    assert min(c) >= 20, c

    bad = KUBE / "bad"
    bad.mkdir(parents=True, exist_ok=True)
    write(bad / "invalid-yaml.yaml", INVALID_YAML)
    write(bad / "duplicate-names.yaml", DUPLICATE_NAMES)
    write(bad / "multi-document.yaml", MULTI_DOCUMENT)
    write(bad / "not-a-mapping.yaml", NOT_A_MAPPING)
    write(bad / "invalid-utf8.yaml", INVALID_UTF8)
    write_conflict(pem)

    # kubectl must refuse these; multi-document.yaml it silently reads as its
    # first document only (that is why we refuse it: we could not splice it).
    for name in ["invalid-yaml.yaml", "duplicate-names.yaml", "not-a-mapping.yaml",
                 "invalid-utf8.yaml"]:
        assert kubectl_fails(bad / name), f"kubectl accepts {name}"
    assert not kubectl_fails(bad / "multi-document.yaml")
    assert not kubectl_fails(bad / "conflict-prod-internal.yaml")
    check_libyaml_errors(bad)


def check_libyaml_errors(bad: Path) -> None:
    """The line numbers in README.md, as libyaml reports them (via PyYAML's C loader)."""
    try:
        import yaml
    except ImportError:
        print("PyYAML missing: libyaml error lines not re-checked", file=sys.stderr)
        return
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for name, line in [("invalid-yaml.yaml", INVALID_YAML_LINE),
                       ("invalid-utf8.yaml", INVALID_UTF8_LINE)]:
        data = (bad / name).read_bytes()
        try:
            yaml.load(data, Loader=loader)
            raise AssertionError(f"{name} parses")
        except yaml.reader.ReaderError as e:  # reader errors carry a byte offset, no line
            assert data[:e.position].count(b"\n") + 1 == line, (name, str(e))
        except yaml.MarkedYAMLError as e:  # libyaml marks are 0-based
            assert e.problem_mark is not None and e.problem_mark.line + 1 == line, (name, str(e))
    docs = list(yaml.load_all((bad / "multi-document.yaml").read_bytes(), Loader=loader))
    assert len(docs) == 2


def main() -> None:
    if not Path(KUBECTL).exists():
        sys.exit(f"{KUBECTL} not found: the kubectl-written fixtures need the real kubectl")
    pem = build_pki()
    write_cce(pem)
    write_kubeconfigs(pem)
    print("fixtures written under", FIXTURES.relative_to(ROOT), "and", EXAMPLES.relative_to(ROOT))


if __name__ == "__main__":
    main()
