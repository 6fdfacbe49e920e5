#!/usr/bin/env python3
"""Signs requests with Huawei Cloud's official Python SDK and writes sdk-vectors.json.

The vectors are the ground truth for the Swift RequestSigner: SignerTests re-signs every
request and must produce the SDK's canonical request, string to sign and Authorization
header byte for byte, and SignatureVerifier must accept the request exactly as the SDK
would send it.

Signing is local (no network). All keys are fake. To regenerate:

    python3 -m venv /tmp/hwsdk && /tmp/hwsdk/bin/pip install huaweicloudsdkcore
    /tmp/hwsdk/bin/python Tests/CCESigningTests/Vectors/generate_vectors.py

The SDK is driven the way its clients drive it: BasicCredentials.sign_request() adds
X-Project-Id and X-Security-Token, then huaweicloudsdkcore.signer.signer.Signer signs.
A preset X-Sdk-Date makes the output deterministic. The canonical request and the string
to sign are captured by wrapping Signer._process_string_to_sign, so they too are the
SDK's own, not a re-implementation's.
"""

import json
import pathlib
from importlib.metadata import version
from urllib.parse import quote

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

OUTPUT = pathlib.Path(__file__).resolve().parent / "sdk-vectors.json"

AK = "HPUAFAKEAK0EXAMPLE12"
SK = "FakeSecretKey0123456789abcdefghijklmnopqr"
PROJECT = "0123456789abcdef0123456789abcdef"
CLUSTER = "4e7a9f1c-0000-11ee-8f3a-0255ac100b03"
USER_AGENT = "huaweicloud-usdk-python/3.0"
JSON = "application/json"

VECTORS = [
    dict(
        name="post_json_body",
        description="The CCE cluster-cert call as the SDK sends it: JSON body with a space, User-Agent, project id.",
        method="POST",
        url_base="https://cce.cn-north-4.myhuaweicloud.com",
        path=f"/api/v3/projects/{PROJECT}/clusters/{CLUSTER}/clustercert",
        query=[],
        headers={"Content-Type": JSON, "User-Agent": USER_AGENT},
        body='{"duration": 30}',
        token=None,
        project=PROJECT,
        date="20240315T081530Z",
    ),
    dict(
        name="get_query_escaping_and_repeated_keys",
        description="Several parameters given unsorted: reserved characters to escape, a repeated key, "
        "a list value (one pair per element, sorted) and a boolean (rendered true).",
        method="GET",
        url_base="https://cce.ap-southeast-1.myhuaweicloud.com",
        path=f"/api/v3/projects/{PROJECT}/clusters",
        query=[
            ("type", "VirtualMachine"),
            ("name", "a b&c=d/e+f*g~h"),
            ("label", "team:b"),
            ("label", "team:a"),
            ("tag", ["zeta", "alpha", "Mid"]),
            ("detail", True),
            ("limit", 50),
        ],
        headers={"Content-Type": JSON, "User-Agent": USER_AGENT},
        body=None,
        token=None,
        project=PROJECT,
        date="20240315T081531Z",
    ),
    dict(
        name="temporary_credentials_security_token",
        description="Temporary AK/SK: X-Security-Token is added before signing and so is signed.",
        method="POST",
        url_base="https://cce.cn-north-4.myhuaweicloud.com",
        path=f"/api/v3/projects/{PROJECT}/clusters/{CLUSTER}/clustercert",
        query=[],
        headers={"Content-Type": JSON, "User-Agent": USER_AGENT},
        body='{"duration": -1}',
        token="gQpjbi1ub3J0aC00FAKE+SECURITY/TOKEN=" + "x" * 64,
        project=PROJECT,
        date="20240315T081532Z",
    ),
    dict(
        name="path_percent_escapes",
        description="Path segments with %20, %2B, UTF-8, an encoded slash (becomes a separator), "
        "sub-delimiters left raw, %7E (decodes to ~) and a trailing slash (not doubled).",
        method="GET",
        url_base="https://obs.cn-north-4.myhuaweicloud.com",
        path=f"/v1/{PROJECT}/objects/my%20file%2Bv2/caf%C3%A9/a%2Fb/x@y!z(1);v=2/%7Etilde/",
        query=[],
        headers={"Content-Type": JSON},
        body=None,
        token=None,
        project=PROJECT,
        date="20240315T081533Z",
    ),
    dict(
        name="delete_empty_body_without_content_type",
        description="Empty body hashes as the empty string; no Content-Type, so it is not signed.",
        method="DELETE",
        url_base="https://cce.cn-north-4.myhuaweicloud.com",
        path=f"/api/v3/projects/{PROJECT}/clusters/{CLUSTER}",
        query=[("delete_evs", "false")],
        headers={},
        body="",
        token=None,
        project=PROJECT,
        date="20240315T081534Z",
    ),
    dict(
        name="non_ascii_query",
        description="UTF-8 query names and values; the SDK sorts decoded code points, so é sorts after z "
        "although %C3%A9 would sort before it.",
        method="GET",
        url_base="https://iam.myhuaweicloud.com",
        path="/v3/projects",
        query=[("name", "北京四"), ("z", "last"), ("é", "accent key"), ("city", "München Süd")],
        headers={"Content-Type": JSON},
        body=None,
        token=None,
        project=None,
        date="20240315T081535Z",
    ),
    dict(
        name="loopback_port_http",
        description="Plain HTTP to a loopback simulator: Host keeps the port.",
        method="POST",
        url_base="http://127.0.0.1:18080",
        path=f"/api/v3/projects/{PROJECT}/clusters/{CLUSTER}/clustercert",
        query=[],
        headers={"Content-Type": JSON, "User-Agent": USER_AGENT},
        body='{"duration":1}',
        token=None,
        project=PROJECT,
        date="20240315T081536Z",
    ),
    dict(
        name="unsigned_payload_non_json",
        description="A non-JSON Content-Type makes the SDK add X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD, "
        "which replaces the body hash.",
        method="PUT",
        url_base="https://obs.cn-north-4.myhuaweicloud.com",
        path="/bucket/object.bin",
        query=[],
        headers={"Content-Type": "application/octet-stream"},
        body="raw bytes that are not JSON",
        token=None,
        project=PROJECT,
        date="20240315T081537Z",
    ),
    dict(
        name="header_trimming_underscore_and_explicit_host",
        description="Values are trimmed, names lower-cased, a name with _ is sent but not signed, "
        "an explicit Host header wins over the URL's, and a JSON Content-Type with parameters is hashed.",
        method="PATCH",
        url_base="https://cce.cn-north-4.myhuaweicloud.com",
        path=f"/api/v3/projects/{PROJECT}/clusters/{CLUSTER}",
        query=[],
        headers={
            "Content-Type": "application/json;charset=UTF-8",
            "X-Custom-Header": "  padded  value\t",
            "X_Not_Signed": "skipped",
            "x-lower-case": "Mixed Case Value",
            "Host": "cce.example.internal:8443",
        },
        body='{"spec": {"description": "renamed"}}',
        token=None,
        project=PROJECT,
        date="20240315T081538Z",
    ),
    dict(
        name="global_service_without_project",
        description="A global service call with no project id: no X-Project-Id header.",
        method="GET",
        url_base="https://iam.myhuaweicloud.com",
        path="/v3/auth/projects",
        query=[],
        headers={"Content-Type": JSON, "User-Agent": USER_AGENT},
        body=None,
        token=None,
        project=None,
        date="20240315T081539Z",
    ),
]


