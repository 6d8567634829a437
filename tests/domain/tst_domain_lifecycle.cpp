// The sandbox lifecycle on an engine held in memory: what the domain does when the engine fails, when
// containers change under it and when time passes, checked without Docker.
#include "common/ApiError.h"
#include "common/Random.h"
#include "common/Time.h"
#include "service/domain/AgentTransport.h"
#include "service/domain/DomainError.h"
#include "service/domain/SandboxRow.h"
#include "service/domain/SandboxService.h"
#include "service/domain/SandboxStates.h"
#include "service/engine/DockerJson.h"
#include "support/FakeEngine.h"
#include "support/RunSync.h"
#include "support/ServiceHarness.h"

#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace cove;
using namespace std::chrono_literals;
using Call = test::FakeEngine::Call;
using domain::SandboxState;
using nlohmann::json;
using test::runSync;

namespace {
// The service's clock that, once armed, first runs `then`: a write another coved sharing the store makes
// between this one's read of a sandbox and its conditional write.
class RacingClock final : public Clock {
public:
    explicit RacingClock(const Clock& base)
        : m_base(base) {}
    void arm(std::function<void()> then) { m_then = std::move(then); }
    TimePoint now() const override {
        if (m_then) {
            const auto then = std::move(m_then);
            m_then = nullptr;
            then();
        }
        return m_base.now();
    }

private:
    const Clock& m_base;
    mutable std::function<void()> m_then;
};
} // namespace

// The unix transport, counting what it was asked to open; or refusing every stream.
class CountingTransport final : public domain::AgentTransport {
public:
    explicit CountingTransport(std::vector<domain::AgentAddress>& opened, bool refuse = false)
        : m_opened(opened)
        , m_refuse(refuse) {}
    boost::asio::awaitable<domain::ConnectResult> open(const domain::AgentAddress& at) override {
        m_opened.push_back(at);
        if (m_refuse) {
            domain::ConnectResult r;
            r.error = "the transport refused";
            co_return r;
        }
        co_return co_await m_unix.open(at);
    }

private:
    std::vector<domain::AgentAddress>& m_opened;
    bool m_refuse;
    domain::UnixAgentTransport m_unix;
};

class TestDomainLifecycle : public QObject, test::ServiceHarness {
    Q_OBJECT
    QTemporaryDir dir;
    std::unique_ptr<test::FakeEngine> engine;
    std::unique_ptr<domain::SandboxService> service;
    std::string dataDir;

    std::string create(const nlohmann::json& body) {
        try {
            return runSync(io, service->create(body, caller))["id"].get<std::string>();
        } catch (const cove::domain::DomainError& e) {
            qInfo("create refused: %s", e.message.c_str()); // the reason, should a test not expect it
            throw;
        }
    }
    std::string state(const std::string& id) { return stateOf(*service, id); }
    int rows() { return static_cast<int>(db->queryOne("SELECT COUNT(*) FROM sandboxes")->at(0).asInt()); }
    const test::FakeEngine::Container* containerOf(const std::string& id) {
        return engine->container("cove-" + id);
    }

private slots:
    // Each test gets a new database, engine and service: nothing one leaves behind counts in the next.
    void init() {
        QVERIFY(dir.isValid());
        dataDir = dir.path().toStdString() + "/" + uuidV4();
        openStore(dataDir);
        engine = std::make_unique<test::FakeEngine>();
        engine->addImage("cove-base:latest", {"daytona", "/home/daytona", {}, {"sleep", "infinity"}, {}, {}});
        engine->addImage("cove-desktop:latest");
        domain::ServiceConfig config;
        config.dataDir = dataDir;
        config.agentBinary = "/usr/local/libexec/cove-agent";
        config.warmPool = 0;
        service = std::make_unique<domain::SandboxService>(*db, *engine, clock, config);
        QVERIFY(runSync(io, service->registerDefaultSnapshots()).empty());
    }

    void cleanup() {
        service.reset();
        engine.reset();
        db.reset();
    }

