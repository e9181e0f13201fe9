#!/usr/bin/env bash
# Installs the system tools the test suite and the lab use, when missing:
# dig and delv (bind9-dnsutils), NSD and Knot (independent authoritative servers
# for the simulated internet), ldnsutils (ldns-keygen, ldns-signzone: the signed
# internet of the DNSSEC tests), Unbound (reference validator, benchmarks),
# dnsperf (benchmarks), docker-compose (to
# validate docker-compose.yml), iproute2 (network namespaces for the stub-
# resolver tests). Debian/Ubuntu only; uses sudo when not root.
set -euo pipefail
need=()
command -v dig >/dev/null || need+=(bind9-dnsutils)
command -v nsd >/dev/null || [ -x /usr/sbin/nsd ] || need+=(nsd)
command -v knotd >/dev/null || [ -x /usr/sbin/knotd ] || need+=(knot)
command -v ldns-signzone >/dev/null || need+=(ldnsutils)
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
# Debian's nsd/knot/unbound packages start their daemons on install, and a
# daemon on 0.0.0.0:53 would take port 53 from the tests' loopback servers. A
# temporary policy-rc.d that says "no" (exit 101) keeps them from starting.
policy=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  made_policy=1
fi
trap '[ -n "$made_policy" ] && $sudo rm -f "$policy"' EXIT
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
# Belt and braces on systemd machines: make sure none of them is left running.
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  $sudo systemctl disable --now nsd knot unbound >/dev/null 2>&1 || true
fi
