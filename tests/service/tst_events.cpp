// The event channel speaks Socket.IO v4 as the SDK expects: open packet, CONNECT with the key,
// ping/pong, and sandbox events for the caller's organization only after it authenticated.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QJsonArray>
#include <QWebSocket>
#include <QtTest>

using cove::test::CovedProcess;
using cove::test::Sandboxes;

namespace {

// A Socket.IO client reduced to what the test needs: the text frames received, in order.
class Client : public QObject {
public:
    QWebSocket socket;
    QStringList frames;

    bool open(const QString& url) {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString& m) { frames << m; });
        QString ws = url;
        ws.replace(QStringLiteral("http://"), QStringLiteral("ws://"));
        socket.open(QUrl(ws + QStringLiteral("/api/socket.io/?EIO=4&transport=websocket")));
        const bool ok = QTest::qWaitFor([&] { return !frames.isEmpty(); }, 10000);
        if (!ok)
            qWarning() << "event channel did not open:" << socket.errorString() << socket.state();
        return ok;
    }
    bool waitFor(const std::function<bool(const QString&)>& pred, int ms = 20000) {
        return QTest::qWaitFor([&] { return std::any_of(frames.begin(), frames.end(), pred); }, ms);
    }
    // The payloads of `42["<event>", payload]` frames.
    QList<QJsonObject> events(const QString& name) const {
        QList<QJsonObject> out;
        for (const auto& f : frames) {
            if (!f.startsWith(QStringLiteral("42")))
                continue;
            const auto a = QJsonDocument::fromJson(f.mid(2).toUtf8()).array();
            if (a.at(0).toString() == name)
                out << a.at(1).toObject();
        }
        return out;
    }
};

} // namespace

class TestEvents : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};

