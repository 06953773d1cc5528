#!/bin/sh
# Installs the EdgePack keyword spotter as a service on a Raspberry Pi (64-bit Raspberry Pi OS or
# Debian arm64), run as root from a folder holding:
#   edgepack-device            (from .build/aarch64/ after Toolchain/build-device on the build host)
#   kws_bifsmn.epk             (or any keyword-spotting .epk)
#   edgepack-kws.service, edgepack-kws.conf, install.sh   (this folder)
# The program needs only glibc and libasound2 (apt-get install libasound2).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ "$(uname -m)" = aarch64 ] || { echo "install.sh: this is $(uname -m); the device program is for aarch64" >&2; exit 2; }
dpkg -s libasound2 >/dev/null 2>&1 || apt-get install -y libasound2
id edgepack >/dev/null 2>&1 || useradd --system --no-create-home --groups audio edgepack
install -d /opt/edgepack/bin /opt/edgepack/models /etc/edgepack
install -m 0755 "$here/edgepack-device" /opt/edgepack/bin/edgepack-device
for m in "$here"/*.epk; do [ -e "$m" ] && install -m 0644 "$m" /opt/edgepack/models/; done
[ -e /etc/edgepack/kws.conf ] || install -m 0644 "$here/edgepack-kws.conf" /etc/edgepack/kws.conf
install -m 0644 "$here/edgepack-kws.service" /etc/systemd/system/edgepack-kws.service
# Check the model and the binary before the service relies on them.
/opt/edgepack/bin/edgepack-device inspect "$(. /etc/edgepack/kws.conf; echo "$MODEL")" >/dev/null
systemctl daemon-reload
systemctl enable --now edgepack-kws.service
echo "installed; follow detections with: journalctl -u edgepack-kws -f"
