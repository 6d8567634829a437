// Toolbox figures through coved, each next to a Docker baseline measured in the same run on the same
// sandbox. Prints a table; asserts nothing.
//   build/tests/bench_toolbox [calls]
#include "support/CovedProcess.h"
#include "support/Http.h"
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

using namespace cove::test;

namespace {

struct Stats {
    QVector<double> ms;
    double pct(double p) const {
        if (ms.isEmpty())
            return 0;
        auto v = ms;
        std::sort(v.begin(), v.end());
        return v[std::min<int>(int(v.size()) - 1, int(p * v.size()))];
    }
};

template <typename F> double timed(F&& f) {
    QElapsedTimer t;
    t.start();
    f();
    return t.nsecsElapsed() / 1e6;
}

void row(const char* what, const Stats& cove, const Stats& base, const char* baseline) {
    std::printf("| %-36s | %8.2f | %8.2f | %-30s | %8.2f | %6.3f |\n", what, cove.pct(0.5), cove.pct(0.99),
                baseline, base.pct(0.5), base.pct(0.5) > 0 ? cove.pct(0.5) / base.pct(0.5) : 0.0);
}

long rssKiB(qint64 pid) {
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const auto& line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    return -1;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int calls = argc > 1 ? std::max(10, atoi(argv[1])) : 200;
    CovedProcess coved;
    if (!coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")})) {
        std::fprintf(stderr, "%s\n", qPrintable(coved.error()));
        return 1;
    }
    Sandboxes sb(coved);
    const QString id = sb.create();
    const QString container = QStringLiteral("cove-") + id;
    const QString key = coved.adminKey();
    std::printf("calls: %d; times in ms\n\n", calls);
    std::printf("| %-36s | %8s | %8s | %-30s | %8s | %6s |\n", "Cove", "p50", "p99", "baseline (same run)",
                "p50", "ratio");
    std::printf(
        "|--------------------------------------|----------|----------|--------------------------------|"
        "----------|--------|\n");

    // Exec round trip of `true`.
    Stats exec, dockerExec;
    const QString execUrl =
        coved.url() + QStringLiteral("/toolbox/") + id + QStringLiteral("/process/execute");
    for (int i = 0; i < calls; ++i)
        exec.ms << timed([&] { request("POST", execUrl, key, R"({"command":"true"})"); });
    for (int i = 0; i < std::max(10, calls / 10); ++i)
        dockerExec.ms << timed([&] {
            run(QStringLiteral("docker"), {QStringLiteral("exec"), container, QStringLiteral("true")});
        });
    row("exec `true` through coved", exec, dockerExec, "docker exec <c> true");

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