    void createMakesAndStartsTheContainer() {
        const std::string id = create({{"cpu", 2}, {"memory", 3}, {"env", {{"A", "1"}}}});
        QCOMPARE(state(id), std::string("started"));
        const auto* c = containerOf(id);
        QVERIFY(c);
        QVERIFY(c->status.running());
        QCOMPARE(c->spec.image, std::string("cove-base:latest"));
        QCOMPARE(c->spec.user, std::string("0"));
        QCOMPARE(c->spec.resources.cpus, 2);
        QCOMPARE(c->spec.resources.memoryBytes, std::int64_t(3) << 30);
        QCOMPARE(c->spec.env.at("A"), std::string("1"));
        QCOMPARE(c->spec.env.at("DAYTONA_SANDBOX_USER"), std::string("daytona"));
        QCOMPARE(c->spec.env.at("COVE_WORKDIR"), std::string("/home/daytona"));
        QCOMPARE(c->spec.command, (std::vector<std::string>{"--", "sleep", "infinity"}));
        QCOMPARE(c->spec.labels.at(domain::kSandboxLabel), id);
        QCOMPARE(c->spec.diskGiB, 0); // the fake cannot cap a disk, so Cove asks for no cap
        // The stored spec is Cove's own, and reads back to what the container was made with.
        const auto row = db->queryOne("SELECT container_spec FROM sandboxes WHERE id = ?", {id});
        const auto stored = nlohmann::json::parse(row->at(0).asText());
        QVERIFY(stored.contains("image"));
        QVERIFY(!stored.contains("HostConfig"));
        QVERIFY(engine::ContainerSpec::fromJson(stored) == c->spec);
    }

    // The list is written as JSON text, not built as a json tree: each item must print exactly what the
    // sandbox's own DTO prints without its detail fields, with every optional field present in some row
    // and strings a client chose (control characters, quotes, UTF-8; bad UTF-8, which PostgreSQL refuses
    // to store, is tst_common's).
    void listWritesEachSandboxAsItsDtoPrints() {
        const std::string plain = create(json::object());
        const std::string labelled =
            create({{"labels", {{"team", "qa"}, {"\xc3\xa9quipe \"q\"", "\xe6\xb2\x99\xe7\x9b\x92 \\ \t"}}}});
        const std::string listed = create(json::object());
        db->exec("UPDATE sandboxes SET network_allow_list = '10.0.0.0/8', domain_allow_list = 'example.com', "
                 "domain_block_list = 'bad.example', error_reason = ?, parent_id = ?, destroy_at = 5, "
                 "backup_at = 6, network_block_all = 1 WHERE id = ?",
                 {std::string("it \"failed\"\n\x01 \xe2\x80\xa8 \xf0\x9f\x93\xa6"), plain, listed});
        db->exec("UPDATE sandboxes SET name = ? WHERE id = ?", {std::string("n\xc3\xa4me-\x7f"), plain});

        const auto page = [&](const std::string& limit, const std::string& cursor) {
            domain::ListQuery q;
            q.params.emplace("limit", limit);
            if (!cursor.empty())
                q.params.emplace("cursor", cursor);
            return service->list(caller, q);
        };
        const auto expected = [&](const std::string& text) {
            const json got = json::parse(text);
            json items = json::array();
            for (const auto& item : got["items"]) {
                json full = service->get(item["id"].get<std::string>(), caller);
                for (const auto* detail :
                     {"backupCreatedAt", "buildInfo", "env", "linkedFollowers", "linkedSandboxId", "volumes"})
                    full.erase(detail);
                items.push_back(std::move(full));
            }
            return json{{"items", items}, {"nextCursor", got["nextCursor"]}}.dump(
                -1, ' ', false, json::error_handler_t::replace);
        };
        const std::string all = page("100", "");
        QCOMPARE(json::parse(all)["items"].size(), std::size_t(3));
        QCOMPARE(all, expected(all));
        for (const auto& id : {plain, labelled, listed})
            QVERIFY(all.find(id) != std::string::npos);
        // A page that ends early, and the next.
        const std::string first = page("2", "");
        QCOMPARE(first, expected(first));
        const std::string cursor = json::parse(first)["nextCursor"].get<std::string>();
        const std::string rest = page("2", cursor);
        QCOMPARE(rest, expected(rest));
        QVERIFY(json::parse(rest)["nextCursor"].is_null());
    }

