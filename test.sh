#!/usr/bin/env bash
# Installs what the tests need if it is missing, runs every test project, and ends with one line:
# "N passed, N failed". Exit code is non-zero on any failure. CI (.ci/run) calls exactly this.
#
#   ./test.sh              everything, the database suite on SQLite and PostgreSQL
#   ./test.sh --sqlserver  the database suite on a real SQL Server (Testcontainers: needs a Docker engine)
set -uo pipefail
cd "$(dirname "$0")"

log() { printf '\n== %s\n' "$*"; }

# --- 0. The SQL Server suite alone, where a Docker engine runs. Without one it says so and fails:
# it never passes by running nothing.
if [ "${1:-}" = "--sqlserver" ]; then
  if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
    echo "No Docker engine here (docker info failed): the SQL Server suite starts SQL Server in a container"
    echo "through Testcontainers and cannot run on this machine. Nothing was run."
    echo "0 passed, 1 failed"
    exit 1
  fi
  log "restore and build"
  dotnet build ChatterWeb.sln -nologo -v q -clp:ErrorsOnly || { echo "0 passed, 1 failed (build)"; exit 1; }
  results=$(mktemp -d)
  log "testing ChatterWeb.SqlServerTests"
  dotnet test ChatterWeb.SqlServerTests --no-build -nologo --logger "trx;LogFileName=sqlserver.trx" --results-directory "$results"; status=$?
  counters=$(grep -o '<Counters [^>]*>' "$results"/*.trx 2>/dev/null | head -1)
  passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  rm -rf "$results"
  passed=${passed:-0}; failed=${failed:-0}
  if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi # no results: a crash, not a pass
  [ "$failed" -gt 0 ] && status=1
  echo "$passed passed, $failed failed"
  exit $status
fi

# --- 1. System packages the tests drive for real: Chromium (E2E), redis-server (scale-out), PostgreSQL
# (the database suite and scale-out run on a private cluster the tests start), npm (libman check), node
# (the client modules' unit tests), slapd and ldap-utils (LDAP sign-in against a private OpenLDAP server;
# the app's LDAP client is the system's libldap, which ldap-utils pulls in), python3-aiosmtpd (a real SMTP
# server for the mail tests).
declare -A want=([chromium]=/usr/bin/chromium [redis-server]=redis-server [npm]=npm [nodejs]=node [slapd]=/usr/sbin/slapd [ldap-utils]=ldapadd)
missing=()
for pkg in "${!want[@]}"; do
  command -v "${want[$pkg]}" >/dev/null 2>&1 || missing+=("$pkg")
done
# initdb is not on PATH on Debian: it lives in /usr/lib/postgresql/N/bin (ChatterWeb.Testing/PostgresServer finds it there)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
# The mail tests' SMTP server is Debian's aiosmtpd, run with Debian's own interpreter (another python3 on
# the PATH may lack the module).
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq || { echo "apt-get update failed"; exit 2; }
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || { echo "apt-get install ${missing[*]} failed"; exit 2; }
fi

# --- 2. .NET local tools (dotnet-ef for migration checks) and a build of everything.
log "restore and build"
dotnet tool restore >/dev/null || { echo "dotnet tool restore failed"; exit 2; }
dotnet build ChatterWeb.sln -nologo -v q -clp:ErrorsOnly || { echo "0 passed, 1 failed (build)"; exit 1; }

# --- 3. Every test project; counts come from the TRX files, not from console scraping.
results=$(mktemp -d)
status=0
for project in ChatterWeb.Tests ChatterWeb.Bench.Tests ChatterWeb.E2E; do # not ChatterWeb.SqlServerTests: --sqlserver
  [ -d "$project" ] || continue
  log "testing $project"
  dotnet test "$project" --no-build -nologo --logger "trx;LogFileName=$project.trx" --results-directory "$results" || status=1
done

passed=0; failed=0
# --- 3a. The client's DOM-free modules (ChatterWeb/wwwroot/js) under node's own test runner. Counts come
# from its TAP summary ("# pass N", "# fail N", "# cancelled N"); no summary (node crashed) is one failure.
if [ -d ChatterWeb.ClientTests ]; then
  log "testing ChatterWeb.ClientTests (node --test)"
  tap=$(node --test --test-reporter=tap ChatterWeb.ClientTests/*.test.mjs 2>&1); node_status=$?
  printf '%s\n' "$tap" | grep -E '^(not ok|# (tests|pass|fail|cancelled))' || true
  p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' <<<"$tap" | tail -1)
  f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' <<<"$tap" | tail -1)
  c=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' <<<"$tap" | tail -1)
  if [ -z "$p" ] || [ -z "$f" ]; then
    printf '%s\n' "$tap" | tail -20; echo "node --test gave no summary"; f=1; p=0
  fi
  f=$((f + ${c:-0}))
  [ "$node_status" -ne 0 ] && [ "$f" -eq 0 ] && f=1 # a failure the summary did not count
  passed=$((passed + p)); failed=$((failed + f))
  [ "$f" -gt 0 ] && status=1
fi
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# --- 4. The benchmark's smoke runs, each with its own server, real sign-ups and sockets, in seconds:
# open-loop fanout, an office day (tabs coming and going), search in a seeded history, cold starts, and
# fanout again on PostgreSQL with two instances on one database and a redis-server, as a deployment runs.
# Each fails on any lost, duplicated, out-of-order or misrouted delivery or failed check; each counts as one test.
failed_smokes=()
if [ -d ChatterWeb.Bench ]; then
  smoke() {
    log "bench smoke ($*)"
    if dotnet run --project ChatterWeb.Bench --no-build -- "$@" --smoke --server-config Debug; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1)); status=1; failed_smokes+=("$*")
    fi
  }
  for scenario in fanout officeday search startup; do smoke "$scenario"; done
  smoke fanout --database postgresql --instances 2
fi

projects=$(ls -d ChatterWeb.Tests ChatterWeb.Bench.Tests ChatterWeb.E2E 2>/dev/null | wc -l)
reports=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ "$reports" -lt "$projects" ]; then
  echo "a test project produced no results (crashed?)"; failed=$((failed + 1)); status=1
fi

# Name what failed just above the summary, so the end of a CI log says which tests to look at.
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  /usr/bin/python3 - "$trx" <<'PY' || true
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") != "Failed":
        continue
    m = r.find(".//t:ErrorInfo/t:Message", ns)
    first = (m.text or "").strip().splitlines()[0][:300] if m is not None and m.text else ""
    print(f"FAILED {r.get('testName')}: {first}")
PY
done
for s in "${failed_smokes[@]}"; do echo "FAILED bench smoke ($s)"; done
rm -rf "$results"

[ "$failed" -gt 0 ] && status=1
echo "$passed passed, $failed failed"
exit $status
