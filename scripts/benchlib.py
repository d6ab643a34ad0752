"""What the benchmarks under scripts/ share: the simulator they run, and a process's CPU time and peak RSS."""
import json
import os
import socket
import subprocess
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN_DIR = os.environ.get("BIN_DIR") or os.path.join(ROOT, ".build", "release")
DAEMON = os.path.join(BIN_DIR, "intercom-triggerd")
SIM = os.path.join(BIN_DIR, "intercom-sim")
TOKEN = "sim-token"


class Simulator:
    """A release `intercom-sim` on a free port, its first stdout line its URL; `flags` as on its command line."""

    def __init__(self, workdir, *flags):
        self.stderr = open(os.path.join(workdir, "sim.stderr"), "wb")
        self.proc = subprocess.Popen(
            [SIM, "--port", "0", "--log-level", "warning", *flags],
            stdout=subprocess.PIPE, stderr=self.stderr, stdin=subprocess.DEVNULL)
        self.url = self.proc.stdout.readline().decode().strip()
        if not self.url.startswith("http"):
            raise SystemExit(f"intercom-sim printed no URL (see {workdir}/sim.stderr)")

    def call(self, method, path, body=None, auth=False):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if auth:
            request.add_header("Authorization", f"Bearer {TOKEN}")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def peak_rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid):
    """User + system CPU seconds of a running process."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


class ThreadCPUMeter:
    """A process's CPU in nanoseconds, from each thread's scheduler runtime (/proc/PID/task/TID/schedstat), where
    `cpu_seconds` counts 10-ms ticks: a whole idle minute of a daemon is ~10 ticks, too coarse to compare builds.
    Call `sample()` often (every 0.2 s): a thread that ends between samples keeps its last sampled runtime, so
    at most its last fraction of a second is missed. Threads born during the stretch count from zero."""

    def __init__(self, pid):
        self.pid = pid
        self.start = self._read()
        self.last = dict(self.start)

    def _read(self):
        runtimes = {}
        try:
            tids = os.listdir(f"/proc/{self.pid}/task")
        except OSError:
            return runtimes
        for tid in tids:
            try:
                with open(f"/proc/{self.pid}/task/{tid}/schedstat") as f:
                    runtimes[tid] = int(f.read().split()[0])
            except (OSError, IndexError, ValueError):
                pass
        return runtimes

    def sample(self):
        self.last.update(self._read())

    def seconds(self):
        """CPU seconds since the meter was made, as of the last sample."""
        return sum(runtime - self.start.get(tid, 0) for tid, runtime in self.last.items()) / 1e9


def free_port():
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def parse_seconds(text):
    """A duration such as 500ms, 5s, 2m or 1h, in seconds."""
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    for unit in ("ms", "s", "m", "h"):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * units[unit]
    raise SystemExit(f"bad duration {text!r}: use e.g. 1s")