    // Every stream coved opens to an agent, the readiness check and the toolbox's, goes through the
    // service's one transport, which is told which sandbox and where.
    void agentStreamsGoThroughTheTransport() {
        std::vector<domain::AgentAddress> opened;
        service->setAgentTransport(std::make_unique<CountingTransport>(opened));
        const std::string id = create({});
        QVERIFY(!opened.empty());
        QCOMPARE(opened.back().sandboxId, id);
        QCOMPARE(opened.back().runDir, dataDir + "/sandboxes/" + id + "/run");
        QVERIFY(opened.back().pid > 0);
        const std::size_t before = opened.size();
        const int fd = runSync(io, service->connectAgent(id, caller));
        QVERIFY(fd >= 0);
        ::close(fd);
        QCOMPARE(opened.size(), before + 1);
        // A transport that cannot reach the agent: the toolbox answers 502 with its reason.
        service->setAgentTransport(std::make_unique<CountingTransport>(opened, true));
        try {
            runSync(io, service->connectAgent(id, caller));
            QFAIL("a refused stream was handed out");
        } catch (const cove::domain::DomainError& e) {
            QCOMPARE(e.status(), 502);
            QVERIFY2(e.message.find("the transport refused") != std::string::npos, e.message.c_str());
        }
    }

    void createRollsBackWhenTheEngineRefusesTheContainer() {
        engine->failNext(Call::Create);
        QVERIFY_THROWS_EXCEPTION(cove::domain::DomainError, create({{"name", "refused"}}));
        QCOMPARE(engine->containerCount(), std::size_t(0));
        QCOMPARE(state("refused"), std::string("gone"));
        // The name is free again, and the next create works.
        QCOMPARE(state(create({{"name", "refused"}})), std::string("started"));
    }

    void createRollsBackWhenTheContainerDoesNotStart() {
        engine->failNext(Call::Start);
        try {
            create({{"name", "unstarted"}});
            QFAIL("the create should have failed");
        } catch (const cove::domain::DomainError& e) {
            QCOMPARE(e.status(), 503);
        }
        QCOMPARE(engine->containerCount(), std::size_t(0)); // made, then removed again
        QCOMPARE(state("unstarted"), std::string("gone"));
        const auto row = db->queryOne("SELECT state, error_reason FROM sandboxes WHERE name = 'unstarted'");
        QCOMPARE(row->at(0).asText(), std::string("destroyed"));
        QVERIFY(!row->at(1).asText().empty());
    }

    void createFailsCleanlyWhenTheEngineIsGone() {
        // Gone from the start: the image cannot be looked at, and nothing is written.
        engine->setUnreachable(true);
        try {
            create({{"name", "nowhere"}});
            QFAIL("the create should have failed");
        } catch (const engine::EngineError& e) {
            QVERIFY(e.unreachable());
        }
        engine->setUnreachable(false);
        QCOMPARE(rows(), 0);
        // Gone between the image check and the container: rolled back like any refusal.
        engine->failNext(Call::Create, 0);
        try {
            create({{"name", "nowhere"}});
            QFAIL("the create should have failed");
        } catch (const cove::domain::DomainError& e) {
            QCOMPARE(e.status(), 503);
        }
        QCOMPARE(engine->containerCount(), std::size_t(0));
        QCOMPARE(state("nowhere"), std::string("gone"));
    }

    void createBeyondTheQuotaIsRefusedAndChangesNothing() {
        create({{"cpu", 4}});
        create({{"cpu", 4}});
        const int before = rows();
        try {
            create({{"cpu", 4}, {"name", "third"}});
            QFAIL("the create should have been refused");
        } catch (const cove::domain::DomainError& e) {
            QCOMPARE(e.status(), 403);
            QCOMPARE(e.code, std::string("QUOTA_EXCEEDED"));
        }
        QCOMPARE(rows(), before);
        QCOMPARE(engine->containerCount(), std::size_t(2));
        QCOMPARE(state("third"), std::string("gone"));
    }

