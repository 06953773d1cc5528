#!/bin/sh
# Installs the EdgePack keyword spotter as a systemd service on a Raspberry Pi (64-bit Raspberry
# Pi OS, Debian arm64), run as root from a folder holding:
#   edgepack-device            (from .build/aarch64/ after Toolchain/build-device on the build host)
#   kws_bifsmn.epk             (or any keyword-spotting .epk)
#   edgepack-kws.service, edgepack-kws.conf, install.sh   (this folder)
# Usage: sudo ./install.sh               install, or update and restart the service
#        sudo ./install.sh --uninstall   remove the service and the program (kws.conf is kept)
#        DESTDIR=/some/root ./install.sh  only place the files under that root (an image being
#                                        built): no root, users, packages or systemctl needed
# The program needs only glibc >= 2.28 and libasound2.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${DESTDIR:-}
unit=edgepack-kws.service
die() { echo "install.sh: $*" >&2; exit 1; }

action=install
case "${1:-}" in
  "") ;;
  --uninstall) action=uninstall ;;
  *) echo "usage: install.sh [--uninstall]   (DESTDIR=ROOT to place the files under ROOT)" >&2; exit 64 ;;
esac

if [ -z "$root" ]; then
  [ "$(id -u)" = 0 ] || die "run as root: sudo $0 ${1:-}"
  # The userland decides, not the kernel: 32-bit Raspberry Pi OS runs a 64-bit kernel on a Pi 4
  # or 5, where uname -m says aarch64 but there is no 64-bit glibc to run the program.
  arch=$(dpkg --print-architecture 2>/dev/null || echo unknown)
  [ "$arch" = arm64 ] || die "this system's userland is $arch; the program needs arm64 (64-bit Raspberry Pi OS or Debian arm64)"
fi

if [ "$action" = uninstall ]; then
  if [ -z "$root" ]; then
    systemctl disable --now "$unit" 2>/dev/null || true
  fi
  rm -f "$root/etc/systemd/system/$unit" "$root/opt/edgepack/bin/edgepack-device"
  rm -rf "$root/opt/edgepack/models"
  rmdir "$root/opt/edgepack/bin" "$root/opt/edgepack" 2>/dev/null || true
  [ -z "$root" ] && systemctl daemon-reload
  echo "uninstalled; kept $root/etc/edgepack/kws.conf and the user edgepack (userdel edgepack to remove it)"
  exit 0
fi

# The program must be an aarch64 ELF file (e_machine 183 at byte 18), not a host build copied by mistake.
[ -f "$here/edgepack-device" ] || die "$here/edgepack-device missing (build it with Toolchain/build-device)"
machine=$(od -An -tu1 -j18 -N2 "$here/edgepack-device" | tr -s ' ')
[ "$machine" = " 183 0" ] || die "$here/edgepack-device is not an aarch64 program"

if [ -z "$root" ]; then
  dpkg -s libasound2 >/dev/null 2>&1 || dpkg -s libasound2t64 >/dev/null 2>&1 || apt-get install -y libasound2
  id edgepack >/dev/null 2>&1 ||
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --groups audio edgepack
fi
install -d "$root/opt/edgepack/bin" "$root/opt/edgepack/models" "$root/etc/edgepack" "$root/etc/systemd/system"
install -m 0755 "$here/edgepack-device" "$root/opt/edgepack/bin/edgepack-device"
for m in "$here"/*.epk; do [ -e "$m" ] && install -m 0644 "$m" "$root/opt/edgepack/models/"; done
install -m 0644 "$here/$unit" "$root/etc/systemd/system/$unit"
conf="$root/etc/edgepack/kws.conf"
if [ ! -e "$conf" ]; then
  install -m 0644 "$here/edgepack-kws.conf" "$conf"
  # A first install on the Pi takes the microphone when there is exactly one.
  if [ -z "$root" ]; then
    found=$(/opt/edgepack/bin/edgepack-device kws --list-devices 2>/dev/null | cut -d' ' -f1 || true)
    if [ -n "$found" ] && [ "$(echo "$found" | wc -l)" = 1 ]; then
      sed -i "s|^ALSA_DEVICE=.*|ALSA_DEVICE=$found|" "$conf"
      echo "microphone: $found"
    else
      echo "set ALSA_DEVICE in $conf (edgepack-device kws --list-devices lists the microphones)"
    fi
  fi
fi

if [ -n "$root" ]; then
  echo "placed under $root; on the Pi: systemctl enable --now $unit (after creating the user edgepack)"
  exit 0
fi
# Check the model and the program before the service relies on them.
/opt/edgepack/bin/edgepack-device inspect "$(. "$conf"; echo "$MODEL")" >/dev/null
systemctl daemon-reload
systemctl enable "$unit"
systemctl restart "$unit"     # a reinstall runs the new program at once
echo "installed; follow detections with: journalctl -u edgepack-kws -f"
