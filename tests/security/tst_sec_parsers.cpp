// The parsers and guards behind the attacks, in-process with real SQLite and a real io_context: coved and
// the agent read a query the same way (so what coved verifies is what the agent acts on), JSON nesting is
// bounded, a failing background task stops nothing else, and exports and keys keep their bounds.
#include "common/JsonLimits.h"
#include "common/Multipart.h"
#include "common/Time.h"
#include "common/Url.h"
#include "service/api/Routes.h"
#include "service/domain/AuditLog.h"
#include "service/domain/BackgroundTasks.h"
#include "service/domain/DomainError.h"
#include "service/domain/Keys.h"
#include "service/store/Store.h"
#include "support/TestDatabase.h"

#include <QTemporaryDir>
#include <QtTest>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <random>
#include <stdexcept>

using cove::api::Principal;
using nlohmann::json;

namespace {

// A query built from pieces chosen to confuse parsers: encoded and doubled keys, stray separators and
// escapes, bytes that decode to separators.
std::string randomQuery(std::mt19937& rng) {
    static const std::vector<std::string> keys{
        "path",    "pa%74h",    "%70ath", "p%61th", "PATH",    "path%00", "path ",    "path+",   "pat",
        "expires", "signature", "%",      "",       "path%3D", "path[]",  "pa%2574h", "%2570ath"};
    static const std::vector<std::string> values{
        "/home/cove/a", "/etc/shadow",   "%2Fetc%2Fshadow", "a+b",   "a%20b", "%",
        "%2",           "%zz",           "%26path%3D%2Fx",  "=",     "",      "%00",
        "%C3%A9",       "..%2F..%2Fetc", ";path=/x",        "#frag", "?q"};
    static const std::vector<std::string> joins{"&", "&&", "&=&", ";", "&amp;"};
    std::string q;
    const int parts = 1 + int(rng() % 5);
    for (int i = 0; i < parts; ++i) {
        if (i)
            q += joins[rng() % joins.size()];
        q += keys[rng() % keys.size()];
        if (rng() % 8)
            q += "=" + values[rng() % values.size()];
    }
    return q;
}

} // namespace

class TestSecParsers : public QObject {
    Q_OBJECT
    QTemporaryDir dir;

private slots:
    // 10,000 generated queries: whenever coved would accept one as a signed URL, the agent reads exactly
    // the path coved checked — from the target coved forwards and even from the client's own target.
    void covedAndTheAgentReadTheSamePath() {
        std::mt19937 rng(20261205);
        int accepted = 0;
        for (int i = 0; i < 10000; ++i) {
            const std::string target = "/toolbox/s/files/download?" + randomQuery(rng);
            cove::http::Request req{cove::http::bhttp::verb::get, target, 11};
            cove::api::RequestContext ctx{req, {}, cove::http::parseQuery(target), std::nullopt, "127.0.0.1"};
            // coved's signedAuth: exactly one of each, then the first (only) value is what is verified.
            if (ctx.query.count("path") != 1)
                continue;
            const std::string verified = ctx.queryValue("path").value();
            ++accepted;
            Principal who{"signed:s", "signed URL", "o", {}};
            who.grant = {Principal::Grant::Kind::SignedFile, "/files/download", verified};
            const std::string forwarded = cove::api::agentTarget(req, who);
            const auto agentReads = cove::http::singleQueryValue(forwarded, "path");
            QVERIFY2(agentReads.value == verified && !agentReads.repeated, target.c_str());
            const auto agentReadsRaw = cove::http::singleQueryValue(target, "path");
            QVERIFY2(agentReadsRaw.value == verified && !agentReadsRaw.repeated, target.c_str());
        }
        QVERIFY(accepted > 1000); // the generator does reach the interesting cases
    }

    void queryKeysAreDecodedAndRepeatsSeen() {
        const auto q = cove::http::singleQueryValue("/x?pa%74h=/a&path=/b", "path");
        QVERIFY(q.repeated);
        QCOMPARE(QString::fromStdString(*q.value), QStringLiteral("/a"));
        QVERIFY(!cove::http::singleQueryValue("/x?paths=/a", "path").value);
    }

    void jsonNestingIsBounded() {
        for (const char* open : {"[", "{\"a\":"}) {
            std::string deep;
            for (int i = 0; i < 200000; ++i)
                deep += open;
            const auto r = cove::parseUntrustedJson(deep);
            QVERIFY(!r.value);
            QVERIFY2(QString::fromStdString(r.error).contains(QStringLiteral("nests deeper")),
                     r.error.c_str());
        }
        std::string ok, tooDeep;
        for (int i = 0; i < cove::kMaxJsonDepth; ++i)
            ok = "[" + ok + "]";
        tooDeep = "[" + ok + "]";
        QVERIFY(cove::parseUntrustedJson(ok).value);
        QVERIFY(!cove::parseUntrustedJson(tooDeep).value);
        // Refusals say where, in words of their own.
        QCOMPARE(cove::parseUntrustedJson("{\"a\":").error, std::string("it ends too early"));
        QCOMPARE(cove::parseUntrustedJson("").error, std::string("it is empty"));
        QCOMPARE(cove::parseUntrustedJson("{x").error, std::string("it stops making sense at byte 2"));
        // A number no double holds is a refusal too, not an exception (which ended the agent when a
        // language server sent one: fuzz_lsp_frames found it).
        QCOMPARE(cove::parseUntrustedJson(R"({"x": 1e999999})").error,
                 std::string("it holds a number too large to represent"));
        QCOMPARE(cove::parseUntrustedJson(R"({"a":[1,{"b":"c"}]})").value->at("a")[1]["b"], json("c"));
    }