    void reconcileMarksAVanishedContainer() {
        const std::string id = create({});
        engine->removeBehindTheBack("cove-" + id);
        const auto report = runSync(io, service->reconcile());
        QCOMPARE(report.failed, 1);
        QCOMPARE(state(id), std::string("error"));
    }

    void reconcileRestartsAContainerThatStoppedOnItsOwn() {
        const std::string id = create({});
        engine->exitContainer("cove-" + id, 137);
        QVERIFY(!containerOf(id)->status.running());
        const auto report = runSync(io, service->reconcile());
        QCOMPARE(report.restarted, 1);
        QCOMPARE(state(id), std::string("started"));
        QVERIFY(containerOf(id)->status.running());
    }

    void reconcileRemovesOrphans() {
        const std::string kept = create({});
        const std::string orphan = uuidV4();
        engine::ContainerSpec spec;
        spec.image = "cove-base:latest";
        spec.labels = {{domain::kSandboxLabel, orphan}, {domain::kInstanceLabel, service->instanceId()}};
        engine->addContainer("cove-" + orphan, spec);
        // Another installation's container is not this one's to remove.
        spec.labels[domain::kInstanceLabel] = "another";
        engine->addContainer("cove-" + uuidV4(), spec);
        const auto report = runSync(io, service->reconcile());
        QCOMPARE(report.orphansRemoved, 1);
        QVERIFY(!containerOf(orphan));
        QVERIFY(containerOf(kept));
        QCOMPARE(engine->containerCount(), std::size_t(2));
    }

    void autoStopAfterTheIntervalAndNotBefore() {
        const std::string id = create({{"autoStopInterval", 15}});
        clock.advance(14min);
        QCOMPARE(runSync(io, service->runTimers()), 0);
        QCOMPARE(state(id), std::string("started"));
        QVERIFY(containerOf(id)->status.running());
        clock.advance(1min);
        QCOMPARE(runSync(io, service->runTimers()), 1);
        QCOMPARE(state(id), std::string("stopped"));
        QVERIFY(!containerOf(id)->status.running());
    }

    // The telemetry history: one sandbox's samples stay within the retention and the sample cap, a range
    // answers only what falls in it, in Daytona's series shape, and a history past the retention goes.
    void metricsHistoryIsBoundedAndAnsweredAsSeries() {
        using domain::MetricsLimits;
        domain::MetricsHistory h;
        const std::int64_t start = 1'700'000'000'000;
        const int count = int(MetricsLimits::kMaxSamples) + 200; // 25 h and more of samples
        for (int i = 0; i < count; ++i) {
            domain::MetricsSample s;
            s.at = start + std::int64_t(i) * MetricsLimits::kSampleEveryMs;
            s.cpuPct = i % 100;
            s.diskUsed = i;
            s.diskTotal = 10LL << 30;
            h.add("a", s);
        }
        const std::int64_t last = start + std::int64_t(count - 1) * MetricsLimits::kSampleEveryMs;
        const auto all = h.range("a", 0, last);
        QVERIFY(all.size() <= MetricsLimits::kMaxSamples);
        QVERIFY(all.front().at >= last - MetricsLimits::kRetentionMs);
        QCOMPARE(all.back().at, last);
        // A sample older than the last is not kept out of order.
        domain::MetricsSample late;
        late.at = last - 1;
        h.add("a", late);
        QCOMPARE(h.latest("a")->at, last - 1);
        const auto some = h.range("a", last - 5 * MetricsLimits::kSampleEveryMs, last - 1);
        QCOMPARE(some.size(), std::size_t(6)); // five on the 30 s grid, then the late one
        const nlohmann::json series = domain::MetricsHistory::series(
            some, {"daytona.sandbox.filesystem.usage", "daytona.sandbox.filesystem.total", "no.such.metric"});
        QCOMPARE(series["series"].size(), std::size_t(2));
        QCOMPARE(series["series"][0]["metricName"].get<std::string>(),
                 std::string("daytona.sandbox.filesystem.usage"));
        QCOMPARE(series["series"][0]["dataPoints"].size(), std::size_t(6));
        QCOMPARE(series["series"][1]["dataPoints"][0]["value"].get<double>(), double(10LL << 30));
        QCOMPARE(domain::MetricsHistory::series(some, {})["series"].size(),
                 domain::MetricsHistory::metricNames().size());
        QCOMPARE(h.sandboxCount(), std::size_t(1));
        h.prune(last + MetricsLimits::kRetentionMs - 10);
        QCOMPARE(h.sandboxCount(), std::size_t(1));
        h.prune(last + MetricsLimits::kRetentionMs + 10);
        QCOMPARE(h.sandboxCount(), std::size_t(0));
    }

