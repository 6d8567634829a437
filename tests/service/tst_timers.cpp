// Lifecycle timers on an injectable clock: the test moves time; the containers are real.
#include "common/Time.h"
#include "service/domain/DomainError.h"
#include "service/domain/Housekeeping.h"
#include "service/domain/SandboxService.h"
#include "service/engine/DockerClient.h"
#include "support/Http.h"
#include "support/RunSync.h"
#include "support/Sandboxes.h"
#include "support/ServiceHarness.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace cove;
using namespace std::chrono_literals;
using test::runSync;

namespace {

bool running(const QString& id) {
    return test::Sandboxes::container(id)
        .value(QStringLiteral("State"))
        .toObject()
        .value(QStringLiteral("Running"))
        .toBool();
}

} // namespace

class TestTimers : public QObject, test::ServiceHarness {
    Q_OBJECT
    QTemporaryDir dir;
    std::unique_ptr<engine::DockerClient> engine;
    std::unique_ptr<domain::SandboxService> service;
    QStringList created;

    QString create(const nlohmann::json& body) {
        const auto dto = runSync(io, service->create(body, caller));
        const QString id = QString::fromStdString(dto["id"].get<std::string>());
        created << id;
        return id;
    }
    QString state(const QString& id) { return QString::fromStdString(stateOf(*service, id.toStdString())); }
    int tick() { return runSync(io, service->runTimers()); }

private slots:
    void initTestCase() {
        openStore(dir.path().toStdString());
        domain::ServiceConfig config;
        config.dataDir = dir.path().toStdString();
        config.agentBinary = test::CovedProcess::binary(QStringLiteral("cove-agent")).toStdString();
        config.warmPool = 0; // the housekeeping round would fill it
        engine = std::make_unique<engine::DockerClient>(io.get_executor(), config.dockerHost);
        engine->setPauseProgram(config.agentBinary);
        runSync(io, engine->connect());
        service = std::make_unique<domain::SandboxService>(*db, *engine, clock, config);
        QVERIFY(runSync(io, service->registerDefaultSnapshots()).empty());
    }

    void housekeepingSamplesUsageOnceAMinuteByTheClock() {
        const auto samples = [&] {
            return db->queryOne("SELECT COUNT(*) FROM usage_samples")->at(0).asInt();
        };
        const auto before = samples();
        domain::Housekeeping::Schedule schedule = domain::Housekeeping::defaults(24LL * 3600 * 1000);
        domain::Housekeeping housekeeping(*service, *db, clock, schedule);
        const auto first = samples(); // one at start
        QVERIFY(first >= before);
        clock.advance(30s);
        runSync(io, housekeeping.runRound());
        QCOMPARE(samples(), first);
        clock.advance(31s);
        runSync(io, housekeeping.runRound());
        QCOMPARE(samples(), first + 1);
        for (const auto& h : housekeeping.health()) {
            QVERIFY2(h.lastError.empty(), (h.name + ": " + h.lastError).c_str());
            QCOMPARE(h.rounds, std::uint64_t(2));
        }
    }

    void autoStopCountsFromLastActivity() {
        const QString id = create({{"autoStopInterval", 15}});
        clock.advance(14min);
        QCOMPARE(tick(), 0);
        QCOMPARE(state(id), QStringLiteral("started"));
        service->touch(id.toStdString(), caller); // activity restarts the count
        clock.advance(14min);
        QCOMPARE(tick(), 0);
        QCOMPARE(state(id), QStringLiteral("started"));
        clock.advance(1min);
        QCOMPARE(tick(), 1);
        QCOMPARE(state(id), QStringLiteral("stopped"));
        QVERIFY(!running(id));
        const auto audit =
            db->queryOne("SELECT action, source, actor_key_id FROM audit_log WHERE target_id = ? "
                         "ORDER BY id DESC LIMIT 1",
                         {id.toStdString()});
        QCOMPARE(QString::fromStdString(audit->at(0).asText()), QStringLiteral("stop"));
        QCOMPARE(QString::fromStdString(audit->at(1).asText()), QStringLiteral("system"));
        QVERIFY(audit->at(2).isNull());

        // Started again after a long rest: the whole interval again, not stopped at the next tick.
        clock.advance(2h);
        runSync(io, service->start(id.toStdString(), caller));
        QCOMPARE(tick(), 0);
        QCOMPARE(state(id), QStringLiteral("started"));
        clock.advance(14min);
        QCOMPARE(tick(), 0);
        QCOMPARE(state(id), QStringLiteral("started"));
        clock.advance(1min);
        QCOMPARE(tick(), 1);
        QCOMPARE(state(id), QStringLiteral("stopped"));
    }

    void zeroMeansNeverStop() {
        const QString id = create({{"autoStopInterval", 0}});
        clock.advance(24h * 365);
        tick();
        QCOMPARE(state(id), QStringLiteral("started"));
    }

