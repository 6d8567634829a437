// Toolbox figures through coved, each next to a Docker baseline measured in the same run on the same
// sandbox. Prints a table; asserts nothing.
//   build/tests/bench_toolbox [calls]
#include "bench/Bench.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Loopback.h"
#include "support/Sandboxes.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QHttpMultiPart>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryFile>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>
#include <netinet/tcp.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cove::test;
using namespace cove::bench;

namespace {

// One request from a plain blocking socket, read to the end: the call as a client with no event loop
// of its own makes it. Whether the answer was a 200.
bool rawCall(quint16 port, const QByteArray& request) {
    const int fd = connectLoopback(port);
    if (fd < 0)
        return false;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    bool ok = ::send(fd, request.constData(), std::size_t(request.size()), MSG_NOSIGNAL) == request.size();
    QByteArray answer;
    char piece[4096];
    for (ssize_t n = 0; ok && (n = ::recv(fd, piece, sizeof piece, 0)) > 0;)
        answer.append(piece, n);
    ::close(fd);
    return ok && answer.startsWith("HTTP/1.1 200 ");
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int calls = argc > 1 ? std::max(10, atoi(argv[1])) : 200;
    CovedProcess coved;
    if (!startCoved(coved))
        return 1;
    Sandboxes sb(coved);
    const QString id = sb.create();
    const QString container = QStringLiteral("cove-") + id;
    const QString key = coved.adminKey();
    std::printf("calls: %d; times in ms\n\n", calls);
    header("Cove");

    // Exec round trip of `true`: from the Qt client the dashboard uses, and from a plain socket (what
    // coved and the agent add, without a client's own event loop), each call next to the floor's.
    Stats exec, rawExec, dockerExec, floor;
    const QString execUrl =
        coved.url() + QStringLiteral("/toolbox/") + id + QStringLiteral("/process/execute");
    const QByteArray body = R"({"command":"true"})";
    const QByteArray rawRequest =
        "POST /toolbox/" + id.toUtf8() +
        "/process/execute HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key.toUtf8() +
        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
        "\r\nConnection: close\r\n\r\n" + body;
    const auto port = quint16(QUrl(coved.url()).port());
    int rawFailed = 0;
    for (int i = 0; i < calls; ++i) {
        exec.ms << timed([&] { request("POST", execUrl, key, body); });
        rawExec.ms << timed([&] { rawFailed += rawCall(port, rawRequest) ? 0 : 1; });
        // The floor: starting /bin/true on the host and waiting for it, with nothing in between.
        floor.ms << timed([] {
            pid_t pid = 0;
            char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
            if (::posix_spawn(&pid, "/bin/true", nullptr, nullptr, argv, environ) == 0)
                ::waitpid(pid, nullptr, 0);
        });
    }
    for (int i = 0; i < std::max(10, calls / 10); ++i)
        dockerExec.ms << timed([&] {
            run(QStringLiteral("docker"), {QStringLiteral("exec"), container, QStringLiteral("true")});
        });
    row("exec `true` through coved", exec, dockerExec, "docker exec <c> true");
    row("exec `true` through coved", exec, floor, "posix_spawn /bin/true on the host");
    row("exec `true`, plain socket client", rawExec, floor, "posix_spawn /bin/true on the host");
    if (rawFailed > 0)
        std::printf("(%d of the plain socket client's calls were not answered 200)\n", rawFailed);
    std::printf("(exec through coved: p50 %.2f ms above the host's spawn floor from the plain socket client, "
                "%.2f ms from the Qt client; goal at most 1 ms; p99 %.2f× p50, goal at most 3×)\n",
                rawExec.pct(0.5) - floor.pct(0.5), exec.pct(0.5) - floor.pct(0.5),
                rawExec.pct(0.99) / std::max(0.001, rawExec.pct(0.5)));

    // 100 MB up and down, against docker cp both ways.
    QTemporaryFile file;
    file.open();
    QByteArray block(1 << 20, Qt::Uninitialized);
    for (int i = 0; i < 100; ++i) {
        for (int j = 0; j < block.size(); j += 4)
            *reinterpret_cast<quint32*>(block.data() + j) = QRandomGenerator::global()->generate();
        file.write(block);
    }
    file.flush();
    QNetworkAccessManager net;
    Stats transfer, dockerCp;
    for (int round = 0; round < 3; ++round) {
        transfer.ms << timed([&] {
            file.seek(0);
            auto* multipart = new QHttpMultiPart(QHttpMultiPart::FormDataType);
            QHttpPart part;
            part.setHeader(QNetworkRequest::ContentDispositionHeader,
                           QStringLiteral("form-data; name=\"file\"; filename=\"big.bin\""));
            part.setBodyDevice(&file);
            multipart->append(part);
            QNetworkRequest up(QUrl(coved.url() + QStringLiteral("/toolbox/") + id +
                                    QStringLiteral("/files/upload?path=big.bin")));
            up.setRawHeader("Authorization", "Bearer " + key.toUtf8());
            QNetworkReply* r = net.post(up, multipart);
            multipart->setParent(r);
            QSignalSpy(r, &QNetworkReply::finished).wait(300000);
            r->deleteLater();
            QNetworkRequest down(QUrl(coved.url() + QStringLiteral("/toolbox/") + id +
                                      QStringLiteral("/files/download?path=big.bin")));
            down.setRawHeader("Authorization", "Bearer " + key.toUtf8());
            r = net.get(down);
            QObject::connect(r, &QNetworkReply::readyRead, [r] { r->readAll(); });
            QSignalSpy(r, &QNetworkReply::finished).wait(300000);
            r->deleteLater();
        });
        QTemporaryFile back;
        back.open();
        dockerCp.ms << timed([&] {
            run(QStringLiteral("docker"),
                {QStringLiteral("cp"), file.fileName(), container + QStringLiteral(":/tmp/big.bin")});
            run(QStringLiteral("docker"),
                {QStringLiteral("cp"), container + QStringLiteral(":/tmp/big.bin"), back.fileName()});
        });
    }
    row("100 MB upload + download", transfer, dockerCp, "docker cp in + out");

    // PTY throughput: `cat` of 100 MB of text in a terminal, read over the WebSocket through coved,
    // against `docker exec -t ... cat`.
    request("POST", execUrl, key,
            R"({"command":"yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c 100000000 > /tmp/t.txt"})");
    Stats pty, dockerTty;
    for (int round = 0; round < 3; ++round) {
        qint64 bytes = 0;
        pty.ms << timed([&] {
            QWebSocket ws;
            QNetworkRequest req(
                QUrl(QStringLiteral("ws") + coved.url().mid(4) + QStringLiteral("/toolbox/") + id +
                     QStringLiteral("/process/pty/create-connect?id=bench%1&cols=200&rows=50").arg(round)));
            req.setRawHeader("Authorization", "Bearer " + key.toUtf8());
            req.setRawHeader("Sec-WebSocket-Protocol", "X-Daytona-Pty-Exit-Control");
            bool exited = false;
            QObject::connect(&ws, &QWebSocket::binaryMessageReceived,
                             [&](const QByteArray& m) { bytes += m.size(); });
            QObject::connect(&ws, &QWebSocket::textMessageReceived, [&](const QString& m) {
                if (m.contains(QStringLiteral("\"connected\"")))
                    ws.sendBinaryMessage("exec cat /tmp/t.txt\n");
                else if (m.contains(QStringLiteral("exit")))
                    exited = true;
                else
                    bytes += m.size();
            });
            QObject::connect(&ws, &QWebSocket::disconnected, [&] { exited = true; });
            ws.open(req);
            QDeadlineTimer deadline(300000);
            while (!exited && !deadline.hasExpired())
                QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
        });
        if (round == 0)
            std::printf("(PTY bytes received per run: %lld)\n", bytes);
        dockerTty.ms << timed([&] {
            run(QStringLiteral("docker"), {QStringLiteral("exec"), QStringLiteral("-t"), container,
                                           QStringLiteral("cat"), QStringLiteral("/tmp/t.txt")});
        });
    }
    row("PTY: cat 100 MB", pty, dockerTty, "docker exec -t <c> cat");

    const auto inspect = run(QStringLiteral("docker"), {QStringLiteral("inspect"), QStringLiteral("-f"),
                                                        QStringLiteral("{{.State.Pid}}"), container});
    const qint64 agentPid = QString::fromUtf8(inspect.out).trimmed().toLongLong();
    std::printf("\nagent RSS after the run: %ld KiB; coved RSS: %ld KiB\n", rssKiB(agentPid),
                rssKiB(coved.pid()));
    sb.removeAll();
    return 0;
}