    void transitionTableRefusesIllegalTransitions() {
        QVERIFY(domain::canTransition(SandboxState::Stopped, SandboxState::Started));
        QVERIFY(domain::canTransition(SandboxState::Started, SandboxState::Started));
        QVERIFY(!domain::canTransition(SandboxState::Destroyed, SandboxState::Started));
        QVERIFY(!domain::canTransition(SandboxState::Destroyed, SandboxState::Destroyed));
        QVERIFY(!domain::canTransition(SandboxState::Started, SandboxState::Archived));
        QVERIFY(!domain::canTransition(SandboxState::Creating, SandboxState::Stopped));
        QVERIFY(!domain::canTransition(SandboxState::BuildFailed, SandboxState::Started));
        const auto archivable = domain::sourcesOf(SandboxState::Archived);
        const auto has = [&](SandboxState s) {
            return std::find(archivable.begin(), archivable.end(), s) != archivable.end();
        };
        QVERIFY(has(SandboxState::Stopped));
        QVERIFY(!has(SandboxState::Started) && !has(SandboxState::Error) && !has(SandboxState::Destroyed) &&
                !has(SandboxState::Creating));
        // The store writes only from an allowed state: a destroyed sandbox is never started again.
        const std::string id = create({});
        runSync(io, service->remove(id, caller));
        store::SandboxRepository repo(*db);
        QVERIFY(!repo.transition(id, domain::sourcesOf(SandboxState::Started), SandboxState::Started, 1));
        QCOMPARE(db->queryOne("SELECT state FROM sandboxes WHERE id = ?", {id})->at(0).asText(),
                 std::string("destroyed"));
        QVERIFY(!repo.setDesired(id, SandboxState::Stopped, SandboxState::Stopped, SandboxState::Started, 1));
    }

    // Two coveds on one store start the same stopped sandbox: the one whose conditional write loses is
    // refused as a second request is, and never asks the engine to start the container.
    void aStartThatLosesTheRaceIsRefusedAndStartsNothing() {
        const std::string id = create({});
        runSync(io, service->stop(id, false, caller));
        QVERIFY(!containerOf(id)->status.running());
        RacingClock racing(clock);
        domain::ServiceConfig config;
        config.dataDir = dataDir;
        config.agentBinary = "/usr/local/libexec/cove-agent";
        config.warmPool = 0;
        domain::SandboxService loser(*db, *engine, racing, config);
        racing.arm([&] { db->exec("UPDATE sandboxes SET desired_state = 'started' WHERE id = ?", {id}); });
        try {
            runSync(io, loser.start(id, caller));
            QFAIL("the start that lost should have been refused");
        } catch (const cove::domain::DomainError& e) {
            QCOMPARE(e.status(), 409);
            QVERIFY2(e.message.find("starting") != std::string::npos, e.message.c_str());
        }
        QVERIFY(!containerOf(id)->status.running());
        // The winner's intent stands, untouched by the loser.
        const auto row = db->queryOne("SELECT state, desired_state FROM sandboxes WHERE id = ?", {id});
        QCOMPARE(row->at(0).asText(), std::string("stopped"));
        QCOMPARE(row->at(1).asText(), std::string("started"));
    }

