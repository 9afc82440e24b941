# Sourced by the bench scripts: a throwaway venv with the Python peers, never installed system-wide.
HERALD_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${HERALD_SHARED:-$HERALD_ROOT/../shared}
VENV=${HERALD_PEERS_VENV:-$HERALD_ROOT/bench/.venv}
HERALD=${HERALD_BINARY:-$HERALD_ROOT/.build/release/herald}
if [ ! -d "$SHARED/bench" ]; then
  echo "skipping: $SHARED/bench not found (the benchmarks live in ../shared)" >&2
  exit 0
fi
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c "import $1" 2>/dev/null || "$VENV/bin/pip" install -q "$2"
# trafilatura with lxml 6 needs lxml's HTML cleaner, shipped apart since then.
if [ "$1" = trafilatura ]; then "$VENV/bin/python" -c "import lxml_html_clean" 2>/dev/null || "$VENV/bin/pip" install -q lxml_html_clean; fi
[ -x "$HERALD" ] || { echo "build first: make release" >&2; exit 1; }
