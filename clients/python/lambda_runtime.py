"""The functions as AWS runs them, on this machine: each bootstrap under AWS's Lambda Runtime
Interface Emulator (`aws-lambda-rie`), with API Gateway's part played by an httpx transport.

`ApiGateway` routes a request by `template.yaml`'s HttpApi events to the function that serves
it, hands that function the HTTP API (payload 2.0) event API Gateway would build, and turns
the Lambda's answer back into an HTTP response. So `MeetApi(..., transport=ApiGateway(...))`
drives the real Lambda runtime path with the same calls the end-to-end tests make.
"""

import base64
import json
import os
import re
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"


class _CloudFormation(yaml.SafeLoader):
    """YAML with CloudFormation's short tags (`!Ref`, `!Sub`, …), read as plain values."""


_CloudFormation.add_multi_constructor("!", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Route:
    function: str  # the binary, as in `Metadata.BuildProperties.Binary`
    method: str
    path: str  # with API Gateway's `{param}` placeholders

    @property
    def key(self):
        return f"{self.method} {self.path}"

    def match(self, method, path):
        """The path parameters when this route serves `method path`, else None."""
        if method != self.method:
            return None
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        found = re.fullmatch(pattern, path)
        return found.groupdict() if found else None


def functions():
    """Each function of the template, as {logical id: its resource}."""
    template = yaml.load(TEMPLATE.read_text(), Loader=_CloudFormation)
    return {name: r for name, r in template["Resources"].items() if r["Type"] == "AWS::Serverless::Function"}


def binaries():
    """Each function's binary, with the logical id `sam build` puts its bootstrap under."""
    return {r["Metadata"]["BuildProperties"]["Binary"]: name for name, r in functions().items()}


def routes():
    """Every HttpApi route of the template, with the function behind it."""
    found = []
    for resource in functions().values():
        binary = resource["Metadata"]["BuildProperties"]["Binary"]
        for event in (resource["Properties"].get("Events") or {}).values():
            if event["Type"] == "HttpApi":
                found.append(Route(binary, event["Properties"]["Method"].upper(), event["Properties"]["Path"]))
    return found


def create_table(name):
    """Creates, on the DynamoDB the environment points at, the table `template.yaml` deploys."""
    import boto3  # only here: the local DynamoDB's own dependency, not every user's

    template = yaml.load(TEMPLATE.read_text(), Loader=_CloudFormation)
    table = next(r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table")
    wanted = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode")
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    boto3.client("dynamodb", region_name=region).create_table(TableName=name, **{k: table[k] for k in wanted})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Emulator:
    """One function's bootstrap under the runtime interface emulator; started on first use,
    like a cold Lambda."""

    function: str
    bootstrap: Path
    log_path: Path
    env: dict
    process: subprocess.Popen | None = None
    port: int = 0
    log: object = None
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=60))

    def start(self):
        self.port = free_port()
        self.log = open(self.log_path, "w")
        rie = os.environ.get("AWS_LAMBDA_RIE", "aws-lambda-rie")
        self.process = subprocess.Popen(
            [rie, "--runtime-interface-emulator-address", f"127.0.0.1:{self.port}",
             "--runtime-api-address", f"127.0.0.1:{free_port()}", str(self.bootstrap)],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
            env=self.env | {"AWS_LAMBDA_FUNCTION_NAME": self.function, "AWS_LAMBDA_FUNCTION_TIMEOUT": "30",
                            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512"},
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the emulator for {self.function} did not start; see {self.log_path}")
                time.sleep(0.05)

    def invoke(self, event):
        if self.process is None:
            self.start()
        answer = self.http.post(f"http://127.0.0.1:{self.port}/2015-03-31/functions/function/invocations", json=event)
        answer.raise_for_status()
        return answer.json()

    def reports(self):
        """The emulator's `REPORT` lines so far, as {field: milliseconds}, one per request."""
        self.log.flush()
        found = []
        for line in self.log_path.read_text().splitlines():
            if line.startswith("REPORT RequestId:"):
                found.append({k.strip(): float(v.split()[0]) for k, v in re.findall(r"([A-Za-z ]+): ([\d.]+ ms)", line)})
        return found

    def init_ms(self):
        """How long the bootstrap's init took (from its start until it asked for its first
        event), from the emulator's `INIT REPORT` line; None before it started. (The `Init
        Duration` of its `REPORT` lines stays near zero: the emulator does not time it there.)"""
        self.log.flush()
        found = re.search(r"INIT REPORT\(durationMs: ([\d.]+)\)", self.log_path.read_text())
        return float(found.group(1)) if found else None

    def stop(self):
        if self.process is not None:
            # The emulator and the bootstrap it started, together (either may be gone already).
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
            self.log.close()
        self.http.close()


def http_api_event(request: httpx.Request, route: Route, path_parameters, source_ip):
    """The event API Gateway's HTTP API (payload format 2.0) hands a Lambda for `request`."""
    body = request.read()
    headers, cookies = {}, []
    for name, value in request.headers.multi_items():
        name = name.lower()
        if name == "cookie":
            cookies += [c.strip() for c in value.split(";") if c.strip()]
        else:
            headers[name] = f"{headers[name]},{value}" if name in headers else value
    headers["x-forwarded-for"] = source_ip
    headers["x-forwarded-proto"] = "https"
    query = request.url.query.decode()
    params = {}
    for name, value in request.url.params.multi_items():
        params[name] = f"{params[name]},{value}" if name in params else value
    try:
        text, encoded = body.decode(), False
    except UnicodeDecodeError:
        text, encoded = base64.b64encode(body).decode(), True
    now = time.time()
    event = {
        "version": "2.0",
        "routeKey": route.key,
        "rawPath": request.url.path,
        "rawQueryString": query,
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": request.url.host,
            "domainPrefix": request.url.host.split(".")[0],
            "http": {"method": request.method, "path": request.url.path, "protocol": "HTTP/1.1",
                     "sourceIp": source_ip, "userAgent": request.headers.get("user-agent", "")},
            "requestId": str(uuid.uuid4()),
            "routeKey": route.key,
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": encoded,
    }
    if cookies:
        event["cookies"] = cookies
    if params:
        event["queryStringParameters"] = params
    if path_parameters:
        event["pathParameters"] = path_parameters
    if body:
        event["body"] = text
    return event


class ApiGateway(httpx.BaseTransport):
    """An httpx transport that serves each request as API Gateway would: by the template's
    route, through that function's Lambda runtime. `served` counts the answers per route."""

    def __init__(self, bootstrap_dir, log_dir, env, source_ip="127.0.0.1"):
        self.routes = routes()
        self.source_ip = source_ip
        functions = sorted({r.function for r in self.routes})
        self.emulators = {
            f: Emulator(f, Path(bootstrap_dir) / f, Path(log_dir) / f"rie-{f}.log", env) for f in functions
        }
        self.served = {}

    def route_for(self, method, path):
        candidates = [(r, p) for r in self.routes if (p := r.match(method, path)) is not None]
        if not candidates:
            return None, None
        # API Gateway prefers the most specific route: the fewest parameters.
        return min(candidates, key=lambda c: len(c[1]))

    def handle_request(self, request):
        route, parameters = self.route_for(request.method, request.url.path)
        if route is None:
            return httpx.Response(404, json={"message": "Not Found"}, request=request)
        answer = self.emulators[route.function].invoke(http_api_event(request, route, parameters, self.source_ip))
        if "statusCode" not in answer:
            raise RuntimeError(f"{route.function} did not answer like an HTTP Lambda: {json.dumps(answer)[:300]}")
        body = answer.get("body") or ""
        content = base64.b64decode(body) if answer.get("isBase64Encoded") else body.encode()
        headers = list((answer.get("headers") or {}).items())
        headers += [("set-cookie", c) for c in answer.get("cookies") or []]
        self.served.setdefault(route.key, []).append(answer["statusCode"])
        return httpx.Response(answer["statusCode"], headers=headers, content=content, request=request)

    def close(self):
        for emulator in self.emulators.values():
            emulator.stop()
