#!/usr/bin/env bash
# A multi-host lab for humans, with the same layout as test/helpers/netns.ts:
#   <prefix>_br       namespace holding bridge br0; veth vh<i> per host is a port of br0
#   <prefix>-<host>   one namespace per host: eth0 with 10.231.0.<11+i>/24, lo up
# No default route, no forwarding, no NAT: only lab addresses and loopback are reachable.
# The default prefix `cclab` never matches the tests' `cc<pid>x<n>` pattern, so test runs never
# sweep a lab started here (and `down` here never touches a test's lab).
#
# usage: scripts/netns-lab.sh up [HOST[:REGION] ...]   (default: coordinator agent-a:eu agent-b:eu agent-c:us target)
#        scripts/netns-lab.sh down | status
#        scripts/netns-lab.sh exec HOST CMD [ARG...]    run a command inside HOST
#        scripts/netns-lab.sh cut|heal HOST             veth down/up on the bridge side
#        scripts/netns-lab.sh block|unblock HOST PEER   nft drop to and from PEER inside HOST
#        scripts/netns-lab.sh ping HOST PEER            one ping from HOST to PEER's address
#        scripts/netns-lab.sh hang|unhang HOST PORT     drop inbound TCP to PORT inside HOST (connects time out)
# environment: CCLAB_PREFIX (default cclab; letters only, must not look like cc<digits>x<digits>)
set -euo pipefail

PREFIX="${CCLAB_PREFIX:-cclab}"
SUBNET=10.231.0
STATE_DIR=/run/crosscheck-netns-lab
STATE="$STATE_DIR/$PREFIX.hosts"
BRIDGE_NS="${PREFIX}_br"
NFT_TABLE=crosscheck_lab
PORT_TABLE=crosscheck_lab_ports
DEFAULT_HOSTS=(coordinator agent-a:eu agent-b:eu agent-c:us target)

die() { echo "netns-lab: $*" >&2; exit 1; }

[[ "$PREFIX" =~ ^[a-z]{1,8}$ ]] || die "CCLAB_PREFIX must be 1-8 lowercase letters"
[ "$(id -u)" = 0 ] || die "needs root (ip netns)"
command -v ip >/dev/null || die "ip (iproute2) is not installed"

ns_exists() { ip netns list | awk '{print $1}' | grep -qxF "$1"; }

# Prints "name address region veth" for each host of the running lab.
hosts() { [ -f "$STATE" ] && cat "$STATE" || true; }

host_field() { # host_field NAME COLUMN
  local line
  line="$(hosts | awk -v n="$1" '$1 == n')"
  [ -n "$line" ] || die "no host '$1' in lab $PREFIX (see: $0 status)"
  echo "$line" | awk -v c="$2" '{print $c}'
}

cmd_up() {
  local specs=("$@")
  [ "${#specs[@]}" -gt 0 ] || specs=("${DEFAULT_HOSTS[@]}")
  [ "${#specs[@]}" -le 200 ] || die "at most 200 hosts"
  ns_exists "$BRIDGE_NS" && die "lab $PREFIX is already up (run: $0 down)"
  mkdir -p "$STATE_DIR"
  : >"$STATE"
  trap 'echo "netns-lab: setup failed, tearing down" >&2; cmd_down >/dev/null 2>&1 || true' ERR
  ip netns add "$BRIDGE_NS"
  ip -n "$BRIDGE_NS" link set lo up
  ip -n "$BRIDGE_NS" link add br0 type bridge
  ip -n "$BRIDGE_NS" link set br0 up
  local i=0 spec name region ns address
  for spec in "${specs[@]}"; do
    name="${spec%%:*}"
    region="-"
    [[ "$spec" == *:* ]] && region="${spec#*:}"
    [[ "$name" =~ ^[a-z0-9][a-z0-9-]{0,31}$ ]] || die "bad host name '$name' ([a-z0-9-], 1-32 chars)"
    ns="$PREFIX-$name"
    ns_exists "$ns" && die "namespace $ns already exists"
    address="$SUBNET.$((11 + i))"
    ip netns add "$ns"
    ip -n "$BRIDGE_NS" link add "vh$i" type veth peer name eth0 netns "$ns"
    ip -n "$BRIDGE_NS" link set "vh$i" master br0 up
    ip -n "$ns" addr add "$address/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    echo "$name $address $region vh$i" >>"$STATE"
    i=$((i + 1))
  done
  trap - ERR
  cmd_status
}

cmd_down() {
  local ns pids
  for ns in $(ip netns list | awk '{print $1}' | grep -E "^${PREFIX}(-|_br$)" || true); do
    pids="$(ip netns pids "$ns" || true)"
    if [ -n "$pids" ]; then
      # shellcheck disable=SC2086 # one pid per word
      kill -TERM $pids 2>/dev/null || true
      sleep 1
      # shellcheck disable=SC2086
      kill -KILL $pids 2>/dev/null || true
    fi
    ip netns del "$ns"
    echo "deleted $ns"
  done
  rm -f "$STATE"
}

