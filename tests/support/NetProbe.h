// Scripts the network tests put into sandboxes: a server that answers every connection, and a probe that
// says whether a connection got through.
#pragma once

#include "support/Http.h"

#include <QString>

namespace cove::test {

// A server that answers every connection with "hello" (no name lookups, unlike http.server).
inline constexpr const char* kServer = R"py(import socketserver, sys
class H(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.recv(1024)
        self.request.sendall(b"HTTP/1.0 200 OK\r\n\r\nhello")
socketserver.ThreadingTCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer(("0.0.0.0", int(sys.argv[1])), H).serve_forever()
)py";

// Connects and prints "OK <body>" or "ERR <what failed>".
inline constexpr const char* kProbe = R"py(import socket, sys
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
    s.sendall(b"GET / HTTP/1.0\r\n\r\n")
    print("OK", s.recv(200).split(b"\r\n\r\n")[-1].decode())
except Exception as e:
    print("ERR", type(e).__name__)
)py";

// A shell command that writes both to /tmp/server.py and /tmp/probe.py.
inline QString probeSetup() {
    QString out;
    for (const auto& [file, text] : {std::pair{"probe", kProbe}, std::pair{"server", kServer}})
        out += QStringLiteral("echo %1 | base64 -d > /tmp/%2.py; ")
                   .arg(QString::fromLatin1(QByteArray(text).toBase64()), QLatin1String(file));
    return out;
}

} // namespace cove::test
