#!/usr/bin/env bash
# Installs the Debian packages carepost needs to build, test and run.
# Idempotent: packages already present are skipped, so a second run is quick.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git python3 python3-jsonschema
  # fuzzing (clang-14 rejects parts of libstdc++ 12's C++20)
  clang-16 libclang-rt-16-dev clang-format-16
  # libraries
  libabsl-dev libhyperscan-dev libcli11-dev nlohmann-json3-dev libtomlplusplus-dev
  libutf8proc-dev libfasttext-dev fasttext libsimdjson-dev
  # store: SQLite and PostgreSQL client libraries, and the PostgreSQL 15 server the
  # contract tests start (tests/pg/with-postgres.sh; runuser and useradd come with Debian)
  libsqlite3-dev libpq-dev postgresql-15
  # core: IANA time zones (Howard Hinnant's date/tz, reading the system tz database)
  libhowardhinnant-date-dev tzdata
  # domain: passwords (argon2id), secrets at rest (secretbox), audit hashes and HMACs
  libsodium-dev
  # plan: calendar CSV import/export and the iCalendar feed; the media tests encode and
  # decode real images with the reference codecs (tests only)
  libcsv-dev libical-dev libjpeg-dev libpng-dev libwebp-dev zlib1g-dev
  # HTTP server (Boost.Beast/Asio are header-only: no compiled Boost libraries), JSON-lines
  # logging, and docs/openapi.yaml -> JSON at build time; curl for the serve CLI test
  libboost1.81-dev libssl-dev libspdlog-dev python3-yaml curl
  # publish: the trusted CA certificates the connectors verify platforms' TLS against;
  # the openssl command makes the TLS test's certificate (tests only)
  ca-certificates openssl
  # tests and benchmarks (wrk: tools/load.py, `make load`)
  libgtest-dev libgmock-dev libbenchmark-dev wrk
  # the browser tests of the web app (tests/browser/: playwright-core drives it headless)
  chromium
)
# node and npm build the web app (ui/, `npm ci` + Vite) and run the browser tests. A
# machine that already has npm (Debian's or another build of Node.js) keeps it.
if ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