    void aFailingBackgroundTaskStopsNothingElse() {
        boost::asio::io_context io;
        cove::domain::BackgroundTasks tasks;
        int ran = 0, recovering = 0;
        tasks.add("throws", []() -> boost::asio::awaitable<void> {
            throw std::runtime_error("a broken row");
            co_return;
        });
        tasks.add("refuses", []() -> boost::asio::awaitable<void> {
            throw cove::domain::DomainError::unavailable("iptables refused");
            co_return;
        });
        tasks.add("recovers", [&]() -> boost::asio::awaitable<void> {
            if (++recovering < 3)
                throw std::logic_error("not yet");
            co_return;
        });
        tasks.add("counts", [&]() -> boost::asio::awaitable<void> {
            ++ran;
            co_return;
        });
        for (int round = 0; round < 4; ++round) {
            boost::asio::co_spawn(io, tasks.runRound(), boost::asio::detached);
            io.run();
            io.restart();
        }
        QCOMPARE(ran, 4);
        const auto health = tasks.health();
        QCOMPARE(health[0].failures, 4u);
        QCOMPARE(QString::fromStdString(health[0].lastError), QStringLiteral("a broken row"));
        QCOMPARE(health[1].failures, 4u);
        QCOMPARE(QString::fromStdString(health[1].lastError), QStringLiteral("iptables refused"));
        QCOMPARE(health[2].failures, 2u);
        QVERIFY(health[2].lastError.empty());
        QCOMPARE(health[3].rounds, 4u);
    }

    // Fields a spreadsheet would run as formulas start with one of = + - @ tab CR; the export defuses
    // them all.
    void csvExportDefusesFormulas() {
        const cove::test::TestDatabase where(dir.path(), QStringLiteral("audit.db"));
        const auto store = cove::store::open(where.spec());
        auto& db = *store;
        cove::SystemClock clock;
        cove::domain::AuditLog log(db, clock);
        const std::vector<std::string> evil{"\t=1+1", "\r=1+1", "=1+1", "+1", "-1", "@SUM(A1)"};
        for (const auto& e : evil) {
            cove::domain::AuditEntry entry;
            entry.organizationId = "o";
            entry.action = "create";
            entry.targetType = "sandbox";
            entry.error = e;
            log.write(entry);
        }
        const QString csv = QString::fromStdString(log.exportCsv("o", {}));
        for (const auto& e : evil) {
            const QString field = QString::fromStdString(e);
            QVERIFY2(csv.contains(QLatin1Char('\'') + field), qPrintable(field));
            QVERIFY2(!csv.contains(QLatin1Char(',') + field) && !csv.contains(QStringLiteral(",\"") + field),
                     qPrintable(field));
        }
    }

    void multipartBoundaryIsBounded() {
        using cove::MultipartParser;
        const std::string ok(MultipartParser::kMaxBoundaryLength, 'b');
        QCOMPARE(MultipartParser::boundaryOf("multipart/form-data; boundary=" + ok), ok);
        QVERIFY(MultipartParser::boundaryOf("multipart/form-data; boundary=" + ok + "b").empty());
    }

    // A key that expires makes keys that expire no later.
    void aKeyCannotOutliveItsMaker() {
        const cove::test::TestDatabase where(dir.path(), QStringLiteral("keys.db"));
        const auto store = cove::store::open(where.spec());
        auto& db = *store;
        db.exec("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'O', 1)");
        cove::domain::Keys keys(db);
        const std::int64_t now = 1'800'000'000'000;
        Principal maker{"k", "maker", "o", {"*"}};
        maker.expiresAt = now + 3'600'000;
        const json inherited =
            keys.create({{"name", "child"}, {"permissions", {"write:sandboxes"}}}, maker, now);
        QCOMPARE(QString::fromStdString(inherited["expiresAt"].get<std::string>()),
                 QString::fromStdString(cove::toIso8601(cove::fromMillis(maker.expiresAt))));
        try {
            keys.create(
                {{"name", "later"}, {"permissions", json::array()}, {"expiresAt", "2099-01-01T00:00:00Z"}},
                maker, now);
            QFAIL("a key outliving its maker was made");
        } catch (const cove::domain::DomainError& e) {
            QCOMPARE(e.status(), 400);
            QVERIFY(QString::fromStdString(e.message).contains(QStringLiteral("outlive")));
        }
        maker.expiresAt = 0; // a key that never expires may make one that never expires
        QVERIFY(keys.create({{"name", "forever"}, {"permissions", json::array()}}, maker, now)["expiresAt"]
                    .is_null());
    }
};

QTEST_GUILESS_MAIN(TestSecParsers)
#include "tst_sec_parsers.moc"
