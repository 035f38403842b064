#!/usr/bin/env bash
# The baseline for `npm run bench`: the netns lab's topology (nodes, NAT
# routers, host-only switch, internet with a registry, flannel host-gw routes,
# pods wired by the real CNI bridge plugin and running busybox httpd) built by
# a plain shell script, the way one would by hand.
# usage: plain-topology.sh up|down PREFIX NODES PODS
set -euo pipefail
cmd=$1 p=$2 nodes=$3 pods=${4:-0}
state=/tmp/$p-state

if [ "$cmd" = down ]; then
  for ns in $(ip netns list | awk '{print $1}' | grep "^$p-" || true); do
    for pid in $(ip netns pids "$ns"); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns"
  done
  rm -rf "$state"
  exit 0
fi

mkdir -p "$state/www"
echo ok > "$state/www/index.html"
ip netns add "$p-sw"; ip netns add "$p-inet"
ip -n "$p-sw" link add br0 type bridge; ip -n "$p-sw" addr add 192.168.56.1/24 dev br0; ip -n "$p-sw" link set br0 up
ip -n "$p-inet" link add br0 type bridge; ip -n "$p-inet" addr add 203.0.113.100/24 dev br0; ip -n "$p-inet" link set br0 up
for i in $(seq 0 $((nodes - 1))); do
  n="$p-n$i" r="$p-r$i"
  ip netns add "$n"; ip netns add "$r"
  ip link add eth0 netns "$n" type veth peer name lan netns "$r"
  ip link add wan netns "$r" type veth peer name "r$i" netns "$p-inet"
  ip link add eth1 netns "$n" type veth peer name "n$i" netns "$p-sw"
  ip -n "$p-sw" link set "n$i" master br0 up; ip -n "$p-inet" link set "r$i" master br0 up
  ip -n "$r" link set lo up; ip -n "$r" addr add 10.0.2.2/24 dev lan; ip -n "$r" link set lan up
  ip -n "$r" addr add "203.0.113.$((10 + i))/24" dev wan; ip -n "$r" link set wan up
  ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "$r" iptables -t nat -A POSTROUTING -o wan -j MASQUERADE
  ip -n "$n" link set lo up; ip -n "$n" addr add 10.0.2.15/24 dev eth0; ip -n "$n" link set eth0 up
  ip -n "$n" route add default via 10.0.2.2
  ip -n "$n" addr add "192.168.56.$((10 + i))/24" dev eth1; ip -n "$n" link set eth1 up
  ip netns exec "$n" sysctl -qw net.ipv4.ip_forward=1
  for j in $(seq 0 $((nodes - 1))); do
    [ "$j" = "$i" ] || ip -n "$n" route add "10.244.$j.0/24" via "192.168.56.$((10 + j))" dev eth1
  done
done
ip netns exec "$p-inet" busybox httpd -p 203.0.113.100:80 -h "$state/www"
for k in $(seq 0 $((pods - 1))); do
  i=$(( nodes > 1 ? 1 + k % (nodes - 1) : 0 ))
  pod="$p-pod$k"
  ip netns add "$pod"
  ip netns exec "$p-n$i" busybox wget -q -O /dev/null http://203.0.113.100/index.html
  echo "{\"cniVersion\":\"1.0.0\",\"name\":\"cbr0\",\"type\":\"bridge\",\"bridge\":\"cni0\",\"isDefaultGateway\":true,\"ipam\":{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"10.244.$i.0/24\"}]],\"dataDir\":\"$state/ipam$i\"}}" |
    ip netns exec "$p-n$i" env CNI_COMMAND=ADD CNI_CONTAINERID="$pod" CNI_NETNS="/run/netns/$pod" CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni /usr/lib/cni/bridge >/dev/null
  ip netns exec "$pod" busybox httpd -p 80 -h "$state/www"
done
