"""Resident memory of a qemu-user guest: the emulator's /proc/PID/smaps entries that lie inside
the guest's own mappings (the guest's /proc/self/maps, which qemu-user emulates, taken at the
same moment). qemu-aarch64 on x86-64 maps the guest at guest_base 0, so addresses coincide;
the probe's own library is reported apart and left out of the total.
usage: python3 guest_rss.py GUEST_MAPS HOST_SMAPS PROBE_NAME"""
import re
import sys

ENTRY = re.compile(r'([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)')


def entries(path):
    out, current = [], None
    for line in open(path):
        m = ENTRY.match(line)
        if m:
            current = [int(m[1], 16), int(m[2], 16), m[3].strip(), 0]
            out.append(current)
        elif line.startswith('Rss:') and current is not None:
            current[3] = int(line.split()[1])
    return out


def main(guest_maps, host_smaps, probe):
    guest = entries(guest_maps)
    if not guest:
        sys.exit('guest_rss: no guest mappings in ' + guest_maps)
    by_name, total, probe_kib = {}, 0, 0
    for start, end, name, rss in entries(host_smaps):
        if not any(gs <= start and end <= ge for gs, ge, _, _ in guest):
            continue
        label = name.rsplit('/', 1)[-1] or '[anonymous]'
        if label == probe:
            probe_kib += rss
            continue
        by_name[label] = by_name.get(label, 0) + rss
        total += rss
    parts = ', '.join(f'{k} {v}' for k, v in sorted(by_name.items(), key=lambda kv: -kv[1]))
    print(f'resident: {total} KiB ({parts}); probe {probe_kib} KiB left out')


if __name__ == '__main__':
    main(*sys.argv[1:4])
