# Shared paths for the stack scripts; sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Tools live outside the clone so a fresh clone on the same machine reuses them.
TOOLS_DIR="${MEET_TOOLS_DIR:-$HOME/.cache/meet-tools}"
VENV="$TOOLS_DIR/venv"
# Server data and logs stay inside the clone, git-ignored.
STATE_DIR="${MEET_STATE_DIR:-$ROOT/.stack}"
export PATH="$TOOLS_DIR/bin:$PATH"
