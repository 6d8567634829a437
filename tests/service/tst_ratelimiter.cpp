// Token buckets and the bad-credential brake, on a clock the test moves: refill, separate buckets per
// key and per kind of call, and clock jumps either way.
#include "common/ApiError.h"
#include "service/domain/DomainError.h"
#include "service/domain/Quotas.h"
#include "service/domain/RateLimiter.h"
#include "service/store/Store.h"
#include "support/TestDatabase.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace cove;
using namespace std::chrono_literals;
using domain::RateLimiter;

class TestRateLimiter : public QObject {
    Q_OBJECT

private slots:
    void bucketsRefillAtTheirRate() {
        ManualClock clock;
        RateLimiter limiter(clock, {60, 2, 600, 20});
        QVERIFY(limiter.take("k", RateLimiter::Class::Create).allowed);
        QVERIFY(limiter.take("k", RateLimiter::Class::Create).allowed);
        const auto refused = limiter.take("k", RateLimiter::Class::Create);
        QVERIFY(!refused.allowed);
        QCOMPARE(QString::fromStdString(refused.refusedBy), QStringLiteral("sandbox-create"));
        QCOMPARE(refused.retryAfter, 30); // 2 per minute: one token every 30 s
        // A refused call takes nothing, not even from the general bucket.
        QCOMPARE(refused.buckets.at(0).remaining, 58);
        // Another key, and other calls of the same key, are not affected.
        QVERIFY(limiter.take("other", RateLimiter::Class::Create).allowed);
        QVERIFY(limiter.take("k", RateLimiter::Class::General).allowed);
        clock.advance(30s);
        QVERIFY(limiter.take("k", RateLimiter::Class::Create).allowed);
        QVERIFY(!limiter.take("k", RateLimiter::Class::Create).allowed);
    }

    void clockJumpsNeitherRefillNorBreak() {
        ManualClock clock;
        RateLimiter limiter(clock, {1, 0, 0, 20});
        QVERIFY(limiter.take("k", RateLimiter::Class::General).allowed);
        clock.advance(-3600s); // back an hour: nothing refills, nothing crashes
        QVERIFY(!limiter.take("k", RateLimiter::Class::General).allowed);
        clock.advance(24h); // far ahead: the bucket is full, not over-full
        const auto d = limiter.take("k", RateLimiter::Class::General);
        QVERIFY(d.allowed);
        QCOMPARE(d.buckets.at(0).remaining, 0);
        // Zero means no limit: no bucket, no header.
        QCOMPARE(limiter.take("k", RateLimiter::Class::Create).buckets.size(), std::size_t(1));
    }

    void badCredentialsBlockAnAddressForAMinute() {
        ManualClock clock;
        RateLimiter limiter(clock, {0, 0, 0, 3});
        QVERIFY(!limiter.authFailed("10.0.0.1"));
        QVERIFY(!limiter.authFailed("10.0.0.1"));
        QVERIFY(!limiter.authBlocked("10.0.0.1"));
        QVERIFY(limiter.authFailed("10.0.0.1")); // the third starts the block (audited once)
        QCOMPARE(limiter.authBlocked("10.0.0.1").value_or(0), 60);
        QVERIFY(!limiter.authBlocked("10.0.0.2"));
        clock.advance(45s);
        QCOMPARE(limiter.authBlocked("10.0.0.1").value_or(0), 15);
        clock.advance(15s);
        QVERIFY(!limiter.authBlocked("10.0.0.1"));
    }

    void usageSamplesAreKeptForTheRetention() {
        QTemporaryDir dir;
        const cove::test::TestDatabase where(dir.path());
        const auto store = store::open(where.spec());
        auto& db = *store;
        db.exec("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'O', 0)");
        db.exec("INSERT INTO sandboxes (id, organization_id, name, image, os_user, cpu, memory, disk, "
                "auto_stop_interval, auto_archive_interval, auto_delete_interval, state, desired_state, "
                "created_at, updated_at, last_activity_at) VALUES "
                "('a', 'o', 'a', 'i', 'u', 2, 3, 4, 0, 0, -1, 'started', 'started', 0, 0, 0), "
                "('b', 'o', 'b', 'i', 'u', 1, 1, 5, 0, 0, -1, 'stopped', 'stopped', 0, 0, 0), "
                "('c', 'o', 'c', 'i', 'u', 1, 1, 7, 0, 0, -1, 'archived', 'archived', 0, 0, 0)");
        const std::int64_t minute = 60'000, day = 24 * 60 * minute;
        for (int i = 0; i < 5; ++i)
            domain::sampleUsage(db, i * day, 2 * day);
        const auto all = domain::usageHistory(db, "o", 0, 10 * day);
        QCOMPARE(all.size(), std::size_t(3)); // days 2, 3 and 4; older ones dropped
        QCOMPARE(all[0]["cpu"].get<int>(), 2);
        QCOMPARE(all[0]["memory"].get<int>(), 3);
        QCOMPARE(all[0]["disk"].get<int>(), 9); // running and stopped hold disk, archived not
        QCOMPARE(all[0]["runningSandboxes"].get<int>(), 1);
        QCOMPARE(domain::usageHistory(db, "o", 3 * day, 3 * day).size(), std::size_t(1));
        // Admission names limit, use and request.
        db.exec("UPDATE organizations SET quota = '{\"totalCpuQuota\": 3}' WHERE id = 'o'");
        try {
            domain::admit(db, "o", 2, 0, 0);
            QFAIL("admitted past the quota");
        } catch (const cove::domain::DomainError& e) {
            QCOMPARE(e.status(), 403);
            QCOMPARE(QString::fromStdString(e.message).left(54),
                     QStringLiteral("Your quota allows 3 vCPU; 2 in use; this sandbox asks "));
        }
        domain::admit(db, "o", 1, 0, 0);
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
