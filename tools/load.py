#!/usr/bin/env python3
"""HTTP load report: `wrk` against a real `carepost serve --dev` on loopback.

usage: load.py BIN [--connections 50] [--threads 2] [--duration 10] [--audit-events 100000]

Starts the server on a free loopback port with a throw-away data directory (SQLite), signs in
as the demo admin, then for each endpoint runs
  wrk --latency -t THREADS -c CONNECTIONS -d DURATIONs -H 'Cookie: ...' URL
and prints requests/s and the p99 latency. It reads the server's resident memory (VmRSS) at
idle, then writes AUDIT_EVENTS audit events through the API (each a PATCH of the admin's
display name, which the audit trail records) and reads it again.

wrk and the server share the machine's cores, so the figures are a floor for the server alone;
the machine is shared and noisy: note it beside any figure.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def wait_ready(port, proc, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"load: the server exited with status {proc.returncode} before it was ready")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            c.request("GET", "/readyz")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("load: the server did not become ready within a minute")


def sign_in(port, data_dir):
    admin = None
    with open(os.path.join(data_dir, "demo-credentials.txt")) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if fields[0] == "admin":
                admin = fields
    if admin is None:
        sys.exit("load: no admin in demo-credentials.txt")
    c = http.client.HTTPConnection("127.0.0.1", port)
    c.request("POST", "/api/v1/session", json.dumps({"email": admin[1], "password": admin[2]}),
              {"Content-Type": "application/json"})
    r = c.getresponse()
    body = json.loads(r.read())
    if r.status != 201:
        sys.exit(f"load: sign-in failed: {r.status} {body}")
    cookie = r.getheader("Set-Cookie").split(";")[0]
    return cookie, body["csrf_token"], body["user"]["id"]


def lua_script(directory, name, method, body, headers):
    path = os.path.join(directory, name)
    lines = [f'wrk.method = "{method}"']
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(body)}")
    for k, v in headers.items():
        lines.append(f'wrk.headers["{k}"] = "{v}"')
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def to_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def run_wrk(args, url, cookie, script=None):
    cmd = ["wrk", "--latency", "-t", str(args.threads), "-c", str(args.connections), "-d",
           f"{args.duration}s", "-H", f"Cookie: {cookie}"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    shown = ["'Cookie: carepost_session=...'" if c.startswith("Cookie:") else c for c in cmd]
    return rps, p99, int(non2xx.group(1)) if non2xx else 0, " ".join(shown)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("binary")
    p.add_argument("--connections", type=int, default=50)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--audit-events", type=int, default=100000)
    args = p.parse_args()
    if not shutil.which("wrk"):
        sys.exit("load: wrk is not installed (scripts/install-deps.sh installs it)")

    work = tempfile.mkdtemp(prefix="carepost-load-")
    data_dir = os.path.join(work, "data")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([args.binary, "serve", "--dev", "--data-dir", data_dir, "--listen",
                               f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                              stderr=open(os.path.join(work, "server.log"), "w"))
    try:
        wait_ready(port, server)
        cookie, csrf, user_id = sign_in(port, data_dir)
        time.sleep(1)
        idle = rss_kib(server.pid)

        screen = lua_script(work, "screen.lua", "POST",
                            json.dumps({"text": "Flu shots are free this Saturday at our "
                                        "Riverside clinic, 9am to noon. Bring your insurance "
                                        "card if you have one.", "platform": "facebook",
                                        "context": "post"}),
                            {"Content-Type": "application/json", "X-CSRF-Token": csrf})
        rows = [
            ("GET /api/v1/session", f"{base}/api/v1/session", None),
            ("GET /api/v1/organization", f"{base}/api/v1/organization", None),
            ("GET /api/v1/users", f"{base}/api/v1/users", None),
            ("GET /api/v1/audit", f"{base}/api/v1/audit", None),
            ("POST /api/v1/screen", f"{base}/api/v1/screen", screen),
        ]
        print(f"wrk against carepost serve --dev (SQLite) on loopback; {os.cpu_count()} cores "
              "shared by wrk and the server")
        print(f"{'endpoint':28} {'req/s':>10} {'p99 ms':>8}  non-2xx")
        for name, url, script in rows:
            rps, p99, bad, command = run_wrk(args, url, cookie, script)
            print(f"{name:28} {rps:10.0f} {p99:8.2f}  {bad}")
            if script is None and name == rows[0][0]:
                print(f"  ({command} URL)")

        # Audit events through the API: each PATCH renames the admin, one audit event each.
        # wrk's Lua counter gives every request a different name so none is a no-op.
        flood = os.path.join(work, "patch.lua")
        with open(flood, "w") as f:
            f.write('counter = 0\n'
                    'request = function()\n'
                    '  counter = counter + 1\n'
                    '  return wrk.format("PATCH", nil, {["Content-Type"] = "application/json",\n'
                    f'    ["X-CSRF-Token"] = "{csrf}", ["Cookie"] = "{cookie}"}},\n'
                    '    string.format(\'{"display_name": "Load %d %d"}\', counter, math.random(1e9)))\n'
                    'end\n')
        written = 0
        started = time.time()
        while written < args.audit_events:
            out = subprocess.run(["wrk", "-t", "1", "-c", "4", "-d", "5s", "-s", flood,
                                  "-H", f"Cookie: {cookie}", f"{base}/api/v1/users/{user_id}"],
                                 capture_output=True, text=True, check=True).stdout
            done = int(re.search(r"(\d+) requests in", out).group(1))
            bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            if bad:
                sys.exit(f"load: {bad.group(1)} audit-writing requests failed")
            written += done
        elapsed = time.time() - started
        c = http.client.HTTPConnection("127.0.0.1", port)
        c.request("POST", "/api/v1/audit/verify", headers={"Cookie": cookie, "X-CSRF-Token": csrf})
        verify = json.loads(c.getresponse().read())
        time.sleep(1)
        after = rss_kib(server.pid)
        print(f"\naudit: {written} events written through PATCH /api/v1/users/{{id}} in "
              f"{elapsed:.0f} s ({written / elapsed:.0f}/s); verify: {verify}")
        print(f"server RSS: {idle / 1024:.1f} MiB idle after sign-in, "
              f"{after / 1024:.1f} MiB after {written} audit events")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
