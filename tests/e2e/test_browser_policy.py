"""The web app's browser policy: the local server sends it, and nginx and CloudFront send the same."""

import os
import pathlib
import re

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
HEADERS = ["content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy", "permissions-policy"]


def directives(csp, livekit_ws):
    """A policy as {directive: sources}, with the LiveKit origin (in both its schemes) named."""
    livekit_http = livekit_ws.replace("ws", "http", 1)
    named = {livekit_ws.rstrip("/"): "LIVEKIT_WS", livekit_http.rstrip("/"): "LIVEKIT_HTTP"}
    parsed = {}
    for part in filter(None, (p.strip() for p in csp.split(";"))):
        name, *sources = part.split()
        parsed[name] = {named.get(s.rstrip("/"), s) for s in sources}
    return parsed


def local_server_headers(api, path):
    response = api.http.get(path)
    assert response.status_code == 200
    return {name: response.headers.get(name) for name in HEADERS}


def nginx_headers():
    text = (ROOT / "infra/nginx.conf").read_text()
    found = re.findall(r'^\s*add_header\s+([\w-]+)\s+("([^"]*)"|(\S+))\s+always;', text, re.M)
    return {name.lower(): quoted or bare for name, _, quoted, bare in found}


def cloudfront_headers(livekit_ws):
    def tag(loader, suffix, node):
        if isinstance(node, yaml.SequenceNode):
            return {suffix: loader.construct_sequence(node, deep=True)}
        if isinstance(node, yaml.MappingNode):
            return {suffix: loader.construct_mapping(node, deep=True)}
        return {suffix: loader.construct_scalar(node)}

    loader = type("CfnLoader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", tag)
    template = yaml.load((ROOT / "template.yaml").read_text(), Loader=loader)
    config = template["Resources"]["WebSecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    security = config["SecurityHeadersConfig"]
    csp_template, _variables = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Sub"]
    host = livekit_ws.split("://", 1)[1]
    headers = {
        "content-security-policy": csp_template.replace("${LiveKitUrl}", livekit_ws).replace("${LiveKitHost}", host),
        "x-content-type-options": "nosniff" if security["ContentTypeOptions"]["Override"] else None,
        "x-frame-options": security["FrameOptions"]["FrameOption"],
        "referrer-policy": security["ReferrerPolicy"]["ReferrerPolicy"],
    }
    for item in config["CustomHeadersConfig"]["Items"]:
        headers[item["Header"].lower()] = item["Value"]
    hsts = security["StrictTransportSecurity"]
    return headers, hsts


def comparable(headers, livekit_ws):
    return {**headers, "content-security-policy": directives(headers["content-security-policy"], livekit_ws)}


def test_the_local_server_sends_the_browser_policy_on_the_app_and_on_room_links(api):
    for path in ["/", "/r/abc-defg-hij"]:
        headers = local_server_headers(api, path)
        csp = directives(headers["content-security-policy"], os.environ["LIVEKIT_URL"])
        assert csp["frame-ancestors"] == {"'none'"}
        assert csp["script-src"] == {"'self'", "'wasm-unsafe-eval'"}, "no inline or foreign script, no eval"
        assert csp["connect-src"] == {"'self'", "LIVEKIT_WS", "LIVEKIT_HTTP"}
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert "camera=(self)" in headers["permissions-policy"] and "display-capture=(self)" in headers["permissions-policy"]


def test_nginx_and_cloudfront_send_the_same_policy_as_the_local_server(api):
    ours = comparable(local_server_headers(api, "/"), os.environ["LIVEKIT_URL"])
    assert comparable(nginx_headers(), "ws://localhost:7880") == ours
    cloudfront, hsts = cloudfront_headers("wss://media.example.com")
    assert comparable(cloudfront, "wss://media.example.com") == ours
    assert hsts["AccessControlMaxAgeSec"] >= 31536000 and hsts["IncludeSubdomains"], "HSTS in production"


def test_the_built_app_ships_no_source_maps():
    dist = ROOT / "web/dist"
    assert (dist / "index.html").exists(), "web/dist is built before the end-to-end tests"
    assert not list(dist.rglob("*.map"))
    for script in dist.rglob("*.js"):
        assert "sourceMappingURL" not in script.read_text(errors="replace"), script.name
