#!/bin/sh
# Installs Crosscheck as a systemd service on a machine with Node.js 24.7+ and npm:
# creates the `crosscheck` system user, installs the package globally (from npm, or from a
# tarball made by `npm pack`), installs packaging/systemd/crosscheck.service with ExecStart
# pointing at it, and starts it. Run as root. docs/install.md, "systemd".
#
#   sh install.sh [--tarball FILE] [--prefix DIR] [--unit-dir DIR] [--no-start] [--dry-run]
#   sh install.sh --print-unit [--prefix DIR]   # the unit this would install, on stdout
set -eu

PACKAGE=crosscheck
PREFIX=/usr/local
UNIT_DIR=/etc/systemd/system
SERVICE_USER=crosscheck
STATE_DIR=/var/lib/crosscheck
START=1
DRY_RUN=0
PRINT_UNIT=0

die() {
  printf 'install.sh: %s\n' "$1" >&2
  exit 2
}

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
}

while [ "$#" -gt 0 ]; do
  case "$1" in
    --tarball)
      [ "$#" -ge 2 ] || die '--tarball needs a file'
      PACKAGE=$2
      shift 2
      ;;
    --prefix)
      [ "$#" -ge 2 ] || die '--prefix needs a directory'
      PREFIX=$2
      shift 2
      ;;
    --unit-dir)
      [ "$#" -ge 2 ] || die '--unit-dir needs a directory'
      UNIT_DIR=$2
      shift 2
      ;;
    --no-start)
      START=0
      shift
      ;;
    --dry-run)
      DRY_RUN=1
      shift
      ;;
    --print-unit)
      PRINT_UNIT=1
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done

# The unit shipped next to this script (a checkout) or inside the installed package.
find_unit() {
  for candidate in \
    "$(dirname "$0")/systemd/crosscheck.service" \
    "$PREFIX/lib/node_modules/crosscheck/packaging/systemd/crosscheck.service"; do
    if [ -f "$candidate" ]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

render_unit() {
  unit=$(find_unit) || die 'crosscheck.service not found next to this script nor in the installed package'
  sed "s#^ExecStart=/usr/local/bin/crosscheck #ExecStart=$PREFIX/bin/crosscheck #" "$unit"
}

if [ "$PRINT_UNIT" = 1 ]; then
  render_unit
  exit 0
fi

# Each step is printed; --dry-run prints without running.
run() {
  printf '+ %s\n' "$*"
  if [ "$DRY_RUN" = 0 ]; then
    "$@"
  fi
}

if [ "$DRY_RUN" = 0 ] && [ "$(id -u)" != 0 ]; then
  die 'run as root (or try --dry-run)'
fi
command -v node >/dev/null 2>&1 || die 'Node.js 24.7 or newer is required (node not found)'
command -v npm >/dev/null 2>&1 || die 'npm is required'
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 24 || (a === 24 && b >= 7) ? 0 : 1)' ||
  die "Node.js 24.7 or newer is required; this is $(node --version)"

if id "$SERVICE_USER" >/dev/null 2>&1; then
  printf 'user %s exists\n' "$SERVICE_USER"
else
  run useradd --system --user-group --home-dir "$STATE_DIR" --no-create-home \
    --shell /usr/sbin/nologin "$SERVICE_USER"
fi

run npm install --global --prefix "$PREFIX" --no-audit --no-fund "$PACKAGE"

run mkdir -p "$UNIT_DIR"
printf '+ render crosscheck.service > %s\n' "$UNIT_DIR/crosscheck.service"
if [ "$DRY_RUN" = 0 ]; then
  render_unit >"$UNIT_DIR/crosscheck.service"
  chmod 0644 "$UNIT_DIR/crosscheck.service"
fi

if [ "$START" = 1 ]; then
  run systemctl daemon-reload
  run systemctl enable --now crosscheck.service
  printf 'crosscheck is running (journalctl -u crosscheck), API on 127.0.0.1:7434\n'
else
  printf 'installed; start it with: systemctl daemon-reload && systemctl enable --now crosscheck\n'
fi
if [ "$DRY_RUN" = 1 ]; then
  printf '(dry run: nothing was changed)\n'
fi
