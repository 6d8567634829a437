// The agent's WebSocket routes, spoken to straight on its socket (as coved will tunnel them): followed
// session logs with Daytona's 01/02 stream prefixes, the entrypoint session, and PTYs — create-connect
// with envs in a subprotocol, control frames, exit codes and close codes, the legacy create + connect,
// several clients, resize, kill, and a client too slow to keep up that must not stall the shell.
#include "service/domain/AgentConnector.h"
#include "support/Http.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>

using cove::test::run;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {
const QString kImage = QStringLiteral("cove-base:latest");
// The entrypoint: some output on both streams, then it waits for /tmp/go and exits 4.
const QString kEntrypoint = QStringLiteral(
    "echo out-1; echo err-1 >&2; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo out-2; exit 4");
constexpr int kWaitMs = 20000;

struct Frame {
    bool binary = false;
    std::string data;
};

// A blocking WebSocket client on a unix socket; every wait is bounded.
class WsClient {
public:
    int status = 0;       // of the handshake response
    std::string protocol; // the subprotocol the server chose
    QByteArray refusal;   // the body of a refused upgrade

    bool connect(int fd, const std::string& target, const std::vector<std::string>& protocols = {}) {
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        m_ws.next_layer().assign(asio::local::stream_protocol(), fd);
        std::string offer;
        for (const auto& p : protocols)
            offer += (offer.empty() ? "" : ", ") + p;
        m_ws.set_option(websocket::stream_base::decorator([offer](websocket::request_type& req) {
            if (!offer.empty())
                req.set(beast::http::field::sec_websocket_protocol, offer);
        }));
        m_ws.read_message_max(64u << 20);
        bool ok = false;
        m_ws.async_handshake(m_response, "agent", target, [&](beast::error_code ec) { ok = !ec; });
        wait();
        status = int(m_response.result_int());
        protocol = std::string(m_response[beast::http::field::sec_websocket_protocol]);
        return ok;
    }

    std::optional<Frame> read(int timeoutMs = kWaitMs) {
        std::optional<Frame> out;
        m_buffer.clear();
        m_ws.async_read(m_buffer, [&](beast::error_code ec, std::size_t) {
            if (!ec)
                out = Frame{m_ws.got_binary(), beast::buffers_to_string(m_buffer.data())};
        });
        wait(timeoutMs);
        return out;
    }

    bool send(const std::string& data) {
        bool ok = false;
        m_ws.binary(true);
        m_ws.async_write(asio::buffer(data), [&](beast::error_code ec, std::size_t) { ok = !ec; });
        wait();
        return ok;
    }

    int closeCode() const { return m_ws.reason().code; }
    std::string closeReason() const { return std::string(m_ws.reason().reason.c_str()); }

private:
    // Runs the pending operation to its end, shutting the socket if it takes longer than timeoutMs.
    void wait(int timeoutMs = kWaitMs) {
        m_io.restart();
        m_io.run_for(std::chrono::milliseconds(timeoutMs));
        if (!m_io.stopped()) {
            beast::error_code ignored;
            m_ws.next_layer().close(ignored);
            m_io.restart();
            m_io.run();
        }
    }

    asio::io_context m_io;
    websocket::stream<asio::local::stream_protocol::socket> m_ws{m_io};
    websocket::response_type m_response;
    beast::flat_buffer m_buffer;
};

QJsonObject jsonOf(const std::string& s) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(s)).object();
}
} // namespace

class TestAgentStreams : public QObject {
    Q_OBJECT
    QTemporaryDir runDir;
    QString container;
    pid_t pid = 0;

    int connectFd() {
        const auto c = cove::domain::connectToAgent(runDir.path().toStdString(), pid);
        if (c.fd < 0)
            qWarning("connect: %s", c.error.c_str());
        return c.fd;
    }

    // One plain HTTP request on its own connection.
    cove::test::Reply call(const QByteArray& method, const QByteArray& path, const QByteArray& body = {}) {
        cove::test::Reply r;
        const int fd = connectFd();
        if (fd < 0)
            return r;
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        const QByteArray req =
            method + " " + path + " HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n" +
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
            "\r\n\r\n" + body;
        if (::send(fd, req.constData(), size_t(req.size()), MSG_NOSIGNAL) == req.size()) {
            QByteArray out;
            char buf[4096];
            for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
                out.append(buf, int(n));
            r = cove::test::replyFrom(out);
        }
        ::close(fd);
        return r;
    }

