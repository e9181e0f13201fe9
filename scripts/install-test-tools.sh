#!/usr/bin/env bash
# Installs the system tools the test suite and the lab use, when missing:
# dig (bind9-dnsutils), NSD and Knot (independent authoritative servers for the
# simulated internet), Unbound and dnsperf (benchmarks), docker-compose (to
# validate docker-compose.yml), iproute2 (network namespaces for the stub-
# resolver tests). Debian/Ubuntu only; uses sudo when not root.
set -euo pipefail
need=()
command -v dig >/dev/null || need+=(bind9-dnsutils)
command -v nsd >/dev/null || [ -x /usr/sbin/nsd ] || need+=(nsd)
command -v knotd >/dev/null || [ -x /usr/sbin/knotd ] || need+=(knot)
command -v unbound >/dev/null || [ -x /usr/sbin/unbound ] || need+=(unbound)
command -v dnsperf >/dev/null || need+=(dnsperf)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v ip >/dev/null || [ -x /usr/sbin/ip ] || need+=(iproute2)
command -v getent >/dev/null || need+=(libc-bin)
command -v setcap >/dev/null || [ -x /usr/sbin/setcap ] || need+=(libcap2-bin)
command -v taskset >/dev/null || need+=(util-linux)
if [ ${#need[@]} -eq 0 ]; then
  echo "test tools: all present"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "test tools: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# Debian's nsd/knot/unbound packages try to start their daemons; a policy-rc.d
# that says "no" keeps them from taking port 53 on a machine with an init system.
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
