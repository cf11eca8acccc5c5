"""CPU time and memory of the processes under load, read from /proc while a measurement runs.

Processes are grouped by name (`local-server`, `postgres`, `redis-server`, ...), so the report can
say which one used the CPU: the first bottleneck at a load level is the group nearest a full core,
or the whole machine when all cores are busy.
"""

import os
import threading
import time

TICKS = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1
GROUPS = {
    "local-server": "server",
    "postgres": "postgres",
    "redis-server": "redis",
    "livekit-server": "livekit",
    "node": "node-peer",
    "oha": "load generator",
    "pgbench": "load generator",
    "redis-benchmar": "load generator",
    "python3": "clients",
    "python": "clients",
}


def _read_stat(pid):
    """(group, cpu ticks, rss kB) of one process, or None when it has gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            raw = f.read()
    except OSError:
        return None
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    group = GROUPS.get(name)
    if group is None:
        return None
    # utime and stime are fields 14 and 15 of /proc/PID/stat; rss (pages) is field 24.
    return group, int(fields[11]) + int(fields[12]), int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024


class Monitor:
    """Samples every process of interest until stopped; `result()` gives CPU % of one core per
    group over the window, the machine's busy share, and the peak memory of `watch_rss`."""

    def __init__(self, watch_rss="server", interval=0.05):
        self.watch_rss = watch_rss
        self.interval = interval
        self.first, self.last = {}, {}
        self.peak_rss_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.started = time.perf_counter()
        self.busy_start = _machine_busy()
        self._sample(baseline=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()
        self.elapsed = time.perf_counter() - self.started
        self.busy_end = _machine_busy()

    def _run(self):
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self, baseline=False):
        """Processes seen in the baseline count from their CPU time then; later ones from zero."""
        rss = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            stat = _read_stat(entry)
            if stat is None:
                continue
            group, ticks, rss_kb = stat
            self.first.setdefault(entry, (group, ticks if baseline else 0))
            self.last[entry] = (group, ticks)
            if group == self.watch_rss:
                rss += rss_kb
        self.peak_rss_kb = max(self.peak_rss_kb, rss)

    def result(self):
        cpu = {}
        for pid, (group, ticks) in self.last.items():
            _, start = self.first.get(pid, (group, 0))
            cpu[group] = cpu.get(group, 0) + (ticks - start)
        seconds = max(self.elapsed, 1e-9)
        busy = (self.busy_end[0] - self.busy_start[0]) / max(self.busy_end[1] - self.busy_start[1], 1)
        return {
            "cpu_percent": {group: round(100 * ticks / TICKS / seconds, 1) for group, ticks in sorted(cpu.items())},
            "machine_busy_percent": round(100 * busy, 1),
            "peak_rss_mb": round(self.peak_rss_kb / 1024, 1),
        }


def _machine_busy():
    """(busy ticks, all ticks) of every core, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def bottleneck(result):
    """The first limit at this load: the machine if its cores are nearly all busy, else the
    busiest process group other than the load generator."""
    cpu = {g: v for g, v in result["cpu_percent"].items() if g != "load generator"}
    top = max(cpu, key=cpu.get) if cpu else "none"
    if result["machine_busy_percent"] >= 90:
        return f"all {CORES} cores busy (most: {top} {cpu.get(top, 0):.0f}%)"
    return f"{top} ({cpu.get(top, 0):.0f}% of a core)"
