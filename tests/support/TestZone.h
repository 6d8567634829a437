// A test DNS zone with real hosts behind it, for the egress tests: the network namespace "covedns" behind
// a veth pair, with addresses 10.251.0.2-4, a DNS server on .2 answering the zone, and on every address an
// HTTP server (port 80) and a TLS server (port 443) that answer "<protocol> <address> <name asked for>".
// Sandbox-side, probe() resolves a name as the sandbox's programs do and connects.
#pragma once

#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QProcess>
#include <QString>

namespace cove::test {

class TestZone {
public:
    static constexpr const char* kResolver = "10.251.0.2";
    static constexpr const char* kHostA = "10.251.0.2";    // a.test
    static constexpr const char* kHostB = "10.251.0.3";    // b.test
    static constexpr const char* kHostWild = "10.251.0.4"; // *.wild.test
    static constexpr const char* kSubnet = "10.251.0.0/24";

    // Makes the namespace and starts its servers; rebind.test answers 127.0.0.1 and gw.test `gateway`
    // (the sandbox bridge's). Returns false with error() set.
    bool start(const QString& gateway);
    void stop();
    QString error() const { return m_error; }
    // coved's options for this zone.
    static QStringList covedArgs();

    // Puts the probe script into the sandbox (/tmp/egress.py).
    static void install(const Sandboxes& sb, const QString& id);
    // In the sandbox: resolves `name` (unless `address` is given) and connects over `protocol` ("http" or
    // "tls", sending `name` as Host or server name) — "OK <reply>", "NX" (no such name) or "ERR <what>".
    static QString probe(const Sandboxes& sb, const QString& id, const QString& protocol, const QString& name,
                         const QString& address = {});

private:
    QProcess m_server;
    QString m_error;
};

} // namespace cove::test
