#include "support/TestZone.h"

#include <QTcpSocket>
#include <QtTest>

namespace cove::test {

namespace {

const QString kNamespace = QStringLiteral("covedns");

// The zone's servers, in one Python process: DNS on .2:53 (UDP), HTTP on :80, TLS on :443 (a self-signed
// certificate made at start; the probe does not verify it, only the name it sends matters here).
const char* kServers = R"py(import socket, socketserver, ssl, struct, subprocess, sys, threading
gateway = sys.argv[1]
zone = {"a.test": "10.251.0.2", "b.test": "10.251.0.3", "rebind.test": "127.0.0.1", "gw.test": gateway}
def lookup(name):
    if name in zone: return zone[name]
    if name.endswith(".wild.test"): return "10.251.0.4"
    return None
def dns():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.251.0.2", 53))
    while True:
        q, peer = s.recvfrom(4096)
        try:
            i, labels = 12, []
            while q[i]:
                labels.append(q[i+1:i+1+q[i]].decode().lower()); i += 1 + q[i]
            qtype = struct.unpack(">H", q[i+1:i+3])[0]
            question = q[12:i+5]
            address = lookup(".".join(labels))
            rcode = 0 if address else 3
            answers = b""
            if address and qtype == 1:
                answers = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 30, 4) + socket.inet_aton(address)
            s.sendto(q[:2] + struct.pack(">HHHHH", 0x8180 | rcode, 1, 1 if answers else 0, 0, 0) + question + answers, peer)
        except Exception:
            pass
class Http(socketserver.BaseRequestHandler):
    def handle(self):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.request.recv(4096)
            if not chunk: return
            head += chunk
        host = b""
        for line in head.split(b"\r\n")[1:]:
            if line.lower().startswith(b"host:"): host = line[5:].strip()
        if head.startswith(b"GET /big"):
            self.request.sendall(b"HTTP/1.0 200 OK\r\n\r\n")
            block = b"x" * 65536
            for _ in range(1600):
                self.request.sendall(block)
            return
        if head.startswith(b"GET /hold"):
            self.request.sendall(b"HTTP/1.0 200 OK\r\n\r\n")
            for _ in range(60):
                self.request.sendall(b".")
                threading.Event().wait(1)
            return
        body = b"http " + self.request.getsockname()[0].encode() + b" " + host
        self.request.sendall(b"HTTP/1.0 200 OK\r\n\r\n" + body)
class Tls(socketserver.BaseRequestHandler):
    def handle(self):
        names = []
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain("/tmp/covedns.pem")
        context.sni_callback = lambda sock, name, ctx: names.append(name or "")
        c = context.wrap_socket(self.request, server_side=True)
        c.recv(4096)
        c.sendall(b"HTTP/1.0 200 OK\r\n\r\ntls " + c.getsockname()[0].encode() + b" " + (names[0] if names else "").encode())
        c.close()
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=test", "-days", "1",
                "-keyout", "/tmp/covedns.pem", "-out", "/tmp/covedns.crt"], check=True, capture_output=True)
open("/tmp/covedns.pem", "a").write(open("/tmp/covedns.crt").read())
socketserver.ThreadingTCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer.daemon_threads = True
threading.Thread(target=dns, daemon=True).start()
threading.Thread(target=socketserver.ThreadingTCPServer(("0.0.0.0", 443), Tls).serve_forever, daemon=True).start()
print("ready", flush=True)
socketserver.ThreadingTCPServer(("0.0.0.0", 80), Http).serve_forever()
)py";

// Runs in the sandbox: egress.py PROTOCOL NAME [ADDRESS].
const char* kProbe = R"py(import socket, ssl, sys
protocol, name = sys.argv[1], sys.argv[2]
try:
    address = sys.argv[3] if len(sys.argv) > 3 else socket.gethostbyname(name)
except Exception:
    print("NX"); sys.exit()
try:
    s = socket.create_connection((address, 443 if protocol == "tls" else 80), timeout=5)
    if protocol == "tls":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        s = context.wrap_socket(s, server_hostname=name)
    s.sendall(b"GET / HTTP/1.0\r\nHost: " + name.encode() + b"\r\n\r\n")
    reply = b""
    while True:
        chunk = s.recv(4096)
        if not chunk: break
        reply += chunk
    body = reply.split(b"\r\n\r\n", 1)[-1].decode()
    print("OK " + body if body else "ERR closed")
except Exception as e:
    print("ERR", type(e).__name__)
)py";

} // namespace

bool TestZone::start(const QString& gateway) {
    stop();
    const QString made =
        sh(QStringLiteral("set -e; ip netns add %1; ip link add egress-host type veth peer name "
                          "egress-ns; ip link set egress-ns netns %1; ip addr add 10.251.0.1/24 "
                          "dev egress-host; ip link set egress-host up; for a in 2 3 4; do ip -n "
                          "%1 addr add 10.251.0.$a/24 dev egress-ns; done; ip -n %1 link set "
                          "egress-ns up; ip -n %1 link set lo up; ip -n %1 route add default "
                          "via 10.251.0.1; echo made")
               .arg(kNamespace));
    if (!made.endsWith(QStringLiteral("made"))) {
        m_error = made;
        return false;
    }
    m_server.start(QStringLiteral("ip"),
                   {QStringLiteral("netns"), QStringLiteral("exec"), kNamespace, QStringLiteral("python3"),
                    QStringLiteral("-u"), QStringLiteral("-c"), QString::fromLatin1(kServers), gateway});
    if (!m_server.waitForStarted()) {
        m_error = QStringLiteral("the zone's servers did not start");
        return false;
    }
    QElapsedTimer t;
    t.start();
    while (!m_server.readAllStandardOutput().contains("ready") && t.elapsed() < 20000)
        m_server.waitForReadyRead(1000);
    if (m_server.state() != QProcess::Running) {
        m_error = QString::fromUtf8(m_server.readAllStandardError());
        return false;
    }
    return true;
}

void TestZone::stop() {
    if (m_server.state() != QProcess::NotRunning) {
        m_server.kill();
        m_server.waitForFinished();
    }
    sh(QStringLiteral("ip netns del %1 2>/dev/null; ip link del egress-host 2>/dev/null; true")
           .arg(kNamespace));
}

QStringList TestZone::covedArgs() {
    return {QStringLiteral("--egress-dns"), QString::fromLatin1(kResolver),
            QStringLiteral("--egress-internal"), QString::fromLatin1(kSubnet)};
}

void TestZone::install(const Sandboxes& sb, const QString& id) {
    sb.exec(id, QStringLiteral("echo %1 | base64 -d > /tmp/egress.py")
                    .arg(QString::fromLatin1(QByteArray(kProbe).toBase64())));
}

QString TestZone::probe(const Sandboxes& sb, const QString& id, const QString& protocol, const QString& name,
                        const QString& address) {
    return QString::fromUtf8(
               sb.exec(id, QStringLiteral("python3 /tmp/egress.py %1 %2 %3").arg(protocol, name, address))
                   .out)
        .trimmed();
}

} // namespace cove::test