cmd_status() {
  ns_exists "$BRIDGE_NS" || { echo "lab $PREFIX is down"; return 0; }
  printf '%-14s %-22s %-14s %-8s %s\n' HOST NAMESPACE ADDRESS REGION LINK
  local name address region veth state blocked
  while read -r name address region veth; do
    state=down
    ip -n "$BRIDGE_NS" -o link show "$veth" | grep -q '[<,]UP[,>]' && state=up
    blocked="$(current_blocks "$name" | paste -sd, -)"
    printf '%-14s %-22s %-14s %-8s %s%s\n' "$name" "$PREFIX-$name" "$address" "$region" "$state" \
      "${blocked:+  blocked: $blocked}"
  done < <(hosts)
}

# Rewrites HOST's nft table from scratch with the given blocked addresses (same ruleset as netns.ts).
apply_blocks() { # apply_blocks HOST ADDR...
  local ns="$PREFIX-$1"
  shift
  command -v nft >/dev/null || die "nft (nftables) is not installed"
  {
    echo "table inet $NFT_TABLE"
    echo "delete table inet $NFT_TABLE"
    echo "table inet $NFT_TABLE {"
    echo "  set blocked { type ipv4_addr; }"
    echo "  chain output { type filter hook output priority 0; policy accept; ip daddr @blocked drop; }"
    echo "  chain input { type filter hook input priority 0; policy accept; ip saddr @blocked drop; }"
    echo "}"
    if [ "$#" -gt 0 ]; then
      local IFS=,
      echo "add element inet $NFT_TABLE blocked { $* }"
    fi
  } | ip netns exec "$ns" nft -f -
}

current_blocks() { # current_blocks HOST -> one address per line
  ip netns exec "$PREFIX-$1" nft list set inet "$NFT_TABLE" blocked 2>/dev/null |
    sed -n 's/.*elements = { \(.*\) }.*/\1/p' | tr ',' '\n' | tr -d ' ' | grep -v '^$' || true
}

cmd_block() {
  local host="$1" peer_address
  peer_address="$(host_field "$2" 2)"
  host_field "$host" 1 >/dev/null
  mapfile -t addrs < <({ current_blocks "$host"; echo "$peer_address"; } | sort -u)
  apply_blocks "$host" "${addrs[@]}"
}

cmd_unblock() {
  local host="$1" peer_address
  peer_address="$(host_field "$2" 2)"
  host_field "$host" 1 >/dev/null
  mapfile -t addrs < <(current_blocks "$host" | grep -vxF "$peer_address" || true)
  apply_blocks "$host" "${addrs[@]}"
}

# Rewrites HOST's port table with the given dropped TCP ports (same ruleset as netns-ports.ts).
apply_ports() { # apply_ports HOST PORT...
  local ns="$PREFIX-$1"
  shift
  command -v nft >/dev/null || die "nft (nftables) is not installed"
  {
    echo "table inet $PORT_TABLE"
    echo "delete table inet $PORT_TABLE"
    echo "table inet $PORT_TABLE {"
    echo "  set ports { type inet_service; }"
    echo "  chain input { type filter hook input priority 0; policy accept; tcp dport @ports drop; }"
    echo "}"
    if [ "$#" -gt 0 ]; then
      local IFS=,
      echo "add element inet $PORT_TABLE ports { $* }"
    fi
  } | ip netns exec "$ns" nft -f -
}

current_ports() { # current_ports HOST -> one port per line
  ip netns exec "$PREFIX-$1" nft list set inet "$PORT_TABLE" ports 2>/dev/null |
    sed -n 's/.*elements = { \(.*\) }.*/\1/p' | tr ',' '\n' | tr -d ' ' | grep -v '^$' || true
}

cmd_hang() { # cmd_hang hang|unhang HOST PORT
  host_field "$2" 1 >/dev/null
  [[ "$3" =~ ^[0-9]{1,5}$ ]] || die "bad port '$3'"
  if [ "$1" = hang ]; then
    mapfile -t ports < <({ current_ports "$2"; echo "$3"; } | sort -un)
  else
    mapfile -t ports < <(current_ports "$2" | grep -vxF "$3" || true)
  fi
  apply_ports "$2" "${ports[@]}"
}

action="${1:-}"
[ "$#" -gt 0 ] && shift
case "$action" in
  up) cmd_up "$@" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  exec)
    [ "$#" -ge 2 ] || die "usage: $0 exec HOST CMD [ARG...]"
    host_field "$1" 1 >/dev/null
    ns="$PREFIX-$1"
    shift
    exec ip netns exec "$ns" "$@"
    ;;
  cut | heal)
    [ "$#" = 1 ] || die "usage: $0 $action HOST"
    veth="$(host_field "$1" 4)"
    ip -n "$BRIDGE_NS" link set "$veth" "$([ "$action" = cut ] && echo down || echo up)"
    ;;
  block) [ "$#" = 2 ] || die "usage: $0 block HOST PEER"; cmd_block "$1" "$2" ;;
  unblock) [ "$#" = 2 ] || die "usage: $0 unblock HOST PEER"; cmd_unblock "$1" "$2" ;;
  hang | unhang) [ "$#" = 2 ] || die "usage: $0 $action HOST PORT"; cmd_hang "$action" "$1" "$2" ;;
  ping)
    [ "$#" = 2 ] || die "usage: $0 ping HOST PEER"
    host_field "$1" 1 >/dev/null
    peer_address="$(host_field "$2" 2)"
    ip netns exec "$PREFIX-$1" ping -n -c1 -W1 "$peer_address"
    ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; [ -z "$action" ] || [ "$action" = help ] || exit 2 ;;
esac
