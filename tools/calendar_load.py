#!/usr/bin/env python3
"""Calendar month view under load: 5,000 posts in one month, p99 of the API the calendar calls.

usage: calendar_load.py BIN [--db URL | --db-env VAR] [--posts 5000] [--runs 200]
                            [--connections 8] [--duration 10]

Starts a real `carepost serve --dev` on a free loopback port with a throw-away data
directory (SQLite there, or the PostgreSQL database --db names), signs in as the demo
admin and imports POSTS drafts spread over March 2027 through POST /api/v1/calendar/import
(the same path a team's spreadsheet takes; every post is screened by the guard). Then:

  month view   what the web calendar does to draw the month: GET /api/v1/posts?view=calendar
               &from=..&to=..&limit=1000, following next_cursor to the last page. One client,
               RUNS times; the p50/p99 of the whole month (all pages) and the page count.
  one page     wrk --latency -c CONNECTIONS against the first page: req/s and p99.

It checks that the month view returns every imported post before it measures. The client
and the server share the machine's cores; note the machine beside any figure.
"""
import argparse
import csv
import http.client
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load  # noqa: E402  (free_port, wait_ready, sign_in, run_wrk)

MONTH_FROM = "2027-03-01T00:00:00Z"
MONTH_TO = "2027-04-01T00:00:00Z"

TEXTS = [
    "Flu shots are free this Saturday at our {site} clinic, 9am to noon. Bring your "
    "insurance card if you have one. #{n}",
    "Heart Month: 30 minutes of brisk walking five days a week lowers blood pressure. "
    "Our {site} cardiology team explains how to start. #{n}",
    "Join our {site} dietitians for a free cooking class on low-sodium meals. Seats are "
    "limited, sign up online. #{n}",
    "Screening saves lives: adults 45 and older should talk to their doctor about colon "
    "cancer screening. Book at {site}. #{n}",
]
SITES = ["Riverside", "Northgate", "Harbor View", "Elm Street", "Lakeside"]


def month_csv(brand, posts):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["date", "time", "time_zone", "brand", "platforms", "text", "hashtags"])
    for i in range(posts):
        day = 1 + i % 31
        minute = (i * 7) % (12 * 60)  # 07:00-18:59 Chicago: inside March in UTC too
        w.writerow([f"2027-03-{day:02d}", f"{7 + minute // 60:02d}:{minute % 60:02d}",
                    "America/Chicago", brand, "facebook;instagram;x",
                    TEXTS[i % len(TEXTS)].format(site=SITES[i % len(SITES)], n=i),
                    "health community"])
    return out.getvalue().encode()


def request(conn, method, path, cookie, csrf=None, body=None, content_type=None):
    headers = {"Cookie": cookie}
    if csrf:
        headers["X-CSRF-Token"] = csrf
    if content_type:
        headers["Content-Type"] = content_type
    conn.request(method, path, body, headers)
    r = conn.getresponse()
    return r.status, r.read()


def month_view(conn, cookie):
    """Every page of the month as the calendar reads it: (posts, pages)."""
    query = {"view": "calendar", "from": MONTH_FROM, "to": MONTH_TO, "limit": "1000"}
    posts = pages = 0
    while True:
        status, body = request(conn, "GET", "/api/v1/posts?" + urllib.parse.urlencode(query),
                               cookie)
        if status != 200:
            sys.exit(f"calendar_load: month view page {pages + 1} answered {status}: {body[:300]}")
        page = json.loads(body)
        posts += len(page["items"])
        pages += 1
        if not page["next_cursor"]:
            return posts, pages
        query["cursor"] = page["next_cursor"]


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("binary")
    p.add_argument("--db", help="a postgres:// URL (default: SQLite in the data directory)")
    p.add_argument("--db-env", help="read the database URL from this environment variable")
    p.add_argument("--posts", type=int, default=5000)
    p.add_argument("--runs", type=int, default=200)
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--duration", type=int, default=10)
    args = p.parse_args()
    db = args.db or (os.environ.get(args.db_env) if args.db_env else None)
    if args.db_env and not db:
        sys.exit(f"calendar_load: {args.db_env} is not set")
    if not shutil.which("wrk"):
        sys.exit("calendar_load: wrk is not installed (scripts/install-deps.sh installs it)")

    work = tempfile.mkdtemp(prefix="carepost-calendar-load-")
    data_dir = os.path.join(work, "data")
    port = load.free_port()
    cmd = [args.binary, "serve", "--dev", "--data-dir", data_dir, "--listen", f"127.0.0.1:{port}"]
    if db:
        cmd += ["--db", db]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                              stderr=open(os.path.join(work, "server.log"), "w"))
    backend = "PostgreSQL 15" if db else "SQLite"
    try:
        load.wait_ready(port, server)
        cookie, csrf, _ = load.sign_in(port, data_dir)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        status, body = request(conn, "GET", "/api/v1/organization", cookie)
        brand = json.loads(body)["brands"][0]["name"]
        before, _ = month_view(conn, cookie)

        started = time.time()
        status, body = request(conn, "POST", "/api/v1/calendar/import", cookie, csrf,
                               month_csv(brand, args.posts), "text/csv")
        if status != 201:
            sys.exit(f"calendar_load: import answered {status}: {body[:500]}")
        imported = time.time() - started
        total, pages = month_view(conn, cookie)
        if total != before + args.posts:
            sys.exit(f"calendar_load: the month view shows {total} posts, expected "
                     f"{before + args.posts}")

        for _ in range(5):  # warm caches before measuring
            month_view(conn, cookie)
        timings = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            month_view(conn, cookie)
            timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()

        first = (f"http://127.0.0.1:{port}/api/v1/posts?view=calendar&from={MONTH_FROM}"
                 f"&to={MONTH_TO}&limit=1000")
        rps, p99, bad, _ = load.run_wrk(args, first, cookie)
        if bad:
            sys.exit(f"calendar_load: {bad} non-2xx answers from the first page under wrk")

        print(f"calendar month view, {backend}, carepost serve --dev on loopback, "
              f"{os.cpu_count()} cores shared with the client")
        print(f"  {args.posts} posts imported in {imported:.1f} s; the month holds {total} posts, "
              f"read in {pages} pages of up to 1000")
        print(f"  month view (all {pages} pages, one client, {args.runs} runs): "
              f"p50 {percentile(timings, 50):.1f} ms, p99 {percentile(timings, 99):.1f} ms")
        print(f"  first page under wrk -t{args.threads} -c{args.connections} -d{args.duration}s: "
              f"{rps:.1f} req/s, p99 {p99:.1f} ms")
    finally:
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
