#!/usr/bin/env python3
"""Write the fuzz seed corpus: Tests/Fuzz/corpus/yaml/ and Tests/Fuzz/corpus/merge/.

    python3 Tests/Fuzz/make-seeds.py [CCE_KUBECONFIGD]

Seeds are starting points for libFuzzer and, committed, a regression suite that every
`swift test` replays (Tests/FuzzHarnessTests). They come from the committed fixtures (real
kubectl layouts, hand-written files, CCE answers good and bad) plus small YAML oddities
(anchors, tags, block scalars, flow style, BOM, deep nesting). With a cce-kubeconfigd binary,
three merge seeds start from a file that already holds managed entries, so removal and renewal
paths are fuzzed too. A merge seed is one options byte, the kubeconfig, NUL, the CCE answer
(see MergeInput in Sources/FuzzHarness). Rerunning rewrites the same files; the
reproducers of fixed bugs (null-in-flow-mapping, bare-document-start) are added by hand beside
them and left alone.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CORPUS = ROOT / "Tests" / "Fuzz" / "corpus"
KUBECONFIGS = ROOT / "Tests" / "Fixtures" / "kubeconfigs"
ANSWERS = {
    "eip": ROOT / "config" / "examples" / "cce-kubeconfig.json",
    "internal-only": ROOT / "config" / "examples" / "cce-kubeconfig-internal-only.json",
    "renewed": ROOT / "Tests" / "Fixtures" / "cce" / "renewed.json",
}
BAD_ANSWERS = sorted((ROOT / "Tests" / "Fixtures" / "cce" / "bad").glob("*.json"))

ODDITIES = {
    "empty": b"",
    "comment-only": b"# nothing here\n",
    "null-document": b"--- ~\n",
    "anchors-and-aliases": b"base: &b {server: 'https://127.0.0.1:6443'}\nclusters:\n- name: a\n  cluster: *b\n- &item\n  name: b\n  cluster: *b\n",
    "merge-key": b"defaults: &d {a: 1}\nthing:\n  <<: *d\n  b: 2\n",
    "tags": b"a: !!str 123\nb: !custom {x: 1}\nc: !!binary aGVsbG8=\nd: !<tag:yaml.org,2002:int> '7'\n",
    "block-scalars": b"literal: |\n  line one\n   line two\n\nfolded: >-\n  folded\n  text\nkeep: |+\n  kept\n\n",
    "flow-nesting": b"{a: [1, {b: [2, 3]}, \"c\"], 'd': {e: null, ? f : g}}\n",
    "quoting": b"a: 'it''s'\nb: \"tab\\tnew\\nline\\u00e9\"\nc: ''\nd: \"\"\ne: yes\nf: 0o17\ng: ~\n",
    "unicode": "name: caf\u00e9 \u6771\u4eac \U0001F600\n\u00e9: \u00e8\n".encode(),
    "bom": b"\xef\xbb\xbfapiVersion: v1\nkind: Config\n",
    "deep-flow": b"[" * 70 + b"]" * 70 + b"\n",
    "deep-block": b"".join(b"  " * i + b"k:\n" for i in range(70)),
    "duplicate-key": b"a: 1\nb: 2\na: 3\n",
    "multi-document": b"a: 1\n---\nb: 2\n",
    "undefined-alias": b"a: *nowhere\n",
    "complex-key": b"? [a, b]\n: value\n? {c: d}\n: other\n",
    "crlf": b"apiVersion: v1\r\nclusters: []\r\nkind: Config\r\n",
    "tab-indent": b"a:\n\tb: 1\n",
    "long-plain-multiline": b"key: this plain scalar\n  continues on\n\n  another line\n",
}


def write(directory: Path, name: str, data: bytes) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)


def managed(binary: str, base: bytes, name: str) -> bytes:
    """`base` with the eip answer imported as `name` by the real binary."""
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "config"
        path.write_bytes(base)
        subprocess.run([binary, "import", str(ANSWERS["eip"]), "--name", name, "--kubeconfig", str(path)],
                       check=True, stdout=subprocess.DEVNULL, env={**os.environ, "KUBECONFIG": ""})
        return path.read_bytes()


def main() -> None:
    fixtures = {p.stem: p.read_bytes() for p in sorted(KUBECONFIGS.glob("*.*"))}
    bad = {"bad-" + p.stem: p.read_bytes() for p in sorted((KUBECONFIGS / "bad").glob("*.*"))}

    yaml_dir = CORPUS / "yaml"
    for name, data in {**fixtures, **bad, **ODDITIES}.items():
        write(yaml_dir, name, data)
    for name, path in ANSWERS.items():
        write(yaml_dir, "answer-" + name, path.read_bytes())

    merge_dir = CORPUS / "merge"
    eip = ANSWERS["eip"].read_bytes()
    # A small kubectl-written file (7 kB) for the many variations: libFuzzer mutates short inputs faster.
    small = bad["bad-conflict-prod-internal"]
    # Options byte: bit 0 verified external TLS, bit 1 internal only, bit 2 prune others,
    # bits 3-4 the watch name (0 fuzz, 1 prod, 2 a, 3 a.b-1), bit 5 a namespace for new
    # contexts, bit 6 a proxy-url on the cluster entries.
    prod = 1 << 3
    seeds = {
        "kubectl-written-import": (0, fixtures["kubectl-written"], eip),
        "hand-written-import-verified": (1, fixtures["hand-written"], eip),
        "json-import-internal-only": (2, fixtures["kubeconfig"], eip),
        "empty-file-import": (0, b"", eip),
        "conflict-prod": (prod, bad["bad-conflict-prod-internal"], eip),
        "duplicate-names": (0, bad["bad-duplicate-names"], eip),
        "invalid-yaml": (0, bad["bad-invalid-yaml"], eip),
        "flow-file-import": (0, b"{apiVersion: v1, kind: Config, clusters: [], users: [], contexts: []}\n", eip),
        "minimal-block-import": (3 << 3, b"apiVersion: v1\nkind: Config\ncurrent-context: x\n", eip),
        "kubectl-written-import-namespace-proxy": (1 << 5 | 1 << 6, fixtures["kubectl-written"], eip),
    }
    for name, path in ANSWERS.items():
        seeds[f"answer-{name}"] = (0, small, path.read_bytes())
    for path in BAD_ANSWERS:
        seeds[f"bad-answer-{path.stem}"] = (0, small, path.read_bytes())
    if len(sys.argv) > 1:
        with_prod = managed(sys.argv[1], small, "fuzz")
        seeds["managed-renew"] = (0, with_prod, ANSWERS["renewed"].read_bytes())
        seeds["managed-renew-namespace-proxy"] = (1 << 5 | 1 << 6, with_prod, ANSWERS["renewed"].read_bytes())
        seeds["managed-pruned"] = (4 | 2 << 3, with_prod, eip)
        seeds["managed-internal-only"] = (2, with_prod, eip)
    for name, (flags, kubeconfig, answer) in seeds.items():
        write(merge_dir, name, bytes([flags]) + kubeconfig + b"\0" + answer)


if __name__ == "__main__":
    main()
