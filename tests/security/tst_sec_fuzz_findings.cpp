// Findings of the parser fuzzing (tests/fuzz), through a real coved: create bodies whose fields were
// stored unchecked and broke every later read of the sandbox, and an allow-list whose checking time grew
// with the square of its length on coved's only io thread.
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/Sandboxes.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QtTest>

using namespace cove::test;

class TestSecFuzzFindings : public QObject {
    Q_OBJECT
    CovedProcess coved;
    Sandboxes sb{coved};

    int listed() {
        const auto r = sb.call("GET", QStringLiteral("/api/sandbox"));
        return r.status == 200 ? r.object().value(QStringLiteral("items")).toArray().size() : -r.status;
    }

private slots:
    void initTestCase() {
        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
    }

    // "target" and "domainAllowList" went into the row as given; a number there made the DTO's read of
    // it throw, so the sandbox, and the organization's whole list, answered 500 from then on.
    void fieldsReadBackAsStringsMustBeStrings_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("target number") << QByteArray(R"({"target":1})");
        QTest::newRow("target object") << QByteArray(R"({"target":{"region":"eu"}})");
        QTest::newRow("domain list array") << QByteArray(R"({"domainAllowList":["example.com"]})");
    }
    void fieldsReadBackAsStringsMustBeStrings() {
        QFETCH(QByteArray, body);
        const int before = listed();
        QVERIFY(before >= 0);
        const auto created = sb.call("POST", QStringLiteral("/api/sandbox"), body);
        if (created.status == 200) // made after all: removed, so the failure below leaves nothing behind
            sb.call("DELETE", QStringLiteral("/api/sandbox/") +
                                  created.object().value(QStringLiteral("id")).toString());
        QCOMPARE(created.status, 400);
        QVERIFY2(created.message().contains(QStringLiteral("must be a string")),
                 qPrintable(created.message()));
        QCOMPARE(listed(), before);
    }

    // 400 000 distinct CIDR blocks (5.6 MB, under the 10 MiB body limit) were each compared with every
    // one before them before the count was checked: minutes of a frozen service for one request.
    void aHugeAllowListIsRefusedAtOnce() {
        QByteArray list;
        for (int i = 0; i < 400000; ++i)
            list += (i ? "," : "") + QByteArray::number(10) + '.' + QByteArray::number((i >> 16) & 255) +
                    '.' + QByteArray::number((i >> 8) & 255) + '.' + QByteArray::number(i & 255) + "/32";
        QElapsedTimer t;
        t.start();
        const auto created =
            sb.call("POST", QStringLiteral("/api/sandbox"), R"({"networkAllowList":")" + list + R"("})");
        const qint64 ms = t.elapsed();
        QCOMPARE(created.status, 400);
        QVERIFY2(created.message().contains(QStringLiteral("at most")), qPrintable(created.message()));
        QVERIFY2(ms < 5000, qPrintable(QStringLiteral("took %1 ms").arg(ms)));
    }
};

QTEST_GUILESS_MAIN(TestSecFuzzFindings)
#include "tst_sec_fuzz_findings.moc"