    void ephemeralIsDeletedWhenItStops() {
        const QString id = create({{"autoStopInterval", 1}, {"autoDeleteInterval", 0}});
        clock.advance(1min);
        QVERIFY(tick() >= 2); // stopped, then deleted
        QCOMPARE(state(id), QStringLiteral("gone"));
        QCOMPARE(test::Sandboxes::containerCount(id), 0);
    }

    void autoDeleteCountsFromTheStop() {
        const QString id = create({{"autoStopInterval", 0}, {"autoDeleteInterval", 5}});
        clock.advance(1h); // running time does not count
        runSync(io, service->stop(id.toStdString(), false, caller));
        clock.advance(4min);
        tick();
        QCOMPARE(state(id), QStringLiteral("stopped"));
        clock.advance(1min);
        tick();
        QCOMPARE(state(id), QStringLiteral("gone"));
        QCOMPARE(test::Sandboxes::containerCount(id), 0);
    }

    void autoArchiveCountsFromTheStop() {
        const QString id = create({{"autoStopInterval", 0}, {"autoArchiveInterval", 60}});
        runSync(io, service->stop(id.toStdString(), false, caller));
        clock.advance(59min);
        tick();
        QCOMPARE(state(id), QStringLiteral("stopped"));
        clock.advance(1min);
        QCOMPARE(tick(), 1);
        QCOMPARE(state(id), QStringLiteral("archived"));
        QCOMPARE(test::Sandboxes::containerCount(id), 0);
        const QString archive = dir.path() + QStringLiteral("/archive/") + id + QStringLiteral(".tar.gz");
        QVERIFY(QFile::exists(archive));
        runSync(io, service->remove(id.toStdString(), caller));
        QVERIFY(!QFile::exists(archive));
    }

    void autoPauseFreezesAnIdleSandboxAndStartResumesIt() {
        // Asking for auto-pause alone turns the default auto-stop off (at most one of them is on).
        const QString id = create({{"autoPauseInterval", 10}});
        QCOMPARE(service->get(id.toStdString(), caller)["autoStopInterval"].get<int>(), 0);
        clock.advance(9min);
        QCOMPARE(tick(), 0);
        QCOMPARE(state(id), QStringLiteral("started"));
        clock.advance(1min);
        QCOMPARE(tick(), 1);
        QCOMPARE(state(id), QStringLiteral("paused"));
        QCOMPARE(test::Sandboxes::container(id)
                     .value(QStringLiteral("State"))
                     .toObject()
                     .value(QStringLiteral("Status"))
                     .toString(),
                 QStringLiteral("paused"));
        // Paused stays paused: no stop, archive or delete follows from the pause.
        clock.advance(24h);
        QCOMPARE(tick(), 0);
        QCOMPARE(state(id), QStringLiteral("paused"));
        runSync(io, service->start(id.toStdString(), caller));
        QCOMPARE(state(id), QStringLiteral("started"));
        QVERIFY(running(id));
    }

    void bothAutoStopAndAutoPauseAreRefused() {
        try {
            create({{"autoPauseInterval", 10}, {"autoStopInterval", 15}});
            QFAIL("a create with both intervals was accepted");
        } catch (const cove::domain::DomainError& e) {
            QCOMPARE(e.status(), 400);
            QCOMPARE(QString::fromStdString(e.field), QStringLiteral("autoPauseInterval"));
        }
    }

    void ttlDestroysWhateverTheState() {
        const QString running = create({{"ttlMinutes", 30}, {"autoStopInterval", 0}});
        const QString stopped = create({{"ttlMinutes", 30}, {"autoStopInterval", 0}});
        const QString later = create({{"ttlMinutes", 30}, {"autoStopInterval", 0}});
        runSync(io, service->stop(stopped.toStdString(), false, caller));
        const auto dto = service->get(running.toStdString(), caller);
        QVERIFY(dto.contains("autoDestroyAt"));
        clock.advance(20min);
        // setTtl re-anchors from now: 30 more minutes for this one.
        service->setTtl(later.toStdString(), "30", caller);
        clock.advance(10min);
        QCOMPARE(tick(), 2);
        QCOMPARE(state(running), QStringLiteral("gone"));
        QCOMPARE(state(stopped), QStringLiteral("gone"));
        QCOMPARE(state(later), QStringLiteral("started"));
        QCOMPARE(test::Sandboxes::containerCount(running), 0);
        // 0 turns it off.
        service->setTtl(later.toStdString(), "0", caller);
        QVERIFY(!service->get(later.toStdString(), caller).contains("autoDestroyAt"));
        clock.advance(24h);
        tick();
        QVERIFY(state(later) != QStringLiteral("gone"));
    }

    // Each test's sandboxes go when it ends, so no later clock jump acts on them.
    void cleanup() {
        for (const auto& id : created) {
            try {
                runSync(io, service->remove(id.toStdString(), caller));
            } catch (const cove::domain::DomainError&) {
                // already deleted by the test
            }
        }
        test::removeSandboxContainers(created);
        created.clear();
    }

    void cleanupTestCase() { test::removeSandboxContainers(created); }
};

QTEST_GUILESS_MAIN(TestTimers)
#include "tst_timers.moc"