    bool open(WsClient& ws, const std::string& target, const std::vector<std::string>& protocols = {}) {
        const int fd = connectFd();
        return fd >= 0 && ws.connect(fd, target, protocols);
    }

    // Reads a terminal's frames until its `exited` control frame; returns the output seen before it.
    static std::string readUntilExited(WsClient& ws, QJsonObject& exited) {
        std::string output;
        while (auto f = ws.read()) {
            if (!f->binary) {
                const QJsonObject control = jsonOf(f->data);
                if (control.value(QStringLiteral("status")).toString() == QStringLiteral("exited")) {
                    exited = control;
                    break;
                }
                continue;
            }
            output += f->data;
        }
        return output;
    }

private slots:
    void initTestCase() {
        QVERIFY(runDir.isValid());
        // The container's root may be another uid on the host (user namespaces): let it bind there.
        QVERIFY(QFile::setPermissions(runDir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                         QFileDevice::ExeOwner | QFileDevice::ReadOther |
                                                         QFileDevice::WriteOther | QFileDevice::ExeOther));
        container = QStringLiteral("cove-test-agent-streams-%1").arg(QCoreApplication::applicationPid());
        const auto started =
            run(QStringLiteral("docker"),
                {QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), container,
                 QStringLiteral("-e"), QStringLiteral("COVE_SANDBOX_USER=cove"), QStringLiteral("-v"),
                 QStringLiteral(COVE_BIN_DIR "/cove-agent:/usr/local/bin/cove-agent:ro"),
                 QStringLiteral("-v"), runDir.path() + QStringLiteral(":/run/cove"),
                 QStringLiteral("--entrypoint"), QStringLiteral("/usr/local/bin/cove-agent"), kImage,
                 QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"), kEntrypoint});
        QVERIFY2(started.exitCode == 0, started.err.constData());
        const auto inspected = run(QStringLiteral("docker"), {QStringLiteral("inspect"), QStringLiteral("-f"),
                                                              QStringLiteral("{{.State.Pid}}"), container});
        pid = inspected.out.trimmed().toInt();
        QVERIFY(pid > 0);
        QTRY_COMPARE_WITH_TIMEOUT(call("GET", "/version").status, 200, kWaitMs);
    }

    void isSmallWhenIdle() {
        // With the WebSocket, PTY and git code in it, an idle agent keeps little memory of its own. Its
        // resident total is mostly its 3.3 MB static binary's pages, shared with the page cache, and
        // varies with the kernel's fault-around by tens of kB; the bounds say so.
        const long anonKb = cove::test::rssKiB(pid, "RssAnon");
        const long rssKb = cove::test::rssKiB(pid);
        const QString figures = QStringLiteral("%1 kB own, %2 kB resident").arg(anonKb).arg(rssKb);
        QVERIFY2(anonKb > 0 && cove::test::withinMemory(anonKb, 1024), qPrintable(figures));
        QVERIFY2(rssKb > 0 && cove::test::withinMemory(rssKb, 4 * 1024), qPrintable(figures));
    }

    void entrypointSessionLogsFollow() {
        auto r = call("GET", "/process/session/entrypoint");
        QCOMPARE(r.status, 200);
        const auto commands = r.object().value(QStringLiteral("commands")).toArray();
        QCOMPARE(commands.size(), 1);
        QVERIFY(commands[0]
                    .toObject()
                    .value(QStringLiteral("command"))
                    .toString()
                    .contains(QStringLiteral("out-1")));
        QVERIFY(!commands[0].toObject().contains(QStringLiteral("exitCode")));
        QTRY_COMPARE_WITH_TIMEOUT(call("GET", "/process/session/entrypoint/logs")
                                      .object()
                                      .value(QStringLiteral("stderr"))
                                      .toString(),
                                  QStringLiteral("err-1\n"), kWaitMs);

        // Followed: what was said so far, each chunk prefixed by its stream, then new output, then 1000.
        WsClient ws;
        QVERIFY(open(ws, "/process/session/entrypoint/logs?follow=true"));
        QCOMPARE(ws.status, 101);
        // (Two pipes: which of the first two chunks came first is up to the scheduler.)
        QStringList seen;
        for (int i = 0; i < 2; ++i) {
            auto f = ws.read();
            QVERIFY(f && f->binary);
            seen << QString::fromStdString(f->data);
        }
        seen.sort();
        QCOMPARE(seen, QStringList({QStringLiteral("\x01\x01\x01out-1\n"), QStringLiteral("\x02\x02\x02"
                                                                                          "err-1\n")}));
        QCOMPARE(call("POST", "/process/execute", R"({"command":"touch /tmp/go"})").status, 200);
        auto f = ws.read();
        QVERIFY(f && f->binary);
        QCOMPARE(f->data, std::string("\x01\x01\x01out-2\n"));
        QVERIFY(!ws.read());
        QCOMPARE(ws.closeCode(), 1000);

        r = call("GET", "/process/session/entrypoint");
        QCOMPARE(r.object()
                     .value(QStringLiteral("commands"))
                     .toArray()[0]
                     .toObject()
                     .value(QStringLiteral("exitCode"))
                     .toInt(),
                 4);
        // The entrypoint takes no commands and stays.
        QCOMPARE(call("POST", "/process/session/entrypoint/exec", R"({"command":"true"})").status, 400);
        QCOMPARE(call("DELETE", "/process/session/entrypoint").status, 400);
        // Its output still reaches `docker logs`.
        const auto logs = run(QStringLiteral("docker"), {QStringLiteral("logs"), container});
        QVERIFY2(logs.out.contains("out-1\nout-2\n"), logs.out.constData());
        QVERIFY2(logs.err.contains("err-1\n"), logs.err.constData());
    }

    void sessionCommandLogsFollow() {
        QCOMPARE(call("POST", "/process/session", R"({"sessionId":"follow"})").status, 201);
        auto r = call("POST", "/process/session/follow/exec",
                      R"({"command":"echo a; echo b >&2; read x; echo got-$x; exit 3","runAsync":true})");
        QCOMPARE(r.status, 202);
        const QByteArray cid = r.object().value(QStringLiteral("cmdId")).toString().toUtf8();
        const std::string logs = "/process/session/follow/command/" + cid.toStdString() + "/logs?follow=true";

        WsClient ws;
        QVERIFY(open(ws, logs, {"X-Daytona-SDK-Version~0.218.0"}));
        QCOMPARE(ws.protocol, std::string("X-Daytona-SDK-Version~0.218.0")); // browsers need an answer
        std::string seen;
        while (seen.size() < std::string("\x01\x01\x01"
                                         "a\n\x02\x02\x02"
                                         "b\n")
                                 .size()) {
            auto f = ws.read();
            QVERIFY(f && f->binary);
            seen += f->data;
        }
        QCOMPARE(seen, std::string("\x01\x01\x01"
                                   "a\n\x02\x02\x02"
                                   "b\n"));
        QCOMPARE(
            call("POST", "/process/session/follow/command/" + cid + "/input", R"({"data":"typed\n"})").status,
            200);
        auto f = ws.read();
        QVERIFY(f);
        QCOMPARE(f->data, std::string("\x01\x01\x01got-typed\n"));
        QVERIFY(!ws.read());
        QCOMPARE(ws.closeCode(), 1000);

        // A follower of a finished command gets it all, then the close.
        WsClient late;
        QVERIFY(open(late, logs));
        std::string all;
        while (auto g = late.read())
            all += g->data;
        QCOMPARE(all, std::string("\x01\x01\x01"
                                  "a\n\x02\x02\x02"
                                  "b\n\x01\x01\x01got-typed\n"));
        QCOMPARE(late.closeCode(), 1000);

        // An unknown command is refused before the upgrade, with the daemon's error body.
        WsClient none;
        QVERIFY(!open(none, "/process/session/follow/command/nope/logs?follow=true"));
        QCOMPARE(none.status, 404);
        WsClient nowhere;
        QVERIFY(!open(nowhere, "/no/such/socket"));
        QCOMPARE(nowhere.status, 404);
    }

    void ptyCreateConnectWithEnvs() {
        const QByteArray envs = QByteArray(R"({"FOO":"bar baz"})")
                                    .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        WsClient ws;
        QVERIFY(open(ws, "/process/pty/create-connect?id=t1&cols=100&rows=30&cwd=/tmp",
                     {"X-Daytona-Pty-Envs~" + envs.toStdString(), "X-Daytona-Pty-Exit-Control"}));
        QCOMPARE(ws.protocol, std::string("X-Daytona-Pty-Exit-Control"));
        auto first = ws.read();
        QVERIFY(first && !first->binary);
        QCOMPARE(jsonOf(first->data).value(QStringLiteral("status")).toString(), QStringLiteral("connected"));

        auto info = call("GET", "/process/pty/t1").object();
        QCOMPARE(info.value(QStringLiteral("active")).toBool(), true);
        QCOMPARE(info.value(QStringLiteral("cols")).toInt(), 100);
        QCOMPARE(info.value(QStringLiteral("cwd")).toString(), QStringLiteral("/tmp"));
        QCOMPARE(info.value(QStringLiteral("envs")).toObject().value(QStringLiteral("FOO")).toString(),
                 QStringLiteral("bar baz"));

        QVERIFY(ws.send("echo \"[$FOO|$TERM|$(id -un)|$(pwd)]\"; stty size; exit 3\n"));
        QJsonObject exited;
        const std::string out = readUntilExited(ws, exited);
        QVERIFY2(out.find("[bar baz|xterm-256color|cove|/tmp]") != std::string::npos, out.c_str());
        QVERIFY2(out.find("30 100") != std::string::npos, out.c_str());
        QCOMPARE(exited.value(QStringLiteral("exitCode")).toInt(), 3);
        QCOMPARE(exited.value(QStringLiteral("exitReason")).toString(), QStringLiteral("non-zero exit"));
        QVERIFY(!ws.read());
        QCOMPARE(ws.closeCode(), 1011);
        QCOMPARE(jsonOf(ws.closeReason()).value(QStringLiteral("exitCode")).toInt(), 3);
        QCOMPARE(call("GET", "/process/pty/t1").object().value(QStringLiteral("active")).toBool(), false);

        // A clean exit closes with 1000; an id in use is refused with an error control frame.
        WsClient clean;
        QVERIFY(open(clean, "/process/pty/create-connect?id=t2", {"X-Daytona-Pty-Exit-Control"}));
        QVERIFY(clean.read());
        QVERIFY(clean.send("exit\n"));
        readUntilExited(clean, exited);
        QCOMPARE(exited.value(QStringLiteral("exitCode")).toInt(), 0);
        QVERIFY(!exited.contains(QStringLiteral("exitReason")));
        QVERIFY(!clean.read());
        QCOMPARE(clean.closeCode(), 1000);

        WsClient keep, dup;
        QVERIFY(open(keep, "/process/pty/create-connect?id=t3", {"X-Daytona-Pty-Exit-Control"}));
        QVERIFY(keep.read());
        QVERIFY(open(dup, "/process/pty/create-connect?id=t3", {"X-Daytona-Pty-Exit-Control"}));
        auto refused = dup.read();
        QVERIFY(refused && !refused->binary);
        QCOMPARE(jsonOf(refused->data).value(QStringLiteral("status")).toString(), QStringLiteral("error"));
        QVERIFY(
            jsonOf(refused->data).value(QStringLiteral("error")).toString().contains(QStringLiteral("t3")));
        QCOMPARE(call("DELETE", "/process/pty/t3").status, 200);
    }

    void ptyLegacySharedResizeKill() {
        auto r = call("POST", "/process/pty", R"({"id":"shared","cols":80,"rows":24,"lazyStart":true})");
        QCOMPARE(r.status, 201);
        QCOMPARE(r.object().value(QStringLiteral("sessionId")).toString(), QStringLiteral("shared"));
        QCOMPARE(call("GET", "/process/pty/shared").object().value(QStringLiteral("active")).toBool(), false);

        WsClient a, b;
        QVERIFY(open(a, "/process/pty/shared/connect", {"X-Daytona-Pty-Exit-Control"}));
        QVERIFY(a.read()); // connected; the lazy shell starts now
        QVERIFY(open(b, "/process/pty/shared/connect", {"X-Daytona-Pty-Exit-Control"}));
        QVERIFY(b.read());
        QCOMPARE(call("GET", "/process/pty/shared").object().value(QStringLiteral("active")).toBool(), true);

        r = call("POST", "/process/pty/shared/resize", R"({"cols":132,"rows":43})");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(QStringLiteral("cols")).toInt(), 132);
        QCOMPARE(call("POST", "/process/pty/shared/resize", R"({"cols":0,"rows":43})").status, 400);
        QCOMPARE(call("POST", "/process/pty/nope/resize", R"({"cols":10,"rows":10})").status, 404);

        // What one client types, both see.
        QVERIFY(a.send("echo size-$(stty size | tr ' ' x)-$((6*7))\n"));
        for (WsClient* c : {&a, &b}) {
            std::string seen;
            while (seen.find("size-43x132-42") == std::string::npos) {
                auto f = c->read();
                QVERIFY(f);
                seen += f->data;
            }
        }
        const auto list = call("GET", "/process/pty").object().value(QStringLiteral("sessions")).toArray();
        QVERIFY(std::any_of(list.begin(), list.end(), [](const QJsonValue& v) {
            return v.toObject().value(QStringLiteral("id")).toString() == QStringLiteral("shared");
        }));

        // Kill: both clients hear of it (SIGKILL, 137), the session is gone.
        QCOMPARE(call("DELETE", "/process/pty/shared").status, 200);
        for (WsClient* c : {&a, &b}) {
            QJsonObject exited;
            readUntilExited(*c, exited);
            QCOMPARE(exited.value(QStringLiteral("exitCode")).toInt(), 137);
            QCOMPARE(exited.value(QStringLiteral("exitReason")).toString(), QStringLiteral("SIGKILL"));
            QVERIFY(!c->read());
            QCOMPARE(c->closeCode(), 1011);
        }
        QCOMPARE(call("GET", "/process/pty/shared").status, 404);
        QCOMPARE(call("DELETE", "/process/pty/shared").status, 404);

        WsClient missing;
        QVERIFY(open(missing, "/process/pty/shared/connect", {"X-Daytona-Pty-Exit-Control"}));
        auto f = missing.read();
        QVERIFY(f);
        QCOMPARE(jsonOf(f->data).value(QStringLiteral("status")).toString(), QStringLiteral("error"));
    }

