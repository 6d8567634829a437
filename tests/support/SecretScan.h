// Looks for a secret's value inside a sandbox: in every file (but /proc, /sys, /dev) and in every other
// process's environment, command line and readable memory. The search is handed the value reversed, so only
// its own memory holds it. Prints "files N", "environ N", "cmdline N", "memory N", "scanned N" (mappings
// read), one a line.
#pragma once

#include "support/Sandboxes.h"

#include <algorithm>

namespace cove::test {

inline constexpr const char* kSecretScan =
    R"SCAN(python3 -c "print('REVERSED'[::-1], end='')" > /dev/shm/needle
echo "files $(grep -rlsF -f /dev/shm/needle / --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev | wc -l)"
rm /dev/shm/needle
python3 -c '
import os
needle = b"REVERSED"[::-1]
me = str(os.getpid())
counts = {"environ": 0, "cmdline": 0, "memory": 0}
scanned = 0
for p in os.listdir("/proc"):
    if not p.isdigit() or p == me:
        continue
    for what in ("environ", "cmdline"):
        try:
            counts[what] += open("/proc/%s/%s" % (p, what), "rb").read().count(needle)
        except OSError:
            pass
    try:
        mem = open("/proc/%s/mem" % p, "rb")
        for line in open("/proc/%s/maps" % p):
            span, perms = line.split()[:2]
            if "r" not in perms:
                continue
            a, b = (int(x, 16) for x in span.split("-"))
            try:
                mem.seek(a)
                counts["memory"] += mem.read(b - a).count(needle)
                scanned += 1
            except (OSError, OverflowError, ValueError):
                pass
    except OSError:
        pass
for k in ("environ", "cmdline", "memory"):
    print(k, counts[k])
print("scanned", scanned)
')SCAN";

// What the scan printed for `value` (ASCII) in the sandbox.
inline QByteArray scanForSecret(const Sandboxes& sb, const QString& id, const QByteArray& value) {
    QByteArray reversed = value;
    std::reverse(reversed.begin(), reversed.end());
    return sb
        .exec(id, QString::fromLatin1(kSecretScan)
                      .replace(QStringLiteral("REVERSED"), QString::fromLatin1(reversed)))
        .out;
}

// Whether the scan found the value nowhere (and read some memory).
inline bool secretNowhere(const QByteArray& scan) {
    return scan.contains("files 0\nenviron 0\ncmdline 0\nmemory 0\n") && scan.contains("scanned ") &&
           !scan.contains("scanned 0\n");
}

} // namespace cove::test
