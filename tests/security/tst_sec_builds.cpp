// Attacks on image builds and on the object storage their contexts come from, against a real coved and
// Docker engine: a build's steps reaching the host's ports, outgrowing the sandbox's memory, fork-bombing,
// an ADD of a URL the engine would fetch from the host; uploads by keys without the right scope, under a
// hash their content does not have, or without end; and the io thread kept busy by heavy uploads.
#include "service/domain/BuildContexts.h"

#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/S3.h"
#include "support/Sandboxes.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <thread>

using cove::test::CovedProcess;
using cove::test::Reply;
using cove::test::xmlField;

class TestSecBuilds : public QObject {
    Q_OBJECT
    CovedProcess coved;
    cove::test::Sandboxes sandboxes{coved};
    QStringList madeSnapshots;
    QJsonObject access; // push-access of the admin key
    QString tag = QString::number(QRandomGenerator::global()->generate(), 16);

    Reply api(const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        return sandboxes.call(method, path, body);
    }
    QString state(const QString& name) {
        return api("GET", QStringLiteral("/api/snapshots/") + name)
            .object()
            .value(QStringLiteral("state"))
            .toString();
    }
    Reply createBuild(const QString& name, const QString& dockerfile) { // of a 1 GiB snapshot
        const Reply r =
            api("POST", QStringLiteral("/api/snapshots"),
                QJsonDocument(QJsonObject{{QStringLiteral("name"), name},
                                          {QStringLiteral("memory"), 1},
                                          {QStringLiteral("buildInfo"),
                                           QJsonObject{{QStringLiteral("dockerfileContent"), dockerfile}}}})
                    .toJson());
        if (r.status == 200)
            madeSnapshots << r.object().value(QStringLiteral("id")).toString();
        return r;
    }
    QByteArray buildLog(const QString& name) {
        return api("GET", QStringLiteral("/api/snapshots/") + name + QStringLiteral("/build-logs")).body;
    }
    // Waits until the build is over; answers its final state.
    QString finished(const QString& name) {
        QString s;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 300000) {
            s = state(name);
            if (s == QLatin1String("active") || s == QLatin1String("build_failed") ||
                s == QLatin1String("error"))
                return s;
            QTest::qWait(200);
        }
        return s;
    }
    QString objectPath(const QString& hash) const {
        return QStringLiteral("/api/object-storage/s3/cove-build-contexts/personal/") + hash +
               QStringLiteral("/context.tar");
    }
    Reply s3(const QByteArray& method, const QString& pathAndQuery, const QByteArray& body = {}) {
        return cove::test::signedS3(coved.url(), access, method, pathAndQuery, body);
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        // Tier 4: open egress, so what is refused below is the host, not the tier.
        QCOMPARE(api("PUT", QStringLiteral("/api/organizations/personal/tier"), R"({"tier":4})").status, 200);
        const Reply granted = api("GET", QStringLiteral("/api/object-storage/push-access"));
        QCOMPARE(granted.status, 200);
        access = granted.object();
    }

    void cleanupTestCase() {
        sandboxes.removeAll();
        for (const auto& id : madeSnapshots)
            api("DELETE", QStringLiteral("/api/snapshots/") + id);
    }

    // --- Item 7: builds run inside the fence -----------------------------------------------------

    void aBuildStepCannotReachTheHostsPorts() {
        QTcpServer listener; // a service on every host address, the bridge gateways included
        QVERIFY(listener.listen(QHostAddress::AnyIPv4, 0));
        int connections = 0;
        connect(&listener, &QTcpServer::newConnection, this, [&] {
            while (auto* s = listener.nextPendingConnection()) {
                ++connections;
                s->deleteLater();
            }
        });
        const QString covedPort = QString::number(QUrl(coved.url()).port());
        const QString probe =
            QStringLiteral("RUN python3 -c \"import socket,struct; "
                           "gw=[socket.inet_ntoa(struct.pack('<L',int(l.split()[2],16))) for l in "
                           "open('/proc/net/route') if l.split()[1]=='00000000'][0]; "
                           "[print('PORT', p, 'open' if socket.create_connection((gw, p), 5) else '') "
                           "if socket.socket().connect_ex((gw, p)) == 0 else print('PORT', p, 'closed') "
                           "for p in (%1, %2)]\"\n")
                .arg(listener.serverPort())
                .arg(covedPort);
        const QString name = QStringLiteral("sec-hostports-") + tag;
        QCOMPARE(createBuild(name, QStringLiteral("FROM cove-base:latest\n") + probe).status, 200);
        const QString end = finished(name);
        const QByteArray log = buildLog(name);
        QVERIFY2(log.contains("PORT " + QByteArray::number(listener.serverPort()) + " closed"),
                 log.right(1500));
        QVERIFY2(log.contains("PORT " + covedPort.toLatin1() + " closed"), log.right(1500));
        QCOMPARE(connections, 0);
        QCOMPARE(end, QStringLiteral("active"));
    }

    // A build whose RUN step would print `marker` unless the fence stops it: it must fail, marker unseen.
    void expectStopped(const char* base, const QString& run, const QByteArray& marker) {
        const QString name = QLatin1String(base) + tag;
        QCOMPARE(
            createBuild(name, QStringLiteral("FROM cove-base:latest\nRUN ") + run + QLatin1Char('\n')).status,
            200);
        const QString end = finished(name);
        const QByteArray log = buildLog(name);
        QVERIFY2(!log.contains(marker), log.right(1500));
        QCOMPARE(end, QStringLiteral("build_failed"));
    }

    void aBuildStepGetsTheSandboxMemory() {
        // 1.5 GiB touched, in a build of a 1 GiB snapshot: the step is killed.
        expectStopped("sec-memory-",
                      QStringLiteral("python3 -c \"b = b'x' * (1536 << 20); print('ALLOC' + 'ATED')\""),
                      "ALLOCATED");
    }

    void aForkBombInABuildIsBounded() {
        // More processes than a sandbox may have (4096): the step fails before it has them all.
        expectStopped("sec-forks-",
                      QStringLiteral("for i in $(seq 1 6000); do sleep 60 & done; echo FORKED-$((6 * 1000))"),
                      "FORKED-6000");
    }

    void addOfAUrlIsRefused() {
        const QStringList dockerfiles = {
            QStringLiteral("FROM cove-base:latest\nADD http://169.254.169.254/latest/meta-data/ /m\n"),
            QStringLiteral("FROM cove-base:latest\nadd \\\n  https://127.0.0.1:3986/api/info /i\n"),
            QStringLiteral("# escape=`\nFROM cove-base:latest\nADD `\n  http://127.0.0.1/ /i\n"),
            QStringLiteral("FROM cove-base:latest\nADD [\"http:\\u002f\\u002f127.0.0.1/\", \"/i\"]\n"),
            QStringLiteral("FROM cove-base:latest\nADD \"http:/\\/127.0.0.1/\" /i\n"),
            QStringLiteral("FROM cove-base:latest\nARG U=http://127.0.0.1/\nADD $U /i\n"),
            QStringLiteral("FROM cove-base:latest\nONBUILD ADD http://127.0.0.1/ /i\n"),
        };
        for (const auto& d : dockerfiles) {
            const Reply r = createBuild(QStringLiteral("sec-add-") + tag, d);
            QVERIFY2(r.status == 400, qPrintable(d + QLatin1Char(' ') + QString::number(r.status)));
            QVERIFY2(r.message().contains(QLatin1String("RUN curl")), qPrintable(r.message()));
        }
        // A local ADD of context files stays allowed (the check is about URLs).
        QCOMPARE(createBuild(QStringLiteral("sec-add-plain-") + tag,
                             QStringLiteral("FROM cove-base:latest\nRUN echo 'ADD http://x' > /tmp/note\n"))
                     .status,
                 200);
    }

    // --- Item 13: who may upload contexts, and what ----------------------------------------------

    void s3CallsNeedTheWriteScope() {
        const auto made =
            api("POST", QStringLiteral("/api/api-keys"),
                R"({"name":"sec-reader-)" + tag.toLatin1() + R"(","permissions":["read:volumes"]})");
        QCOMPARE(made.status, 201);
        const QString reader = made.object().value(QStringLiteral("value")).toString();
        const QByteArray content = "planted " + tag.toLatin1();
        const QByteArray tar =
            QByteArray::fromStdString(cove::domain::singleFileTar("a.txt", content.toStdString()));
        const QString hash = cove::test::fileContextHash("a.txt", content);
        // A plain bearer key on the S3 routes, as on every other route.
        const Reply put = cove::test::request("PUT", coved.url() + objectPath(hash), reader, tar);
        QCOMPARE(put.status, 403);
        QVERIFY2(put.body.contains("write:snapshots"), put.body.constData());
        const Reply list = cove::test::request(
            "GET",
            coved.url() +
                QStringLiteral("/api/object-storage/s3/cove-build-contexts?list-type=2&prefix=personal/"),
            reader);
        QCOMPARE(list.status, 403);
        QVERIFY(!QFile::exists(coved.dataDir() + QStringLiteral("/build-contexts/personal/") + hash));
    }

    void aContextMustHaveTheHashItIsNamedBy() {
        const QByteArray content = "hello " + tag.toLatin1();
        const QByteArray tar =
            QByteArray::fromStdString(cove::domain::singleFileTar("app.txt", content.toStdString()));
        // Another context's name: its content would replace that one's in every build that names it.
        const QString victim = cove::test::fileContextHash("victim.txt", "what the victim uploads");
        Reply r = s3("PUT", objectPath(victim), tar);
        QCOMPARE(r.status, 400);
        QCOMPARE(xmlField(r.body, "Code"), QStringLiteral("BadDigest"));
        QVERIFY(!QFile::exists(coved.dataDir() + QStringLiteral("/build-contexts/personal/") + victim));
        // The right hash, but an extra entry riding along outside the hashed file.
        std::string two = cove::domain::singleFileTar("app.txt", content.toStdString());
        two.resize(two.size() - 1024);
        two += cove::domain::singleFileTar("etc/passwd", "root::0:0::/:/bin/sh\n");
        const QString right = cove::test::fileContextHash("app.txt", content);
        r = s3("PUT", objectPath(right), QByteArray::fromStdString(two));
        QCOMPARE(r.status, 400);
        QCOMPARE(xmlField(r.body, "Code"), QStringLiteral("BadDigest"));
        // As the SDK sends it (an absolute path loses its slash in the tar): kept.
        QCOMPARE(s3("PUT", objectPath(right), tar).status, 200);
        const QString absolute = cove::test::fileContextHash("/app.txt", content);
        QCOMPARE(s3("PUT", objectPath(absolute), tar).status, 200);
    }

    // --- Item 12: the io thread keeps answering ---------------------------------------------------

    void openUploadsAreBounded() {
        const QString key = objectPath(cove::test::fileContextHash("bound", tag.toLatin1()));
        QStringList ids;
        Reply r;
        for (std::size_t i = 0; i <= cove::domain::BuildContextLimits::kMaxOpenUploads; ++i) {
            r = s3("POST", key + QStringLiteral("?uploads"));
            if (r.status != 200)
                break;
            ids << xmlField(r.body, "UploadId");
        }
        QCOMPARE(ids.size(), int(cove::domain::BuildContextLimits::kMaxOpenUploads));
        QCOMPARE(r.status, 503);
        QCOMPARE(xmlField(r.body, "Code"), QStringLiteral("SlowDown"));
        QVERIFY2(xmlField(r.body, "Message").contains(QLatin1String("abort")), r.body.constData());
        for (const auto& id : ids)
            QCOMPARE(s3("DELETE", key + QStringLiteral("?uploadId=") + id).status, 204);
        QCOMPARE(s3("POST", key + QStringLiteral("?uploads")).status, 200);
    }

    void healthAnswersWhileA256MiBContextIsAssembled() {
        const std::string content((256u << 20) - 4096, 'c');
        const QByteArray tar = QByteArray::fromStdString(cove::domain::singleFileTar("big.bin", content));
        const QString hash = cove::test::fileContextHash("big.bin", QByteArray::fromStdString(content));
        const QString key = objectPath(hash);
        const Reply started = s3("POST", key + QStringLiteral("?uploads"));
        QCOMPARE(started.status, 200);
        const QString id = xmlField(started.body, "UploadId");
        constexpr int kParts = 32; // 8 MiB each, under the request body limit
        const int partSize = (tar.size() + kParts - 1) / kParts;
        QByteArray complete = "<CompleteMultipartUpload>";
        for (int p = 1; p <= kParts; ++p) {
            const QByteArray piece = tar.mid((p - 1) * partSize, partSize);
            const Reply part =
                s3("PUT", key + QStringLiteral("?partNumber=%1&uploadId=%2").arg(p).arg(id), piece);
            QCOMPARE(part.status, 200);
            complete += "<Part><PartNumber>" + QByteArray::number(p) + "</PartNumber><ETag>\"" +
                        QCryptographicHash::hash(piece, QCryptographicHash::Sha256).toHex().left(32) +
                        "\"</ETag></Part>";
        }
        complete += "</CompleteMultipartUpload>";

        // /api/health asked over and over from another thread while the completion runs here.
        std::atomic<bool> done{false};
        std::vector<qint64> latencies;
        bool healthy = true;
        const quint16 port = static_cast<quint16>(QUrl(coved.url()).port());
        std::thread prober([&] {
            while (!done) {
                QElapsedTimer t;
                t.start();
                QTcpSocket socket;
                socket.connectToHost(QHostAddress::LocalHost, port);
                healthy = healthy && socket.waitForConnected(10000);
                socket.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                QByteArray answer;
                while (socket.waitForReadyRead(10000))
                    answer += socket.readAll();
                answer += socket.readAll();
                healthy = healthy && answer.startsWith("HTTP/1.1 200");
                latencies.push_back(t.elapsed());
            }
        });
        const int completeStatus = s3("POST", key + QStringLiteral("?uploadId=") + id, complete).status;
        done = true;
        prober.join();
        QCOMPARE(completeStatus, 200);
        QVERIFY(healthy);
        QVERIFY2(latencies.size() >= 5, qPrintable(QString::number(latencies.size())));
        std::sort(latencies.begin(), latencies.end());
        const qint64 p99 = latencies[std::min(latencies.size() - 1, latencies.size() * 99 / 100)];
        qInfo("health during a 256 MiB assembly: %zu answers, median %lld ms, p99 %lld ms, max %lld ms",
              latencies.size(), static_cast<long long>(latencies[latencies.size() / 2]),
              static_cast<long long>(p99), static_cast<long long>(latencies.back()));
        QVERIFY2(p99 < 1000, qPrintable(QString::number(p99)));
    }
};

QTEST_GUILESS_MAIN(TestSecBuilds)
#include "tst_sec_builds.moc"