    void ptySlowClientDoesNotStallTheShell() {
        WsClient fast, slow;
        QVERIFY(open(fast, "/process/pty/create-connect?id=flood", {"X-Daytona-Pty-Exit-Control"}));
        QVERIFY(fast.read());
        QVERIFY(open(slow, "/process/pty/flood/connect", {"X-Daytona-Pty-Exit-Control"}));
        QVERIFY(slow.read());
        // 24 MB of output while `slow` reads nothing: the shell must finish and `fast` see all of it.
        QVERIFY(
            fast.send("stty -echo; head -c 24000000 /dev/zero | tr '\\0' x; echo; echo flood-done; exit\n"));
        QJsonObject exited;
        const std::string out = readUntilExited(fast, exited);
        QVERIFY2(out.find("flood-done") != std::string::npos, "the shell was held up");
        QVERIFY(std::count(out.begin(), out.end(), 'x') >= 24000000);
        QCOMPARE(exited.value(QStringLiteral("exitCode")).toInt(), 0);

        // The slow one was dropped: it gets what was already on its way, then a 1008 close, or, when
        // it did not take even that in time, the end of the connection.
        std::size_t slowBytes = 0;
        while (auto f = slow.read())
            slowBytes += f->data.size();
        QVERIFY2(slowBytes < 24000000, qPrintable(QString::number(slowBytes)));
        QVERIFY2(slow.closeCode() == 1008 || slow.closeCode() == 0,
                 qPrintable(QString::number(slow.closeCode())));
        QCOMPARE(call("GET", "/process/pty/flood").object().value(QStringLiteral("active")).toBool(), false);
    }

    void cleanupTestCase() {
        if (!container.isEmpty())
            run(QStringLiteral("docker"), {QStringLiteral("rm"), QStringLiteral("-f"), container});
    }
};

QTEST_GUILESS_MAIN(TestAgentStreams)
#include "tst_agent_streams.moc"