    // A sandbox archived by an older Cove has Docker's create body as its stored spec: it still
    // restores, with the same settings, and its spec is stored again in Cove's shape.
    void archiveOfAnOlderCoveRestores() {
        const std::string id = create({{"cpu", 1}, {"memory", 1}});
        runSync(io, service->stop(id, false, caller));
        runSync(io, service->archive(id, caller));
        QCOMPARE(state(id), std::string("archived"));
        QVERIFY(!containerOf(id));

        const nlohmann::json legacy = {
            {"Image", "cove-base:latest"},
            {"Hostname", id.substr(0, 12)},
            {"User", "0"},
            {"Entrypoint", {"/usr/local/bin/cove-agent"}},
            {"Cmd", {"--", "sleep", "infinity"}},
            {"Env", {"A=1", "DAYTONA_SANDBOX_ID=" + id, "COVE_SANDBOX_USER=daytona"}},
            {"Labels",
             {{domain::kSandboxLabel, id},
              {"cove.managed", "true"},
              {domain::kInstanceLabel, service->instanceId()}}},
            {"HostConfig",
             {{"Binds",
               {"/usr/local/libexec/cove-agent:/usr/local/bin/cove-agent:ro",
                dataDir + "/sandboxes/" + id + "/run:/run/cove:rw", "/data/volumes/v1:/mnt/a:b:ro"}},
              {"PidsLimit", 4096},
              {"Privileged", false},
              {"CapDrop", {"NET_RAW"}},
              {"Init", false},
              {"CpuPeriod", 100000},
              {"CpuQuota", 100000},
              {"Memory", 1LL << 30},
              {"MemorySwap", 1LL << 30},
              {"StorageOpt", {{"size", "3G"}}}}},
        };
        db->exec("UPDATE sandboxes SET container_spec = ?, cpu = 2, memory = 2 WHERE id = ?",
                 {legacy.dump(), id});

        runSync(io, service->start(id, caller));
        QCOMPARE(state(id), std::string("started"));
        const auto* c = containerOf(id);
        QVERIFY(c);
        QCOMPARE(c->spec.image, "cove-archive:" + id);
        QCOMPARE(c->spec.user, std::string("0"));
        QCOMPARE(c->spec.command, (std::vector<std::string>{"--", "sleep", "infinity"}));
        QCOMPARE(c->spec.env.at("A"), std::string("1"));
        QCOMPARE(c->spec.labels.at(domain::kSandboxLabel), id);
        QCOMPARE(c->spec.binds.size(), std::size_t(3));
        QVERIFY((c->spec.binds[0] ==
                 engine::Bind{"/usr/local/libexec/cove-agent", "/usr/local/bin/cove-agent", true}));
        QCOMPARE(c->spec.binds[1].containerPath, std::string("/run/cove"));
        QVERIFY(!c->spec.binds[1].readOnly);
        QVERIFY((c->spec.binds[2] == engine::Bind{"/data/volumes/v1", "/mnt/a:b", true}));
        QCOMPARE(c->spec.pidsLimit, std::int64_t(4096));
        QCOMPARE(c->spec.capDrop, std::vector<std::string>{"NET_RAW"});
        QCOMPARE(c->spec.diskGiB, 3);
        // Limits as the sandbox has them now, not as they were stored.
        QCOMPARE(c->spec.resources.cpus, 2);
        QCOMPARE(c->spec.resources.memoryBytes, std::int64_t(2) << 30);

        const auto row = db->queryOne("SELECT container_spec FROM sandboxes WHERE id = ?", {id});
        const auto stored = nlohmann::json::parse(row->at(0).asText());
        QVERIFY(!stored.contains("HostConfig"));
        QCOMPARE(stored.value("image", ""), std::string("cove-base:latest"));
        // And Docker's body made from it is the body the older Cove stored.
        const auto again = engine::docker::createBody(engine::ContainerSpec::fromJson(stored));
        QCOMPARE(again["HostConfig"], legacy["HostConfig"]);
        QCOMPARE(again["Cmd"], legacy["Cmd"]);
        QCOMPARE(again["Labels"], legacy["Labels"]);
    }
};

QTEST_GUILESS_MAIN(TestDomainLifecycle)
#include "tst_domain_lifecycle.moc"
