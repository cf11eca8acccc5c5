"""Renders bench/results/*.json as tables on the terminal and as docs/capacity.md.

Every figure comes from the result files of the run; the only typed numbers are the cloud
prices and sizing assumptions in ASSUMPTIONS, which the document states as such. When
bench/baseline/load.json exists (a committed earlier run), the endpoint table shows it as
"before" beside this run.
"""

import datetime
import json
import math
import os
import platform
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BASELINE = ROOT / "bench" / "baseline" / "load.json"
DOC = ROOT / "docs" / "capacity.md"

# Prices: AWS us-east-1 list prices for arm64 Lambda, HTTP APIs and DynamoDB on-demand.
ASSUMPTIONS = {
    "lambda_gb_second_usd": 0.0000133334,
    "lambda_request_usd": 0.20 / 1e6,
    "http_api_request_usd": 1.00 / 1e6,
    "lambda_memory_gb": 0.25,  # MemorySize in template.yaml
    "dynamodb_write_unit_usd": 0.625 / 1e6,
    "dynamodb_read_unit_usd": 0.125 / 1e6,
    # LiveKit sizing: meetings of this size, each participant publishing camera and microphone
    # and subscribing to everyone else; nodes of this many vCPUs run to this share of their CPU.
    "meeting_size": 8,
    "livekit_node_vcpus": 16,
    "livekit_node_target_utilisation": 0.7,
    # DynamoDB's documented ceilings per partition (and so per item), per second.
    "dynamodb_partition_read_units": 3000,
    "dynamodb_partition_write_units": 1000,
    # How long DynamoDB holds an item for one TransactWriteItems: not documented; a typical
    # in-region transaction latency stands in for it.
    "dynamodb_transaction_ms": 25,
}


# The API calls the cost tables price, in the order they show them.
API_CALLS = ["create-room", "join", "token", "send-chat", "list-chat"]