private slots:
    void initTestCase() { QVERIFY2(coved.start(), qPrintable(coved.error())); }

    void openPacketFollowsEngineIo4() {
        Client c;
        QVERIFY(c.open(coved.url()));
        QVERIFY2(c.frames.first().startsWith(QLatin1Char('0')), qPrintable(c.frames.first()));
        const auto open = QJsonDocument::fromJson(c.frames.first().mid(1).toUtf8()).object();
        QVERIFY(!open.value(QStringLiteral("sid")).toString().isEmpty());
        QCOMPARE(open.value(QStringLiteral("upgrades")).toArray().size(), 0);
        QCOMPARE(open.value(QStringLiteral("pingInterval")).toInt(), 25000);
        QCOMPARE(open.value(QStringLiteral("pingTimeout")).toInt(), 20000);
        QCOMPARE(open.value(QStringLiteral("maxPayload")).toInt(), 1000000);
        c.socket.sendTextMessage(QStringLiteral("2"));
        QVERIFY(c.waitFor([](const QString& f) { return f == QLatin1String("3"); }));
    }

    void badKeyIsRefusedInConnect() {
        Client c;
        QVERIFY(c.open(coved.url()));
        c.socket.sendTextMessage(QStringLiteral("40{\"token\":\"cove_wrong\"}"));
        QVERIFY(c.waitFor([](const QString& f) { return f.startsWith(QStringLiteral("44")); }));
        c.socket.sendTextMessage(QStringLiteral("40"));
        // A CONNECT with no token at all is refused too: a second 44.
        QVERIFY(QTest::qWaitFor(
            [&] {
                return std::count_if(c.frames.begin(), c.frames.end(), [](const QString& f) {
                           return f.startsWith(QStringLiteral("44"));
                       }) == 2;
            },
            20000));
    }

    // A CONNECT is judged by its own token: a refused one after an accepted one leaves the session
    // unauthenticated (no more events), and closed at the authentication deadline like any other.
    void aRefusedConnectUndoesAnEarlierOne() {
        Client c, control;
        QVERIFY(c.open(coved.url()));
        QVERIFY(control.open(coved.url()));
        const auto accepted = [](const QString& f) { return f.startsWith(QStringLiteral("40{")); };
        c.socket.sendTextMessage(QStringLiteral("40{\"token\":\"%1\"}").arg(coved.adminKey()));
        control.socket.sendTextMessage(QStringLiteral("40{\"token\":\"%1\"}").arg(coved.adminKey()));
        QVERIFY(c.waitFor(accepted));
        QVERIFY(control.waitFor(accepted));
        c.socket.sendTextMessage(QStringLiteral("40"));
        QVERIFY(c.waitFor([](const QString& f) { return f.startsWith(QStringLiteral("44")); }));
        QCOMPARE(std::count_if(c.frames.begin(), c.frames.end(), accepted), 1);

        const auto created = sb.call("POST", QStringLiteral("/api/volumes"), R"({"name":"unheard"})");
        QCOMPARE(created.status, 200);
        QVERIFY(control.waitFor(
            [&](const QString&) { return !control.events(QStringLiteral("volume.created")).isEmpty(); }));
        // Events go out to every session at once, and one session's frames in order: the pong comes
        // after anything published to it before.
        const auto pongs = [&] { return c.frames.count(QStringLiteral("3")); };
        const auto before = pongs();
        c.socket.sendTextMessage(QStringLiteral("2"));
        QVERIFY(QTest::qWaitFor([&] { return pongs() > before; }, 20000));
        QVERIFY(c.events(QStringLiteral("volume.created")).isEmpty());
        QVERIFY(
            QTest::qWaitFor([&] { return c.socket.state() == QAbstractSocket::UnconnectedState; }, 30000));
        QCOMPARE(control.socket.state(), QAbstractSocket::ConnectedState);
        QCOMPARE(sb.call("DELETE", QStringLiteral("/api/volumes/") +
                                       created.object().value(QStringLiteral("id")).toString())
                     .status,
                 200);
    }

    void plainGetIsExplained() {
        const auto r = cove::test::request("GET", coved.apiUrl() +
                                                      QStringLiteral("/socket.io/?EIO=4&transport=polling"));
        QCOMPARE(r.status, 400);
        QVERIFY(r.message().contains(QStringLiteral("WebSocket")));
    }

    void sandboxEventsReachAuthenticatedClientsOnly() {
        Client authed, anonymous;
        QVERIFY(authed.open(coved.url()));
        QVERIFY(anonymous.open(coved.url()));
        authed.socket.sendTextMessage(QStringLiteral("40{\"token\":\"%1\"}").arg(coved.adminKey()));
        QVERIFY(authed.waitFor([](const QString& f) { return f.startsWith(QStringLiteral("40{")); }));

        const QString id = sb.create(R"({"name":"evented","labels":{"code-toolbox-language":"python"}})");
        QVERIFY(!id.isEmpty());
        QVERIFY(authed.waitFor([&](const QString&) {
            for (const auto& e : authed.events(QStringLiteral("sandbox.state.updated")))
                if (e.value(QStringLiteral("newState")).toString() == QLatin1String("started"))
                    return true;
            return false;
        }));
        const auto created = authed.events(QStringLiteral("sandbox.created"));
        QCOMPARE(created.size(), 1);
        QCOMPARE(created.first().value(QStringLiteral("id")).toString(), id);
        QCOMPARE(created.first().value(QStringLiteral("state")).toString(), QStringLiteral("creating"));
        QVERIFY(created.first().contains(QStringLiteral("toolboxProxyUrl")));
        const auto started = authed.events(QStringLiteral("sandbox.state.updated")).last();
        QCOMPARE(started.value(QStringLiteral("oldState")).toString(), QStringLiteral("creating"));
        QCOMPARE(started.value(QStringLiteral("sandbox")).toObject().value(QStringLiteral("id")).toString(),
                 id);

        QCOMPARE(sb.call("POST", QStringLiteral("/api/sandbox/") + id + QStringLiteral("/stop")).status, 200);
        QVERIFY(authed.waitFor([&](const QString&) {
            QStringList transitions;
            for (const auto& e : authed.events(QStringLiteral("sandbox.state.updated")))
                transitions << e.value(QStringLiteral("oldState")).toString() + QLatin1String("->") +
                                   e.value(QStringLiteral("newState")).toString();
            // Each state change is followed by the usage it leaves: wait for the one after "stopped".
            const auto usage = authed.events(QStringLiteral("usage.updated"));
            return transitions.contains(QStringLiteral("started->stopping")) &&
                   transitions.contains(QStringLiteral("stopping->stopped")) &&
                   usage.size() >= authed.events(QStringLiteral("sandbox.state.updated")).size();
        }));
        // So is what the organization's sandboxes hold: the stopped one keeps its disk, frees its CPU.
        const auto usage = authed.events(QStringLiteral("usage.updated"));
        QVERIFY(!usage.isEmpty());
        QCOMPARE(usage.last().value(QStringLiteral("cpu")).toInt(), 0);
        QCOMPARE(usage.last().value(QStringLiteral("memory")).toInt(), 0);
        QCOMPARE(usage.last().value(QStringLiteral("disk")).toInt(), 3);
        QCOMPARE(usage.last().value(QStringLiteral("runningSandboxes")).toInt(), 0);
        QVERIFY(std::any_of(usage.begin(), usage.end(), [](const QJsonObject& u) {
            return u.value(QStringLiteral("cpu")).toInt() == 1 &&
                   u.value(QStringLiteral("runningSandboxes")).toInt() == 1;
        }));
        // Every audited change is announced too.
        QVERIFY(authed.waitFor([&](const QString&) {
            for (const auto& e : authed.events(QStringLiteral("audit.created")))
                if (e.value(QStringLiteral("action")).toString() == QLatin1String("stop") &&
                    e.value(QStringLiteral("targetId")).toString() == id)
                    return true;
            return false;
        }));
        QCOMPARE(
            authed.events(QStringLiteral("audit.created")).first().value(QStringLiteral("action")).toString(),
            QStringLiteral("create"));
        // Each event is its row as the audit log reads it back, the key's ends included.
        const auto logged = sb.call("GET", QStringLiteral("/api/audit?limit=200"));
        QCOMPARE(logged.status, 200);
        QMap<QString, QJsonObject> rows;
        for (const auto& v : logged.object().value(QStringLiteral("items")).toArray())
            rows.insert(v.toObject().value(QStringLiteral("id")).toString(), v.toObject());
        int same = 0;
        for (const auto& e : authed.events(QStringLiteral("audit.created"))) {
            const QString id = e.value(QStringLiteral("id")).toString();
            QVERIFY2(rows.contains(id), qPrintable(id));
            const QJsonObject row = rows.value(id);
            if (row.value(QStringLiteral("statusCode")) != e.value(QStringLiteral("statusCode")))
                continue; // an outcome corrected after the event went out
            QCOMPARE(e, row);
            ++same;
        }
        QVERIFY(same >= 2); // the create and the stop
        const auto create = authed.events(QStringLiteral("audit.created")).first();
        QCOMPARE(create.value(QStringLiteral("actorApiKeyPrefix")).toString(), coved.adminKey().left(8));
        QCOMPARE(create.value(QStringLiteral("actorApiKeySuffix")).toString(), coved.adminKey().right(4));
        // The client that never sent CONNECT heard nothing.
        QVERIFY(anonymous.events(QStringLiteral("sandbox.created")).isEmpty());
        QVERIFY(anonymous.events(QStringLiteral("sandbox.state.updated")).isEmpty());
    }

    void volumeEventsCarryTheVolume() {
        Client c;
        QVERIFY(c.open(coved.url()));
        c.socket.sendTextMessage(QStringLiteral("40{\"token\":\"%1\"}").arg(coved.adminKey()));
        QVERIFY(c.waitFor([](const QString& f) { return f.startsWith(QStringLiteral("40{")); }));
        const auto created = sb.call("POST", QStringLiteral("/api/volumes"), R"({"name":"evented"})");
        QCOMPARE(created.status, 200);
        const QString id = created.object().value(QStringLiteral("id")).toString();
        QVERIFY(
            c.waitFor([&](const QString&) { return !c.events(QStringLiteral("volume.created")).isEmpty(); }));
        QCOMPARE(c.events(QStringLiteral("volume.created")).first().value(QStringLiteral("id")).toString(),
                 id);
        QCOMPARE(sb.call("DELETE", QStringLiteral("/api/volumes/") + id).status, 200);
        QVERIFY(c.waitFor([&](const QString&) {
            for (const auto& e : c.events(QStringLiteral("volume.state.updated")))
                if (e.value(QStringLiteral("newState")).toString() == QLatin1String("deleted"))
                    return e.value(QStringLiteral("volume"))
                               .toObject()
                               .value(QStringLiteral("id"))
                               .toString() == id;
            return false;
        }));
    }

    void cleanupTestCase() {
        sb.removeAll();
        coved.stop();
    }
};

QTEST_GUILESS_MAIN(TestEvents)
#include "tst_events.moc"