def flatten(query):
    """The (name, value) string pairs the SDK signs, in the order given."""
    pairs = []
    for name, value in query:
        if isinstance(value, list):
            pairs.extend((name, str(element)) for element in value)
        elif isinstance(value, bool):
            pairs.append((name, str(value).lower()))
        else:
            pairs.append((name, str(value)))
    return pairs


def client_url(vector, pairs):
    """The URL a caller would write: parameters unsorted, some reserved characters left raw."""
    url = vector["url_base"] + vector["path"]
    if pairs:
        url += "?" + "&".join(f"{quote(n, safe='')}={quote(v, safe='/:,@')}" for n, v in pairs)
    return url


def sign(vector, captured):
    credentials = BasicCredentials(AK, SK, vector["project"])
    if vector["token"] is not None:
        credentials = credentials.with_security_token(vector["token"])
    scheme, host = vector["url_base"].split("://", 1)
    headers = dict(vector["headers"])
    headers["X-Sdk-Date"] = vector["date"]
    request = SdkRequest(
        method=vector["method"],
        schema=scheme,
        host=host,
        resource_path=vector["path"],
        query_params=[(n, list(v) if isinstance(v, list) else v) for n, v in vector["query"]],
        header_params=headers,
        body=None if vector["body"] is None else vector["body"].encode(),
    )
    captured.clear()
    credentials.sign_request(request)
    (canonical_request, string_to_sign), = captured
    # The SDK re-encodes header values as ISO-8859-1 for http.client; undo that for JSON.
    sent = [[k, str(v).encode("iso-8859-1").decode("utf-8")] for k, v in request.header_params.items()]
    authorization = request.header_params["Authorization"]
    return {
        "canonical_request": canonical_request,
        "string_to_sign": string_to_sign,
        "authorization": authorization,
        "signed_headers": authorization.split("SignedHeaders=")[1].split(",")[0].split(";"),
        "headers": sent,
        "request_target": request.uri,
    }


def main():
    captured = []
    original = Signer._process_string_to_sign

    def recording(self, canonical_request, time):
        string_to_sign = original(self, canonical_request, time)
        captured.append((canonical_request, string_to_sign))
        return string_to_sign

    Signer._process_string_to_sign = recording

    out = []
    for vector in VECTORS:
        pairs = flatten(vector["query"])
        out.append(
            {
                "name": vector["name"],
                "description": vector["description"],
                "method": vector["method"],
                "url": client_url(vector, pairs),
                "host": vector["url_base"].split("://", 1)[1],
                "path": vector["path"],
                "query": [list(p) for p in pairs],
                "headers": [list(h) for h in vector["headers"].items()],
                "body": vector["body"] or "",
                "access_key": AK,
                "secret_key": SK,
                "security_token": vector["token"],
                "project_id": vector["project"],
                "sdk_date": vector["date"],
                "expected": sign(vector, captured),
            }
        )

    document = {
        "generator": "Tests/CCESigningTests/Vectors/generate_vectors.py",
        "sdk": f"huaweicloudsdkcore {version('huaweicloudsdkcore')}",
        "vectors": out,
    }
    OUTPUT.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(out)} vectors to {OUTPUT}")


if __name__ == "__main__":
    main()