def load(name):
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def command_output(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def machine():
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    mem_kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
    database = os.environ.get("DATABASE_URL", "")
    pg = command_output("psql", "-X", "-At", database, "-c", "SELECT current_setting('server_version') || ', fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')")
    redis_port = re.search(r":(\d+)", os.environ.get("REDIS_URL", ":6379")).group(1)
    redis = re.search(r"redis_version:(\S+)", command_output("redis-cli", "-p", redis_port, "INFO", "server"))
    return [
        ("CPU", f"{cpu.group(1) if cpu else platform.processor()}, {os.cpu_count()} cores"),
        ("Memory", f"{mem_kb / 1024 / 1024:.1f} GiB"),
        ("Kernel", platform.release()),
        ("PostgreSQL", pg),
        ("Redis", redis.group(1) if redis else "unknown"),
        ("LiveKit server", command_output(str(Path.home() / ".cache/meet-tools/bin/livekit-server"), "--version")),
        ("Load generator", command_output(os.environ.get("OHA", "oha"), "--version")),
        ("Node (peer)", command_output("node", "--version")),
    ]


def fmt_rps(r):
    return f"{r['rps']['median']:,.0f} ({r['rps']['min']:,.0f}–{r['rps']['max']:,.0f})"


def fmt_status(r):
    parts = [f"{code}: {n:,}" for code, n in sorted(r["status"].items())]
    parts += [f"{error}: {n:,}" for error, n in sorted(r["errors"].items())]
    return ", ".join(parts) or "–"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def best(levels):
    """The level with the highest median rate: (concurrency, result)."""
    return max(levels.items(), key=lambda item: item[1]["rps"]["median"])


def endpoint_section(data, baseline):
    rows = []
    for name, levels in data["endpoints"].items():
        for c, r in levels.items():
            before = baseline and baseline["endpoints"].get(name, {}).get(c)
            row = [name, c, fmt_rps(r)]
            if baseline is not None:
                row.append(f"{before['rps']['median']:,.0f}" if before else "–")
            row += [f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}", f"{r['p99_ms']['median']:.1f} ({r['p99_ms']['min']:.1f}–{r['p99_ms']['max']:.1f})"]
            if baseline is not None:
                row.append(f"{before['p99_ms']['median']:.1f}" if before else "–")
            row += [fmt_status(r), f"{r['server_cpu_percent']:.0f}", f"{r['server_peak_rss_mb']:.0f}", r["bottleneck"]]
            rows.append(row)
    header = ["endpoint", "clients", "req/s median (min–max)"]
    if baseline is not None:
        header.append("req/s before")
    header += ["p50 ms", "p95 ms", "p99 ms (min–max)"]
    if baseline is not None:
        header.append("p99 before")
    header += ["answers", "server CPU %", "server peak MB", "first bottleneck"]
    return table(header, rows)


def limits_section(data):
    rows = []
    for name, levels in data["limits"].items():
        for c, r in levels.items():
            if r.get("mean_only"):
                latency = [f"{r['p50_ms']:.2f} (mean)", "–"]
            else:
                latency = [f"{r['p50_ms']:.2f}", f"{r['p99_ms']['median']:.2f}"]
            rows.append([name, c, fmt_rps(r), *latency, fmt_status(r), r["bottleneck"]])
    return table(["operation", "clients", "op/s median (min–max)", "p50 ms", "p99 ms", "failures", "first bottleneck"], rows)


def ratios(data):
    """(what, ours, limit, ratio, aim) for the headline comparisons."""
    e, lim = data["endpoints"], data["limits"]
    top = lambda levels: best(levels)[1]["rps"]["median"]  # noqa: E731
    out = [
        ("join / pgbench join SQL", top(e["join"]), top(lim["pgbench join SQL"]), 0.5),
        ("send-chat / Redis chat append", top(e["send-chat"]), top(lim["redis chat append"]), 0.5),
        ("send-chat / LiveKit SendData", top(e["send-chat"]), top(lim["livekit SendData"]), 0.5),
        ("token / static 200", top(e["token"]), top(e["static 200"]), 0.5),
        ("list-chat / static 200", top(e["list-chat"]), top(e["static 200"]), 0.5),
        ("token / Node peer token", top(e["token"]), top(e["node peer token"]), 3.0),
    ]
    return [(what, ours, limit, ours / limit, aim) for what, ours, limit, aim in out]


def before_after(data, baseline):
    """Each endpoint's best rate and its p99 there, in the baseline run and in this one."""
    if baseline is None:
        return []
    rows = []
    for name, levels in data["endpoints"].items():
        if name not in baseline["endpoints"] or name in ("static 200", "node peer token"):
            continue
        (c_before, before), (c_after, after) = best(baseline["endpoints"][name]), best(levels)
        cpu_us = lambda r: r["server_cpu_percent"] / 100 / r["rps"]["median"] * 1e6  # noqa: E731
        rows.append([name, f"{before['rps']['median']:,.0f} at {c_before}", f"{after['rps']['median']:,.0f} at {c_after}",
                     f"{after['rps']['median'] / before['rps']['median']:.2f}×",
                     f"{before['p99_ms']['median']:.1f}", f"{after['p99_ms']['median']:.1f}",
                     f"{cpu_us(before):.0f} → {cpu_us(after):.0f}"])
    return [
        "Before and after the fixes below: the best rate of each endpoint in the baseline run "
        "(`bench/baseline/load.json`) and in this one, with the p99 and the server's CPU time per request at that "
        "level. Both runs are on this machine; endpoints whose code did not change show how much two runs differ "
        "by themselves.",
        "",
        table(["endpoint", "before req/s (clients)", "after req/s (clients)", "after / before", "p99 ms before", "p99 ms after",
               "server CPU µs per request"], rows),
        "",
    ]


FIXES = """## What the measurements call for

Found in these tables and in `perf` profiles of the server under the same load, and what was done:

1. **list-chat spent most of its CPU reading Redis's reply.** A page of 50 messages came back as five values
   per message (identity, name, text, client id and the id), each parsed by the Redis client and copied, then
   rebuilt into a map per message. A message is now stored as one JSON field, so a page parses one value per
   message and answers without an intermediate JSON tree. Older entries are still read until their TTL ends.
2. **send-chat read PostgreSQL once more per message** to learn whether anyone was connected before fanning
   out through LiveKit. The sender's own session already says whether they are connected, which in a meeting
   they are, so that read now happens only for senders who are not.
3. **send-chat is bound by LiveKit's SendData**, one HTTP call per message; the chat write in Redis is far
   from its limit. Batching messages per room would raise the ceiling but delay delivery; left as it is,
   since the measured delivery latency is what users feel.
4. **token will not reach three times the Node peer.** The peer mints a token for anyone; ours reads the
   caller's session in PostgreSQL (to refuse a kicked or banned participant) and most of its time is in the
   kernel moving that request and that query between processes. Caching sessions would make a kick slower
   to take effect; not done.
5. **PostgreSQL's join throughput falls with many connections** (pgbench at 64 and 256 clients): each is a
   backend process, and on two cores they mostly wait for each other. The server's small pool
   (`DATABASE_MAX_CONNECTIONS`, 10) keeps PostgreSQL in its fast range however many requests wait; on Lambda,
   where every sandbox opens its own, keep one or two per sandbox or put RDS Proxy in front.
6. **On DynamoDB, a message from a sender who is not connected reads every participant item of the room**
   to find anyone connected; with fix 2 that is rare, and a room counter kept by the webhook would remove it.
7. **token, join and send-chat now carry the meeting's enforcement, and it costs them** (against
   `bench/baseline/load.json`, measured before it): token's best rate fell from 7,560 to about 500 requests a
   second, join's from 3,377 to about 1,100, send-chat's from 1,743 to about 460, with PostgreSQL the busiest
   process. A token call now resumes the participant in a transaction that locks the room's row, asks LiveKit
   to create the room, reads who may receive the room's media and lists LiveKit's participants to remove anyone
   not among them; a join and every message read who may receive (everyone in the room) to address LiveKit's
   data to them alone, which also undid fix 2. The bench sends all token calls into one room with one session,
   so they queue on that row. Not fixed yet: a resume that changes nothing need not write or lock, and the
   room's creation and the sweep need not run on every token.
"""


def peer_rows(data):
    rows = []
    for c, ours in data["endpoints"]["token"].items():
        peer = data["endpoints"]["node peer token"][c]
        rows.append([c, f"{ours['rps']['median']:,.0f}", f"{peer['rps']['median']:,.0f}", f"{ours['rps']['median'] / peer['rps']['median']:.2f}×",
                     f"{ours['p99_ms']['median']:.1f}", f"{peer['p99_ms']['median']:.1f}", f"{ours['p99_ms']['median'] / max(peer['p99_ms']['median'], 1e-9):.2f}"])
    return table(["clients", "our token req/s", "Node peer req/s", "throughput ratio", "our p99 ms", "peer p99 ms", "p99 ratio"], rows)


def mix_section(data):
    weights = ", ".join(f"{name} {w}" for name, w in data["mix"]["weights"].items())
    rows = [[f"{m['offered_rps']:,}", f"{m['achieved_rps']:,.0f}", f"{m['worst_p99_ms']:.1f}", m["non_2xx"], m["errors"],
             f"{m['server_cpu_percent']:.0f}", f"{m['server_peak_rss_mb']:.0f}", m["bottleneck"]] for m in data["mix"]["levels"]]
    return weights, table(["offered req/s", "achieved req/s", "worst p99 ms", "non-2xx", "errors", "server CPU %", "server peak MB", "first bottleneck"], rows)


def per_vcpu(data):
    """Requests per second per core the server process used, at each endpoint's best level."""
    rows = []
    for name, levels in data["endpoints"].items():
        c, r = best(levels)
        cores = r["server_cpu_percent"] / 100 if name != "node peer token" else r["cpu_percent"].get("node-peer", 0) / 100
        rows.append([name, c, f"{r['rps']['median']:,.0f}", f"{cores * 100:.0f}", f"{r['rps']['median'] / max(cores, 1e-9):,.0f}"])
    return table(["endpoint", "at clients", "req/s", "process CPU %", "req/s per vCPU"], rows)


def dynamodb_costs(units):
    a = ASSUMPTIONS
    rows = []
    for name in API_CALLS:
        u = units[name]
        cost = (u["read_units"] * a["dynamodb_read_unit_usd"] + u["write_units"] * a["dynamodb_write_unit_usd"]) * 1e6
        calls = ", ".join(f"{op} {n:g}" for op, n in sorted(u["requests_per_call"].items()))
        rows.append([name, calls, f"{u['read_units']:.2f}", f"{u['write_units']:.2f}", f"${cost:.2f}"])
    return table(["call", "DynamoDB requests per call", "read units", "write units", "on-demand cost / M calls"], rows)


def lambda_costs(data):
    """Per million requests on Lambda, billing each invocation for its median latency at the
    fewest clients measured (one, unless LEVELS left it out): a Lambda instance serves one
    request at a time."""
    a = ASSUMPTIONS
    fewest = str(min(data["levels"]))
    rows = []
    for name in API_CALLS:
        r = data["endpoints"][name][fewest]
        billed_ms = max(1, math.ceil(r["p50_ms"]))
        compute = billed_ms / 1000 * a["lambda_memory_gb"] * a["lambda_gb_second_usd"] * 1e6
        requests = (a["lambda_request_usd"] + a["http_api_request_usd"]) * 1e6
        rows.append([name, billed_ms, f"${compute:.4f}", f"${requests:.2f}", f"${compute + requests:.4f}"])
    return table(["function", f"billed ms (p50, {fewest} client{'' if fewest == '1' else 's'})", "Lambda compute / M", "Lambda + HTTP API requests / M", "total / M (without the store)"], rows)


def cold_start(now):
    """Each function's cold start under the Lambda runtime emulator and its size, beside the
    committed baseline's (the functions before they were slimmed)."""
    if not now:
        return []
    baseline_path = BASELINE.parent / "cold_start.json"
    before = json.loads(baseline_path.read_text()) if baseline_path.exists() else {"functions": {}}
    figure = lambda r, key: f"{r[key]['median']:.1f}" if r and r.get(key) else "–"
    size = lambda r, key: f"{r[key] / 1e6:.2f}" if r and r.get(key) else "–"
    rows = []
    for function, r in now["functions"].items():
        b = before["functions"].get(function)
        rows.append([function, size(b, "arm64_bytes"), size(r, "arm64_bytes"), size(b, "x86_64_bytes"),
                     size(r, "x86_64_bytes"), figure(b, "init_ms"), figure(r, "init_ms"),
                     figure(b, "first_answer_ms"), figure(r, "first_answer_ms"), figure(b, "warm_ms"),
                     figure(r, "warm_ms")])
    return [
        "## Cold start and size of each function",
        "",
        f"Each function's release bootstrap started fresh under AWS's Lambda runtime interface emulator, "
        f"{now['runs']} times, and sent one real request in API Gateway's event shape that uses its own "
        f"dependencies (store: {now['store']}), by `bench/cold_start.py`. *init* is the init duration the "
        "emulator reports (its `INIT REPORT`: from the bootstrap's start until it asks for its first event); *first answer* runs from starting the emulator to "
        "the answer; *warm* is the `Duration` it reports for the same request sent again. Medians. arm64 is the bootstrap `make build` deploys, x86_64 the one measured here. "
        "\"before\" is `bench/baseline/cold_start.json`, the functions before they were slimmed.",
        "",
        table(["function", "arm64 MB before", "arm64 MB now", "x86_64 MB before", "x86_64 MB now",
               "init ms before", "init ms now", "first answer ms before", "now", "warm ms before", "now"], rows),
        "",
    ]


def all_hands():
    """The burst of joins into one big room, per store, beside the committed baseline's."""
    now = load("all_hands")
    if not now:
        return []
    baseline_path = BASELINE.parent / "all_hands.json"
    before = json.loads(baseline_path.read_text()) if baseline_path.exists() else {}
    rows = []
    for store, r in now.items():
        for label, figures in (("before", before.get(store)), ("now", r)):
            if not figures:
                continue
            outcomes = ", ".join(f"{code} {n}" for code, n in sorted(figures["outcomes"].items()))
            filled = f"{figures['filled_after_s']:.2f}" if figures["filled_after_s"] is not None else "never"
            rows.append([store, label, f"{figures['spread_s']:g}", f"{figures['admitted']} of {figures['max_participants']}", outcomes, filled,
                         f"{figures['p50_ms']:.0f}", f"{figures['p99_ms']:.0f}", f"{figures['max_ms']:.0f}"])
    some = next(iter(now.values()))
    return [
        "## The all-hands",
        "",
        f"{some['joiners']} people join one room of {some['max_participants']} once each, from their own loopback "
        f"addresses, spread evenly over the seconds given, at the default rate limits (`bench/all_hands.py`). "
        "The room must admit exactly its maximum and refuse the rest with `room_full`. \"before\" is "
        "`bench/baseline/all_hands.json`, measured before joins were redesigned for big rooms. The local DynamoDB "
        "(moto) serves one request at a time, in Python: it answers many joins of a 5 s burst after the server's 2 s "
        "budget for a dependency (`store_unavailable`), so DynamoDB's store is also measured with the same joins "
        "paced over minutes.",
        "",
        table(["store", "", "over s", "admitted", "answers", "room full after s", "join p50 ms", "p99 ms", "max ms"], rows),
        "",
    ] + all_hands_cloud_model(now.get("dynamodb"), next(
        (r for store, r in now.items() if store.startswith("dynamodb") and r["participant_count"] == r["max_participants"]), None))


def large_meeting():
    """One person's browser in a meeting of fifty cameras (web/e2e/large.test.mjs)."""
    r = load("large_meeting")
    if not r or "grid" not in r:
        return []
    grid, arrival = r["grid"], r["arrival"]
    tasks = lambda t: f"{t['count']} ({t['total_ms']} ms in all, longest {t['longest_ms']} ms)"
    return [
        "## A meeting of fifty in the browser",
        "",
        f"One person in headless Chromium (software rendering, 1280×800) and {r['people'] - 1} real LiveKit clients "
        "(`tests/e2e/crowd.py`, Python SDK) who join through the API within seconds, each with a 160×120 camera at "
        "10 frames a second, by `web/e2e/large.test.mjs`. The 49 encoders run on the same cores as the browser. The grid "
        "shows a page of tiles; video off the page is paused at LiveKit by the client's adaptive stream, which the test "
        "checks per track from WebRTC's own counters, in windows of 3 s. *Animation frames* are the page's "
        "`requestAnimationFrame` callbacks, how often its main thread could paint; long tasks are that thread busy "
        "for over 50 ms at a time.",
        "",
        table(["", ""], [
            ["tiles a page (one's own included), pages", f"{grid['tiles_per_page']}, {grid['pages']}"],
            ["cameras received of the 49", f"{grid['video_tracks_receiving']}"],
            ["video received, kbit/s", f"{grid['video_kbps_received']}"],
            ["from everyone publishing to video for the page's tiles alone, s", f"{r['seconds_until_only_shown_receive']:.0f}"],
            ["the page's animation frames a second over 10 s", f"{grid['frames_per_second']:g}"],
            ["long tasks over those 10 s", tasks(grid["long_tasks_10s"])],
            [f"long tasks while the {r['people'] - 1} arrived ({arrival['seconds']:.1f} s)", tasks(arrival["long_tasks"])],
            ["long tasks turning to the next page", tasks(r["page_turn_long_tasks"])],
            ["JavaScript heap, MB", f"{grid['js_heap_mb']:g}"],
            ["DOM nodes", f"{grid['dom_nodes']:,}"],
        ]),
        "",
    ]


def e2ee_cost():
    """A browser's CPU in a meeting with end-to-end encryption off and on (bench/e2ee_cost.mjs)."""
    r = load("e2ee_cost")
    if not r:
        return []
    rounds = ", ".join(f"{'on' if x['e2ee'] else 'off'} {x['cores']:.2f}" for x in r["rounds"])
    return [
        "## End-to-end encryption in the browser",
        "",
        "Two people meet in one headless Chromium (fake camera and microphone, software rendering, simulcast on), "
        f"in a room without encryption and in an encrypted one, in alternating rounds of one run. The CPU of all the "
        f"browser's processes (the encryption worker included) is read over {r['window_s']} s through the debugging "
        "protocol, after the call has settled; each page sends its camera and receives the other's, so every frame "
        "is encrypted once per simulcast layer sent and decrypted once received.",
        "",
        table(["encryption", "browser CPU, cores (median)", "video received by both pages, kbit/s"], [
            ["off", f"{r['off']['cores']:.2f}", f"{r['off']['video_kbps']:.0f}"],
            ["on", f"{r['on']['cores']:.2f}", f"{r['on']['video_kbps']:.0f}"],
        ]),
        "",
        f"On/off: **{r['ratio']:.2f}×** the CPU (rounds in order: {rounds}).",
        "",
    ]


def all_hands_cloud_model(r, filled=None):
    """What the same burst would meet on real DynamoDB, from the units the local one counted:
    those of `filled`, a run on DynamoDB's store in which the room filled (a join into a fuller
    room reads more), else those of the burst `r` itself."""
    if not r or "dynamodb" not in r:
        return []
    a = ASSUMPTIONS
    counted = filled if filled and "dynamodb" in filled else r
    units = counted["dynamodb"]
    per_join = {kind: units[kind] / counted["joiners"] for kind in ("read_units", "write_units")}
    joins = r["joiners"]
    rate = joins / r["spread_s"]
    # As functions/common/src/store/dynamodb/shards.rs spreads a room's slots: 50 a shard, 10 at most.
    shards = min(10, max(1, math.ceil(r["max_participants"] / 50)))
    transactions_per_s = shards * 1000 / a["dynamodb_transaction_ms"]
    floor_s = max(per_join["read_units"] * joins / a["dynamodb_partition_read_units"],
                  per_join["write_units"] * joins / a["dynamodb_partition_write_units"])
    return [
        "### The all-hands on DynamoDB in the cloud (a model)",
        "",
        "The local DynamoDB serves one request at a time, so it cannot show what bounds this burst in the cloud. "
        "Two documented limits do. Every item of a room shares its partition key (`ROOM#{id}`), and a partition "
        f"serves at most {a['dynamodb_partition_read_units']:,} read and {a['dynamodb_partition_write_units']:,} write "
        "units a second until DynamoDB splits it for heat. And DynamoDB cancels a transaction that meets another "
        "one in progress on the same item (`TransactionConflict`): every join's transaction writes one of the "
        f"room's slot counters, which for a room of {r['max_participants']} are {shards} items (shards), so the "
        f"room takes {shards} joins at a time.",
        "",
        table(["", ""], [
            ["joins offered", f"{joins} in {r['spread_s']:g} s ({rate:.0f} a second)"],
            [f"capacity units counted by the local DynamoDB over the {counted['joiners']} joins of the run "
             f"{'that filled the room' if counted is filled else 'above'}",
             f"{units['read_units']:,.0f} read, {units['write_units']:,.0f} write"],
            ["read and write units per join", f"{per_join['read_units']:.1f} read, {per_join['write_units']:.1f} write"],
            ["shortest time one partition can serve the burst", f"{floor_s:.1f} s"],
            [f"joins a second the {shards} counter items can take ({a['dynamodb_transaction_ms']} ms a transaction, assumed)",
             f"{transactions_per_s:.0f}"],
            ["share of time the counter items are busy at this rate", f"{rate / transactions_per_s:.0%}"],
        ]),
        "",
        "Above 100% busy, joins queue in their retries (8 tries over about 0.7 s) and some answer `503 busy`; "
        "people's clients try again, and the room fills more slowly than offered. Reads are most of the units: "
        "after each join, the server reads the whole room (everyone on it) to send everyone the new roster, so a "
        "join into a room of N reads N participants, and a full all-hands reads about N²/2 of them.",
        "",
    ]


def livekit_model(media):
    a = ASSUMPTIONS
    per_track_set = media["cpu_percent_per_subscriber"]["median"] / media["publishers"]  # % of a core per subscribed publisher
    per_participant = per_track_set * (a["meeting_size"] - 1)
    node_capacity = a["livekit_node_vcpus"] * 100 * a["livekit_node_target_utilisation"] / max(per_participant, 1e-9)
    nodes = math.ceil(1000 / node_capacity)
    return [
        "### LiveKit nodes per 1,000 concurrent participants",
        "",
        f"Assumptions: meetings of {a['meeting_size']}, everyone publishing camera and microphone and subscribing to the "
        f"other {a['meeting_size'] - 1}; nodes of {a['livekit_node_vcpus']} vCPUs run to {a['livekit_node_target_utilisation']:.0%} "
        "CPU; CPU grows linearly with subscriptions as measured above, and this machine's cores are like the node's. "
        "Bandwidth, not CPU, may bind first: see the received rate above.",
        "",
        table(["", ""], [
            ["LiveKit CPU per subscribed publisher", f"{per_track_set:.3f}% of a core"],
            ["per participant", f"{per_participant:.2f}% of a core"],
            ["participants per node", f"{node_capacity:,.0f}"],
            ["nodes per 1,000 concurrent participants", f"{nodes}"],
        ]),
        "",
    ]


def render():
    data = load("load")
    cold = load("cold_start")
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else None
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "# Capacity: what one machine, one function and one LiveKit node carry",
        "",
        f"_Generated by `make bench` ({now}) from `bench/results/*.json`. Do not edit by hand: run it again._",
        "",
        "## The machine and the run",
        "",
        table(["", ""], machine()),
        "",
        f"Each figure is the median of {data['runs']} runs of {data['duration_s']:g} s (joins: a fixed count of requests "
        "into fresh rooms), with the range over the runs in brackets. Everything runs on this one machine over loopback: "
        "the server (`local-server` built with the `server` profile: optimised for speed; every function in one process), PostgreSQL, Redis, LiveKit and the "
        "load generator share its cores, so the CPU columns say who used them. \"First bottleneck\" is the machine when "
        "nearly all cores are busy, else the busiest process other than the load generator.",
        "",
        "## Headline ratios",
        "",
        table(["comparison", "ours (best req/s)", "limit (best op/s)", "ratio", "aim"],
              [[w, f"{o:,.0f}", f"{l:,.0f}", f"{r:.2f}", f"≥ {aim:g} {'(met)' if r >= aim else '(not met)'}"] for w, o, l, r, aim in ratios(data)]),
        "",
        *before_after(data, baseline),
        "## Endpoints at rising concurrency",
        "",
        endpoint_section(data, baseline),
        "",
        "## What the dependencies allow, in the same run",
        "",
        "pgbench runs the join's SQL (`bench/pgbench/join.sql`); redis-benchmark runs the chat append script "
        "(`functions/common/src/chat/append.lua`) by `EVAL`; oha calls LiveKit's `SendData` directly, into the same room "
        "with one connected client, as the chat fan-out does.",
        "",
        limits_section(data),
        "",
        "## Our token endpoint beside a Node.js peer",
        "",
        "The peer (`bench/node-peer/server.mjs`) is the token route of LiveKit's example app on `livekit-server-sdk`: "
        "it mints a token for any caller. Ours also finds the caller's session in PostgreSQL and checks their status.",
        "",
        peer_rows(data),
        "",
        "## A realistic mix",
        "",
    ]
    weights, mix_table = mix_section(data)
    out += [
        f"All five endpoints at once, each oha throttled to its share of the offered rate (weights: {weights}; "
        "a meeting of eight: one creation, eight joins, tokens and history reads, two messages each).",
        "",
        mix_table,
        "",
    ]
    chat = load("chat_latency")
    if chat:
        out += [
            "## Chat delivery latency",
            "",
            f"From the start of `POST /messages` to the message arriving over LiveKit data at each of {chat['clients']} "
            "real clients (`livekit` Python SDK) in one room; one participant sends. Median over "
            f"{chat['runs']} runs, range in brackets; a message not arrived 5 s after the last send counts as lost.",
            "",
            table(["messages/s", "p50 ms", "p99 ms", "deliveries", "lost"],
                  [[rate, f"{r['p50_ms']['median']:.1f} ({r['p50_ms']['min']:.1f}–{r['p50_ms']['max']:.1f})",
                    f"{r['p99_ms']['median']:.1f} ({r['p99_ms']['min']:.1f}–{r['p99_ms']['max']:.1f})", f"{r['samples']:,}", r["lost"]]
                   for rate, r in chat["rates"].items()]),
            "",
        ]
    media = load("media")
    if media:
        rows = [[m["subscribers"], f"{m['cpu_percent']['median']:.1f} ({m['cpu_percent']['min']:.1f}–{m['cpu_percent']['max']:.1f})",
                 f"{m['rss_mb']['median']:.0f}", f"{m['received_mbps']:.1f}", f"{m['machine_busy_percent']:.0f}"] for m in media["levels"]]
        per = media["cpu_percent_per_subscriber"]
        out += [
            "## Media: LiveKit per subscriber",
            "",
            f"One room, {media['publishers']} publishers ({media['video']}, plus audio), subscribers added in steps; "
            f"LiveKit's CPU and memory over {media['window_s']:g} s at each step, median of {media['runs']} runs. The clients "
            "(`livekit` Python SDK) run on the same machine and encode and decode for real, so the machine is busy "
            "with them; LiveKit's own share is what is counted.",
            "",
            table(["subscribers", "LiveKit CPU % of a core (min–max)", "LiveKit RSS MB", "received by all, Mbit/s", "machine busy %"], rows),
            "",
            f"Per subscriber (slope across the steps): **{per['median']:.2f}% of a core** ({per['min']:.2f}–{per['max']:.2f}) "
            f"and {media['rss_mb_per_subscriber']['median']:.2f} MB, for {media['publishers']} incoming video and audio tracks.",
            "",
        ]
    out += cold_start(cold)
    out += all_hands()
    out += large_meeting()
    out += e2ee_cost()
    out += [FIXES, ""]
    out += [
        "## Capacity model",
        "",
        "### Requests per vCPU",
        "",
        "The server's rate at each endpoint's best level divided by the cores its process used. On Lambda one "
        "invocation at a time runs per sandbox, so this is the ceiling a provisioned core can serve.",
        "",
        per_vcpu(data),
        "",
        "### Lambda cost per million requests",
        "",
        f"Assumptions: arm64 at ${ASSUMPTIONS['lambda_gb_second_usd']} per GB-second with {ASSUMPTIONS['lambda_memory_gb']} GB "
        f"(the template's MemorySize), ${ASSUMPTIONS['lambda_request_usd'] * 1e6:.2f} per million invocations, "
        f"${ASSUMPTIONS['http_api_request_usd'] * 1e6:.2f} per million HTTP API requests; each invocation billed for the "
        "median latency measured here with one client (a Lambda's own network to DynamoDB, Redis and LiveKit adds to it).",
        "",
        lambda_costs(data),
        "",
    ]
    units = load("dynamodb_units")
    if units:
        out += [
            "### DynamoDB cost per million calls",
            "",
            f"Capacity units counted by the local DynamoDB (`infra/scripts/dynamodb_local.py`) over {units['calls']} calls of each "
            "kind into one room, with the server on the DynamoDB store; it applies DynamoDB's published rules to item sizes "
            "estimated from the JSON on the wire, which lean high. Prices: on-demand at "
            f"${ASSUMPTIONS['dynamodb_write_unit_usd'] * 1e6:.3f} per million write units and "
            f"${ASSUMPTIONS['dynamodb_read_unit_usd'] * 1e6:.3f} per million read units. Chat history itself is in Redis.",
            "",
            dynamodb_costs(units),
            "",
        ]
    if media:
        out += livekit_model(media)
    return "\n".join(out) + "\n"


def main():
    text = render()
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text)
    print(text)
    print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
