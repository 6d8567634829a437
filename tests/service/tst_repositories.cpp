// The repositories of store/ on a real database: what each writes is what it reads back, conditional
// writes happen only when their condition holds, and a taken name is refused without an error.
#include "service/store/AuditRepository.h"
#include "service/store/KeyRepository.h"
#include "service/store/LinkRepository.h"
#include "service/store/OrganizationRepository.h"
#include "service/store/RegistryRepository.h"
#include "service/store/SandboxRepository.h"
#include "service/store/SecretRepository.h"
#include "service/store/SettingsRepository.h"
#include "service/store/SnapshotRepository.h"
#include "service/store/SshAccessRepository.h"
#include "service/store/UsageRepository.h"
#include "service/store/VolumeRepository.h"
#include "service/store/WarmPoolRepository.h"
#include "service/store/WebhookRepository.h"
#include "support/TestDatabase.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace cove::store;

namespace {

ApiKeyRecord key(const std::string& id, const std::string& name, std::int64_t createdAt) {
    return {id,        "o",          name,         "hash-" + id, "cove_abc", "wxyz", R"(["write:sandboxes"])",
            createdAt, std::nullopt, std::nullopt, std::nullopt};
}

SnapshotRecord snapshot(const std::string& id, const std::string& name, std::int64_t createdAt) {
    SnapshotRecord r;
    r.id = id;
    r.organizationId = "o";
    r.name = name;
    r.imageName = "img:" + name;
    r.state = "active";
    r.createdAt = r.updatedAt = createdAt;
    return r;
}

VolumeRecord volume(const std::string& id, const std::string& name, const std::string& state) {
    return {id, "o", name, state, std::nullopt, 0, 1, 1, std::nullopt};
}

void addSandbox(Database& db, const std::string& id, const std::string& state, const std::string& desired,
                int cpu, int memory, int disk, const std::string& snapshotName = "s",
                std::int64_t createdAt = 1) {
    db.exec(
        "INSERT INTO sandboxes (id, organization_id, name, snapshot, image, os_user, cpu, memory, disk, "
        "auto_stop_interval, auto_archive_interval, auto_delete_interval, state, desired_state, created_at, "
        "updated_at, last_activity_at) VALUES (?, 'o', ?, ?, 'img', 'cove', ?, ?, ?, 15, 10080, -1, ?, ?, ?, "
        "1, 1)",
        {id, "sb-" + id, snapshotName, cpu, memory, disk, state, desired, createdAt});
}

std::vector<std::string> namesOf(const std::vector<SnapshotRecord>& items) {
    std::vector<std::string> out;
    for (const auto& i : items)
        out.push_back(i.name);
    return out;
}

} // namespace

class TestRepositories : public QObject {
    Q_OBJECT
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<cove::test::TestDatabase> m_where;
    std::unique_ptr<Database> m_db;

    Database& db() { return *m_db; }

private slots:
    // Every test on a database of its own, holding organizations o and p.
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_where = std::make_unique<cove::test::TestDatabase>(m_dir->path());
        m_db = cove::store::open(m_where->spec());
        OrganizationRepository orgs(db());
        QVERIFY(orgs.ensure("o", "Personal", 10));
        QVERIFY(orgs.ensure("p", "Other", 20));
    }
    void cleanup() {
        m_db.reset();
        m_where.reset();
        m_dir.reset();
    }

    void organizations() {
        OrganizationRepository orgs(db());
        QVERIFY(!orgs.ensure("o", "Renamed", 99)); // an existing one stays as it is
        auto o = orgs.find("o");
        QVERIFY(o);
        QCOMPARE(o->name, std::string("Personal"));
        QCOMPARE(o->createdAt, std::int64_t(10));
        QCOMPARE(o->tier, 1);
        QCOMPARE(o->quota, std::string("{}"));
        QCOMPARE(o->updatedAt, std::int64_t(0));
        QVERIFY(!orgs.find("nobody"));
        QCOMPARE(orgs.listIds(), (std::vector<std::string>{"o", "p"}));

        orgs.setQuota("o", R"({"totalCpuQuota":3})", 50);
        o = orgs.find("o");
        QCOMPARE(o->quota, std::string(R"({"totalCpuQuota":3})"));
        QCOMPARE(o->updatedAt, std::int64_t(50));
        orgs.setTier("o", 3, 60);
        o = orgs.find("o");
        QCOMPARE(o->tier, 3);
        QCOMPARE(o->quota, std::string("{}")); // a tier drops the custom numbers
        QCOMPARE(o->updatedAt, std::int64_t(60));
        QCOMPARE(orgs.find("p")->tier, 1);
    }

    void keys() {
        KeyRepository keys(db());
        auto a = key("1", "ci", 100);
        a.expiresAt = 5000;
        QVERIFY(keys.insert(a));
        QVERIFY(keys.insert(key("2", "admin", 50)));
        QVERIFY(!keys.insert(key("3", "ci", 200))); // the name is taken by a live key
        QVERIFY(!keys.findById("3"));

        const auto byHash = keys.findByHash("hash-1");
        QVERIFY(byHash);
        QCOMPARE(byHash->id, std::string("1"));
        QCOMPARE(byHash->organizationId, std::string("o"));
        QCOMPARE(byHash->scopes, std::string(R"(["write:sandboxes"])"));
        QCOMPARE(byHash->keyPrefix, std::string("cove_abc"));
        QCOMPARE(byHash->keySuffix, std::string("wxyz"));
        QCOMPARE(byHash->expiresAt, std::optional<std::int64_t>(5000));
        QVERIFY(!byHash->lastUsedAt && !byHash->revokedAt);
        QVERIFY(!keys.findByHash("hash-9"));

        const auto live = keys.listLive("o");
        QCOMPARE(live.size(), std::size_t(2));
        QCOMPARE(live[0].name, std::string("admin")); // oldest first
        QCOMPARE(live[1].name, std::string("ci"));
        QVERIFY(keys.listLive("p").empty());
        QVERIFY(!keys.findLiveByName("p", "ci"));

        keys.markUsed("1", 700);
        QCOMPARE(keys.findById("1")->lastUsedAt, std::optional<std::int64_t>(700));

        keys.revoke("1", 800);
        QCOMPARE(keys.findById("1")->revokedAt, std::optional<std::int64_t>(800));
        QVERIFY(!keys.findLiveByName("o", "ci"));
        QVERIFY(keys.insert(key("3", "ci", 900))); // a revoked key's name is free again
        QCOMPARE(keys.findLiveByName("o", "ci")->id, std::string("3"));

        keys.revokeLiveNamed("admin", 1000);
        QCOMPARE(keys.findById("2")->revokedAt, std::optional<std::int64_t>(1000));
        QCOMPARE(keys.findById("3")->revokedAt, std::optional<std::int64_t>()); // another name stays
    }

    void usage() {
        addSandbox(db(), "a", "started", "started", 2, 4, 10);
        addSandbox(db(), "b", "stopped", "stopped", 1, 1, 5);     // disk only
        addSandbox(db(), "c", "archived", "archived", 8, 8, 50);  // nothing
        addSandbox(db(), "d", "archived", "started", 1, 2, 3);    // being restored: all of it
        addSandbox(db(), "e", "destroyed", "destroyed", 9, 9, 9); // not counted at all
        addSandbox(db(), "f", "error", "started", 4, 4, 4);       // disk only
        VolumeRepository volumes(db());
        QVERIFY(volumes.insert(volume("v1", "one", "ready")));
        QVERIFY(volumes.insert(volume("v2", "two", "deleted")));
        volumes.setSize("v1", 1234);
        volumes.setSize("v2", 99);

        UsageRepository usage(db());
        const UsageTotals t = usage.totals("o");
        QCOMPARE(t.cpu, std::int64_t(3));
        QCOMPARE(t.memory, std::int64_t(6));
        QCOMPARE(t.disk, std::int64_t(10 + 5 + 3 + 4));
        QCOMPARE(t.running, std::int64_t(1));
        QCOMPARE(t.sandboxes, std::int64_t(5));
        QCOMPARE(t.volumes, std::int64_t(1));
        QCOMPARE(t.volumeBytes, std::int64_t(1234));
        const UsageTotals none = usage.totals("p");
        QCOMPARE(none.cpu + none.memory + none.disk + none.sandboxes + none.volumes + none.volumeBytes,
                 std::int64_t(0));

        usage.recordSample({"o", 1000, 1, 1, 1, 1});
        usage.recordSample({"o", 1000, 2, 3, 4, 5}); // the same instant: replaced
        usage.recordSample({"o", 2000, 6, 6, 6, 6});
        usage.recordSample({"o", 3000, 7, 7, 7, 7});
        usage.recordSample({"p", 2000, 9, 9, 9, 9});
        auto s = usage.samples("o", 0, 2500, 100);
        QCOMPARE(s.size(), std::size_t(2));
        QCOMPARE(s[0].at, std::int64_t(1000));
        QCOMPARE(s[0].cpu, std::int64_t(2));
        QCOMPARE(s[0].memory, std::int64_t(3));
        QCOMPARE(s[0].disk, std::int64_t(4));
        QCOMPARE(s[0].running, std::int64_t(5));
        QCOMPARE(s[1].at, std::int64_t(2000));
        QCOMPARE(usage.samples("o", 0, 5000, 1).size(), std::size_t(1));
        usage.pruneSamplesBefore(2000);
        s = usage.samples("o", 0, 5000, 100);
        QCOMPARE(s.size(), std::size_t(2));
        QCOMPARE(s[0].at, std::int64_t(2000));
        QCOMPARE(usage.samples("p", 0, 5000, 100).size(), std::size_t(1));
    }

    void audit() {
        QVERIFY(KeyRepository(db()).insert(key("k", "ci", 1)));
        AuditRepository audit(db());
        AuditRecord r;
        r.organizationId = "o";
        r.actorKeyId = "k";
        r.actorName = "ci";
        r.action = "create";
        r.targetType = "sandbox";
        r.targetId = "s1";
        r.statusCode = 200;
        r.source = "sdk";
        r.ip = "127.0.0.1";
        r.userAgent = "test";
        r.createdAt = 100;
        const std::int64_t first = audit.insert(r);
        r.action = "delete";
        r.statusCode = 404;
        r.errorMessage = "gone";
        r.createdAt = 200;
        const std::int64_t second = audit.insert(r);
        QVERIFY(second > first);
        AuditRecord system; // the service itself, about no key
        system.organizationId = "o";
        system.action = "auto_stop";
        system.statusCode = 200;
        system.createdAt = 300;
        const std::int64_t third = audit.insert(system);
        AuditRecord refused; // about no organization
        refused.action = "authenticate";
        refused.statusCode = 401;
        refused.createdAt = 400;
        audit.insert(refused);

        const auto one = audit.find(first);
        QVERIFY(one);
        QCOMPARE(one->id, first);
        QCOMPARE(one->keyPrefix, std::optional<std::string>("cove_abc")); // from the key
        QCOMPARE(one->keySuffix, std::optional<std::string>("wxyz"));
        QCOMPARE(one->statusCode, std::optional<std::int64_t>(200));
        QCOMPARE(one->userAgent, std::optional<std::string>("test"));
        QVERIFY(!one->errorMessage);
        const auto sys = audit.find(third);
        QVERIFY(!sys->actorKeyId && !sys->keyPrefix && !sys->targetType);

        AuditFilter f;
        f.organizationId = "o";
        QCOMPARE(audit.count(f), std::int64_t(3));
        auto page = audit.page(f, 10, 0);
        QCOMPARE(page.size(), std::size_t(3));
        QCOMPARE(page[0].id, third); // newest first
        QCOMPARE(page[2].id, first);
        QCOMPARE(audit.page(f, 1, 1).at(0).id, second);
        f.beforeId = third; // a cursor narrows the page, not the total
        QCOMPARE(audit.page(f, 10, 0).size(), std::size_t(2));
        QCOMPARE(audit.count(f), std::int64_t(3));
        f.beforeId = 0;

        f.outcome = AuditFilter::Outcome::Error;
        QCOMPARE(audit.count(f), std::int64_t(1));
        f.outcome = AuditFilter::Outcome::Success;
        QCOMPARE(audit.count(f), std::int64_t(2));
        f.outcome = AuditFilter::Outcome::Status;
        f.status = 404;
        QCOMPARE(audit.page(f, 10, 0).at(0).id, second);
        f.outcome = AuditFilter::Outcome::Any;
        f.actorName = "ci";
        f.fromMs = 150;
        f.toMs = 250;
        QCOMPARE(audit.count(f), std::int64_t(1));
        f = {};
        f.organizationId = "o";
        f.action = "create";
        f.targetType = "sandbox";
        f.targetId = "s1";
        QCOMPARE(audit.page(f, 10, 0).at(0).id, first);
        f.targetId = "s2";
        QCOMPARE(audit.count(f), std::int64_t(0));

        audit.setOutcome(first, 500, std::string("failed later"));
        QCOMPARE(audit.find(first)->statusCode, std::optional<std::int64_t>(500));
        QCOMPARE(audit.find(first)->errorMessage, std::optional<std::string>("failed later"));
        audit.setOutcome(second, 200, std::nullopt);
        QVERIFY(!audit.find(second)->errorMessage);

        audit.pruneBefore(250);
        QVERIFY(!audit.find(first) && !audit.find(second));
        QVERIFY(audit.find(third));
    }

    void snapshots() {
        SnapshotRepository snaps(db());
        auto a = snapshot("id-a", "Alpha", 100);
        a.entrypoint = R"(["/bin/sh"])";
        a.buildInfo = R"({"hash":"h"})";
        a.buildHash = "h";
        a.sourceSandboxId = "sb";
        a.imageOwned = true;
        a.cpu = 2;
        a.memory = 4;
        a.disk = 8;
        QVERIFY(snaps.insert(a));
        QVERIFY(snaps.insert(snapshot("id-b", "beta_1", 200)));
        auto other = snapshot("id-c", "gamma", 300);
        other.organizationId = "p";
        QVERIFY(snaps.insert(other));
        auto general = snapshot("id-g", "cove-base", 50);
        general.organizationId = std::nullopt;
        general.general = true;
        QVERIFY(snaps.insert(general));

        QVERIFY(snaps.nameTaken("gamma")); // names are unique across organizations
        QVERIFY(!snaps.insert(snapshot("id-x", "gamma", 400)));
        QVERIFY(!snaps.findById("id-x"));

        const auto found = snaps.find("Alpha", "o");
        QVERIFY(found);
        QCOMPARE(found->id, std::string("id-a"));
        QCOMPARE(found->entrypoint, std::optional<std::string>(R"(["/bin/sh"])"));
        QCOMPARE(found->buildHash, std::optional<std::string>("h"));
        QCOMPARE(found->sourceSandboxId, std::optional<std::string>("sb"));
        QVERIFY(found->imageOwned && !found->general);
        QCOMPARE(found->cpu, 2);
        QCOMPARE(found->memory, 4);
        QCOMPARE(found->disk, 8);
        QVERIFY(!found->sizeBytes && !found->lastUsedAt && !found->errorReason);
        QVERIFY(!snaps.find("gamma", "o"));    // another organization's
        QVERIFY(snaps.find("cove-base", "o")); // general: every organization sees it
        QVERIFY(!snaps.find("cove-base", "o")->organizationId);
        QVERIFY(snaps.insert(snapshot("id-b2", "id-b", 250)));      // named as another's id
        QCOMPARE(snaps.find("id-b", "o")->id, std::string("id-b")); // the id wins
        QCOMPARE(snaps.countOwnedBy("o"), std::int64_t(3));

        SnapshotListQuery q;
        q.organizationId = "o";
        auto page = snaps.listPage(q);
        QCOMPARE(page.total, std::int64_t(4));
        QCOMPARE(namesOf(page.items), (std::vector<std::string>{"id-b", "beta_1", "Alpha", "cove-base"}));
        q.sort = SnapshotListQuery::Sort::Name;
        q.ascending = true;
        q.limit = 2;
        q.offset = 1;
        page = snaps.listPage(q);
        QCOMPARE(page.total, std::int64_t(4));
        QCOMPARE(namesOf(page.items), (std::vector<std::string>{"beta_1", "cove-base"}));
        q = {};
        q.organizationId = "o";
        q.nameContains = "ALP"; // ASCII case ignored
        QCOMPARE(namesOf(snaps.listPage(q).items), (std::vector<std::string>{"Alpha"}));
        q.nameContains = "a_"; // _ is a character, not a wildcard
        QCOMPARE(namesOf(snaps.listPage(q).items), (std::vector<std::string>{"beta_1"}));
        q.nameContains = "%";
        QCOMPARE(snaps.listPage(q).total, std::int64_t(0));
        q.nameContains.clear();
        q.sourceSandboxId = "sb";
        QCOMPARE(namesOf(snaps.listPage(q).items), (std::vector<std::string>{"Alpha"}));

        snaps.setState("id-b", "error", std::string("broke"), 500, std::int64_t(4096));
        auto b = snaps.findById("id-b");
        QCOMPARE(b->state, std::string("error"));
        QCOMPARE(b->errorReason, std::optional<std::string>("broke"));
        QCOMPARE(b->updatedAt, std::int64_t(500));
        QCOMPARE(b->sizeBytes, std::optional<std::int64_t>(4096));
        snaps.setState("id-b", "active", std::nullopt, 600, std::nullopt);
        b = snaps.findById("id-b");
        QVERIFY(!b->errorReason && !b->sizeBytes);

        snaps.setImage("id-b", "cove-snapshot:id-b");
        QVERIFY(snaps.imageInUse("cove-snapshot:id-b"));
        QVERIFY(!snaps.imageInUse("img:beta_1"));
        QVERIFY(!snaps.findById("id-b")->imageOwned);
        snaps.markImageOwned("id-b");
        QVERIFY(snaps.findById("id-b")->imageOwned);
        snaps.remove("id-b");
        QVERIFY(!snaps.findById("id-b"));
        QVERIFY(!snaps.imageInUse("cove-snapshot:id-b"));
    }

    void reusableBuilds() {
        SnapshotRepository snaps(db());
        const auto build = [&](const std::string& id, const std::string& state, std::int64_t createdAt,
                               const std::string& org) {
            auto r = snapshot(id, "build-" + id, createdAt);
            r.organizationId = org;
            r.state = state;
            r.buildHash = "same";
            QVERIFY(snaps.insert(r));
        };
        build("1", "building", 100, "o");
        build("2", "error", 50, "o");
        QCOMPARE(snaps.findReusableBuild("same", "o"), std::optional<std::string>("1"));
        build("3", "active", 300, "o");
        QCOMPARE(snaps.findReusableBuild("same", "o"), std::optional<std::string>("3")); // active first
        build("4", "active", 10, "p");
        QCOMPARE(snaps.findReusableBuild("same", "o"), std::optional<std::string>("3")); // not another's
        QVERIFY(!snaps.findReusableBuild("other", "o"));
    }

    void generalSnapshotsAreUpserted() {
        SnapshotRepository snaps(db());
        const std::string id = snaps.upsertGeneralBuilding("g1", "cove-base", "cove-base:1", 100);
        QCOMPARE(id, std::string("g1"));
        snaps.setState(id, "build_failed", std::string("step 3"), 150, std::nullopt);
        // Built again: the same row, its new image, building and no error.
        QCOMPARE(snaps.upsertGeneralBuilding("g2", "cove-base", "cove-base:2", 200), std::string("g1"));
        const auto r = snaps.findById("g1");
        QVERIFY(r->general);
        QCOMPARE(r->imageName, std::string("cove-base:2"));
        QCOMPARE(r->state, std::string("building"));
        QVERIFY(!r->errorReason);
        QCOMPARE(r->updatedAt, std::int64_t(200));
        QCOMPARE(r->createdAt, std::int64_t(100));
        QVERIFY(!snaps.findById("g2"));
    }

    void interruptedSnapshotWork() {
        SnapshotRepository snaps(db());
        for (const char* state : {"building", "pending", "pulling", "active"}) {
            auto r = snapshot(std::string("s-") + state, state, 1);
            r.state = state;
            QVERIFY(snaps.insert(r));
        }
        addSandbox(db(), "w1", "pending_build", "started", 1, 1, 1);
        addSandbox(db(), "w2", "building_snapshot", "started", 1, 1, 1);
        addSandbox(db(), "c", "snapshotting", "started", 1, 1, 1);
        addSandbox(db(), "r", "started", "started", 1, 1, 1);
        snaps.failInterrupted("snapshot stopped");
        cove::store::SandboxRepository(db()).settleInterrupted("sandbox stopped");
        for (const char* state : {"building", "pending", "pulling"}) {
            const auto r = snaps.findById(std::string("s-") + state);
            QCOMPARE(r->state, std::string("error"));
            QCOMPARE(r->errorReason, std::optional<std::string>("snapshot stopped"));
        }
        QCOMPARE(snaps.findById("s-active")->state, std::string("active"));
        const auto stateOf = [&](const char* id) {
            return db().queryOne("SELECT state, error_reason FROM sandboxes WHERE id = ?", {id}).value();
        };
        QCOMPARE(stateOf("w1").at(0).asText(), std::string("build_failed"));
        QCOMPARE(stateOf("w2").at(1).asText(), std::string("sandbox stopped"));
        QCOMPARE(stateOf("c").at(0).asText(), std::string("started"));
        QVERIFY(stateOf("c").at(1).isNull());
        QCOMPARE(stateOf("r").at(0).asText(), std::string("started"));
    }

    void sandboxesUsingASnapshot() {
        addSandbox(db(), "1", "started", "started", 1, 1, 1, "base", 30);
        addSandbox(db(), "2", "stopped", "stopped", 1, 1, 1, "snap-id", 20);
        addSandbox(db(), "3", "destroyed", "destroyed", 1, 1, 1, "base", 10);
        addSandbox(db(), "4", "started", "started", 1, 1, 1, "other", 5);
        cove::store::SandboxRepository sandboxes(db());
        QCOMPARE(sandboxes.liveNamesUsingSnapshot("base", "snap-id"),
                 (std::vector<std::string>{"sb-2", "sb-1"}));
        QVERIFY(sandboxes.liveNamesUsingSnapshot("none", "none-id").empty());
    }

    void volumes() {
        VolumeRepository volumes(db());
        QVERIFY(volumes.insert(volume("v1", "data", "ready")));
        QVERIFY(!volumes.insert(volume("v2", "data", "ready"))); // the name is taken
        QVERIFY(!volumes.find("v2", "o", true));
        QVERIFY(volumes.liveNameTaken("o", "data"));
        QVERIFY(!volumes.liveNameTaken("p", "data"));
        QCOMPARE(volumes.countLive("o"), std::int64_t(1));

        volumes.setState("v1", "deleted", std::nullopt, 50);
        QVERIFY(!volumes.liveNameTaken("o", "data"));
        QVERIFY(!volumes.find("data", "o", true)); // a deleted one: not by its name
        QVERIFY(!volumes.find("v1", "o", false));  // nor by its id unless asked
        QCOMPARE(volumes.find("v1", "o", true)->updatedAt, std::int64_t(50));
        QVERIFY(volumes.insert(volume("v2", "data", "ready"))); // its name is free again
        QCOMPARE(volumes.find("data", "o", false)->id, std::string("v2"));
        QCOMPARE(volumes.findLiveByName("o", "data")->id, std::string("v2"));
        QVERIFY(!volumes.findLiveByName("o", "v2")); // by name only
        QVERIFY(!volumes.find("v2", "p", true));     // another organization's
        QVERIFY(volumes.insert(volume("v3", "v2", "ready")));
        QCOMPARE(volumes.find("v2", "o", false)->id, std::string("v2")); // the id wins

        QCOMPARE(volumes.list("o", false).size(), std::size_t(2));
        const auto all = volumes.list("o", true);
        QCOMPARE(all.size(), std::size_t(3));
        QCOMPARE(all[0].id, std::string("v1"));
        QCOMPARE(volumes.listInState("o", "deleted").size(), std::size_t(1));

        volumes.setSizeIfState("v2", 100, "ready");
        QCOMPARE(volumes.find("v2", "o", false)->sizeBytes, std::int64_t(100));
        volumes.setState("v2", "error", std::string("disk"), 60);
        volumes.setSizeIfState("v2", 200, "ready"); // no longer ready: the measure is dropped
        auto v2 = volumes.find("v2", "o", false);
        QCOMPARE(v2->sizeBytes, std::int64_t(100));
        QCOMPARE(v2->errorReason, std::optional<std::string>("disk"));
        volumes.setSize("v2", 0);
        volumes.markUsed("v2", 70);
        v2 = volumes.find("v2", "o", false);
        QCOMPARE(v2->sizeBytes, std::int64_t(0));
        QCOMPARE(v2->lastUsedAt, std::optional<std::int64_t>(70));
    }

    void registries() {
        RegistryRepository registries(db());
        const auto make = [](const std::string& id, const std::string& org, std::int64_t at) {
            RegistryRecord r;
            r.id = id;
            r.organizationId = org;
            r.name = "reg-" + id;
            r.url = "registry.example.com:5000";
            r.username = "u";
            r.passwordSealed = "v1:sealed-" + id;
            r.project = "team";
            r.createdAt = r.updatedAt = at;
            return r;
        };
        registries.insert(make("r2", "o", 20));
        registries.insert(make("r1", "o", 10));
        registries.insert(make("r3", "p", 5));
        const auto mine = registries.list("o");
        QCOMPARE(mine.size(), std::size_t(2));
        QCOMPARE(mine[0].id, std::string("r1")); // oldest first
        QCOMPARE(mine[0].passwordSealed, std::string("v1:sealed-r1"));
        QCOMPARE(mine[0].registryType, std::string("organization"));
        QCOMPARE(registries.count("o"), std::int64_t(2));
        QVERIFY(!registries.find("r3", "o")); // another organization's
        QCOMPARE(registries.findAnyOrganization("r3")->organizationId, std::string("p"));
        QCOMPARE(registries.listByHost("registry.example.com:5000").size(),
                 std::size_t(3)); // all organizations'
        QVERIFY(registries.listByHost("registry.example.com").empty());

        auto r1 = *registries.find("r1", "o");
        r1.name = "renamed";
        r1.url = "other.example.com";
        r1.passwordSealed = "v1:new";
        r1.project = "";
        r1.updatedAt = 30;
        registries.update(r1);
        r1 = *registries.find("r1", "o");
        QCOMPARE(r1.name, std::string("renamed"));
        QCOMPARE(r1.url, std::string("other.example.com"));
        QCOMPARE(r1.passwordSealed, std::string("v1:new"));
        QCOMPARE(r1.project, std::string(""));
        QCOMPARE(r1.updatedAt, std::int64_t(30));
        QCOMPARE(r1.createdAt, std::int64_t(10));

        QVERIFY(!registries.findDefault("o"));
        registries.setDefault(r1, 40);
        QCOMPARE(registries.findDefault("o")->id, std::string("r1"));
        registries.setDefault(*registries.find("r2", "o"), 50); // one default per organization
        QCOMPARE(registries.findDefault("o")->id, std::string("r2"));
        QVERIFY(!registries.find("r1", "o")->isDefault);
        QVERIFY(!registries.findDefault("p"));

        registries.remove("r2");
        QVERIFY(!registries.find("r2", "o"));
        QVERIFY(!registries.findDefault("o"));
        QCOMPARE(registries.count("p"), std::int64_t(1));
    }

    void secrets() {
        SecretRepository secrets(db());
        const auto make = [](const std::string& id, const std::string& org, const std::string& name,
                             std::int64_t at) {
            SecretRecord r;
            r.id = id;
            r.organizationId = org;
            r.name = name;
            r.description = "d-" + id;
            r.hosts = R"(["api.example.com","*.example.org"])";
            r.valueSealed = "v1:sealed-" + id;
            r.placeholder = "dtn_secret_" + id;
            r.createdAt = r.updatedAt = at;
            return r;
        };
        QVERIFY(secrets.insert(make("s2", "o", "B_KEY", 20)));
        QVERIFY(secrets.insert(make("s1", "o", "A_KEY", 10)));
        QVERIFY(secrets.insert(make("s3", "p", "A_KEY", 5)));   // names are per organization
        QVERIFY(!secrets.insert(make("s4", "o", "A_KEY", 30))); // taken: refused, nothing written
        QVERIFY(!secrets.find("s4", "o"));
        const auto mine = secrets.list("o");
        QCOMPARE(mine.size(), std::size_t(2));
        QCOMPARE(mine[0].id, std::string("s1")); // oldest first
        QCOMPARE(mine[0].valueSealed, std::string("v1:sealed-s1"));
        QCOMPARE(mine[0].hosts, std::string(R"(["api.example.com","*.example.org"])"));
        QCOMPARE(secrets.count("o"), std::int64_t(2));
        QVERIFY(!secrets.find("s3", "o")); // another organization's
        QVERIFY(!secrets.findByName("A_KEY", "q"));
        QCOMPARE(secrets.findByName("A_KEY", "p")->id, std::string("s3"));

        auto s1 = *secrets.find("s1", "o");
        s1.description = "";
        s1.hosts = "[]";
        s1.valueSealed = "v1:new";
        s1.updatedAt = 40;
        s1.name = "IGNORED"; // a name is for good
        secrets.update(s1);
        s1 = *secrets.find("s1", "o");
        QCOMPARE(s1.name, std::string("A_KEY"));
        QCOMPARE(s1.description, std::string(""));
        QCOMPARE(s1.hosts, std::string("[]"));
        QCOMPARE(s1.valueSealed, std::string("v1:new"));
        QCOMPARE(s1.updatedAt, std::int64_t(40));
        QCOMPARE(s1.createdAt, std::int64_t(10));

        addSandbox(db(), "a", "started", "started", 1, 1, 1);
        addSandbox(db(), "gone", "destroyed", "destroyed", 1, 1, 1);
        db().transaction([&] {
            secrets.replaceMounts("a", {{"KEY_ONE", "s1"}, {"KEY_TWO", "s2"}});
            secrets.replaceMounts("gone", {{"KEY_ONE", "s1"}});
        });
        const auto mounts = secrets.mountsOf("a");
        QCOMPARE(mounts.size(), std::size_t(2));
        QCOMPARE(mounts[0].env, std::string("KEY_ONE"));
        QCOMPARE(mounts[0].secret.placeholder, std::string("dtn_secret_s1"));
        QCOMPARE(secrets.sandboxesMounting("s1"), std::vector<std::string>{"sb-a"}); // not the destroyed one
        QCOMPARE(secrets.liveMounts().size(), std::size_t(2));
        db().transaction([&] { secrets.replaceMounts("a", {{"OTHER", "s2"}}); }); // the whole set
        QCOMPARE(secrets.mountsOf("a").size(), std::size_t(1));
        QVERIFY(secrets.sandboxesMounting("s1").empty());

        secrets.remove("s2"); // its mounts go with it
        QVERIFY(!secrets.find("s2", "o"));
        QVERIFY(secrets.mountsOf("a").empty());
        QCOMPARE(secrets.count("p"), std::int64_t(1));
    }

    void warmPools() {
        WarmPoolRepository pools(db());
        WarmPoolRecord a{"a", "o", "cove-base", "local", 2, 1, 1, 3, "cove", R"({"K":"v"})", 10, 10};
        QVERIFY(pools.insert(a));
        WarmPoolRecord again = a;
        again.id = "a2";
        QVERIFY(!pools.insert(again)); // one pool per organization, snapshot and target
        again.target = "eu";
        QVERIFY(pools.insert(again));
        WarmPoolRecord other = a;
        other.id = "b";
        other.organizationId = "p";
        QVERIFY(pools.insert(other)); // another organization's pool of the same snapshot
        QCOMPARE(pools.count("o"), std::int64_t(2));
        QCOMPARE(pools.list("").size(), std::size_t(3));
        const auto found = pools.find("a", "o");
        QVERIFY(found);
        QCOMPARE(found->pool, 2);
        QCOMPARE(found->osUser, std::string("cove"));
        QCOMPARE(found->env, std::string(R"({"K":"v"})"));
        QCOMPARE(found->disk, 3);
        QVERIFY(!pools.find("a", "p")); // only within its organization
        QVERIFY(!pools.remove("a", "p"));
        QVERIFY(pools.setSize("a", 0, 20));
        QCOMPARE(pools.find("a", "o")->pool, 0);
        QCOMPARE(pools.find("a", "o")->updatedAt, std::int64_t(20));
        QVERIFY(pools.remove("a", "o"));
        QVERIFY(!pools.setSize("a", 1, 30));
        QCOMPARE(pools.list("o").size(), std::size_t(1));
        QCOMPARE(pools.list("p").size(), std::size_t(1));
    }

    void links() {
        LinkRepository links(db());
        for (const char* id : {"own", "f1", "f2"})
            addSandbox(db(), id, "started", "started", 1, 1, 3);
        links.insert({"own", "own", "10.224.0.2", "10.224.0.0/28"});
        links.insert({"f2", "own", "10.224.0.4", "10.224.0.0/28"});
        links.insert({"f1", "own", "10.224.0.3", "10.224.0.0/28"});
        QVERIFY_THROWS_EXCEPTION(StoreError, links.insert({"ghost", "own", "10.224.0.5", "10.224.0.0/28"}));
        const auto members = links.members("own");
        QCOMPARE(members.size(), std::size_t(3));
        QVERIFY(members[0].isOwner()); // the owner first, then by address
        QCOMPARE(members[1].sandboxId, std::string("f1"));
        QVERIFY(!links.find("f2")->isOwner());
        QCOMPARE(links.find("f2")->ownerId, std::string("own"));
        QVERIFY(!links.find("nobody"));
        links.remove("f1");
        QCOMPARE(links.members("own").size(), std::size_t(2));
        links.removeNetwork("own");
        QVERIFY(links.all().empty());
    }

    void settings() {
        SettingsRepository settings(db());
        QVERIFY(!settings.get("instance"));
        QVERIFY(settings.putIfAbsent("instance", "a"));
        QVERIFY(!settings.putIfAbsent("instance", "b"));
        QCOMPARE(settings.get("instance"), std::optional<std::string>("a"));
        settings.put("instance", "c");
        QCOMPARE(settings.get("instance"), std::optional<std::string>("c"));
        settings.put("subnet", "10.0.0.0/8");
        QCOMPARE(settings.get("subnet"), std::optional<std::string>("10.0.0.0/8"));
        QCOMPARE(settings.get("instance"), std::optional<std::string>("c"));
    }

    void sshAccess() {
        cove::store::SshAccessRepository ssh(db());
        const auto row = [](const std::string& id, const std::string& sandbox, std::int64_t expires) {
            return cove::store::SshAccessRecord{id,      sandbox, "p", "k",         "hash-" + id,
                                                expires, 10,      10,  std::nullopt};
        };
        ssh.insert(row("a1", "sa", 1000));
        ssh.insert(row("a2", "sa", 1000));
        ssh.insert(row("b1", "sb", 50));
        const auto a1 = ssh.findByHash("hash-a1");
        QVERIFY(a1);
        QCOMPARE(a1->sandboxId, std::string("sa"));
        QCOMPARE(a1->expiresAt, std::int64_t(1000));
        QVERIFY(!a1->revokedAt);
        QVERIFY(!ssh.findByHash("a1")); // by the hash only
        // One token of a sandbox, then the rest; another sandbox's are untouched, and a token of another
        // sandbox is not revoked through this one.
        QCOMPARE(ssh.revoke("sb", std::string("hash-a1"), 20), std::int64_t(0));
        QCOMPARE(ssh.revoke("sa", std::string("hash-a1"), 20), std::int64_t(1));
        QCOMPARE(*ssh.findByHash("hash-a1")->revokedAt, std::int64_t(20));
        QCOMPARE(ssh.revoke("sa", std::nullopt, 30), std::int64_t(1));
        QVERIFY(!ssh.findByHash("hash-b1")->revokedAt);
        // What can never open anything again goes; what still may stays.
        QCOMPARE(ssh.purge(100), std::int64_t(3));
        ssh.insert(row("b2", "sb", 5000));
        QCOMPARE(ssh.purge(100), std::int64_t(0));
        ssh.removeSandbox("sb");
        QVERIFY(!ssh.findByHash("hash-b2"));
    }

    void webhooks() {
        WebhookRepository hooks(db());
        WebhookEndpointRecord e{
            "ep1", "o", "https://a.example/h", "d", R"(["sandbox.created"])", true, false, "whsec_x", 1, 1};
        hooks.insertEndpoint(e);
        hooks.insertEndpoint({"ep2", "p", "https://b.example/h", "", "[]", false, true, "whsec_y", 2, 2});
        // One organization never reads or removes another's endpoint.
        QVERIFY(hooks.endpoint("o", "ep1"));
        QVERIFY(!hooks.endpoint("p", "ep1"));
        QVERIFY(!hooks.removeEndpoint("p", "ep1"));
        QCOMPARE(hooks.endpoints("o").size(), std::size_t(1));
        QCOMPARE(hooks.endpointCount("p"), std::int64_t(1));
        e.url = "https://c.example/h";
        e.allowLocal = true;
        e.organizationId = "p"; // an update names its organization: this one changes nothing
        hooks.updateEndpoint(e);
        QCOMPARE(hooks.endpoint("o", "ep1")->url, std::string("https://a.example/h"));
        e.organizationId = "o";
        hooks.updateEndpoint(e);
        QCOMPARE(hooks.endpoint("o", "ep1")->url, std::string("https://c.example/h"));
        QVERIFY(hooks.endpoint("o", "ep1")->allowLocal);

        hooks.insertMessage({"m1", "o", "sandbox.created", R"({"event":"sandbox.created"})", 10});
        QVERIFY(hooks.message("o", "m1"));
        QVERIFY(!hooks.message("p", "m1"));
        WebhookDeliveryRecord d;
        d.id = "d1";
        d.messageId = "m1";
        d.endpointId = "ep1";
        d.organizationId = "o";
        d.status = "pending";
        d.nextAttemptAt = 100;
        d.createdAt = d.updatedAt = 10;
        hooks.insertDelivery(d);
        QVERIFY(hooks.due(99, 10).empty());
        QCOMPARE(hooks.due(100, 10).size(), std::size_t(1));
        QCOMPARE(hooks.due(100, 10)[0].eventType, std::string("sandbox.created"));
        QCOMPARE(hooks.nextDue(), std::optional<std::int64_t>(100));
        QVERIFY(hooks.deliveries("p", "", "", "", 10).empty());

        WebhookAttemptRecord a;
        a.deliveryId = "d1";
        a.messageId = "m1";
        a.endpointId = "ep1";
        a.organizationId = "o";
        a.attempt = 1;
        a.statusCode = 500;
        a.response = "no";
        a.durationMs = 7;
        a.nextAttemptAt = 200;
        a.createdAt = 100;
        hooks.insertAttempt(a);
        d.attempts = 1;
        d.nextAttemptAt = 200;
        d.lastStatusCode = 500;
        hooks.updateDelivery(d);
        QCOMPARE(hooks.attemptsOfMessage("o", "m1").size(), std::size_t(1));
        QVERIFY(hooks.attemptsOfMessage("p", "m1").empty());
        const auto got = hooks.attemptsOfDelivery("d1").at(0);
        QCOMPARE(got.statusCode, std::optional<std::int64_t>(500));
        QCOMPARE(got.nextAttemptAt, std::optional<std::int64_t>(200));
        QCOMPARE(hooks.delivery("o", "d1")->attempts, 1);
        QCOMPARE(hooks.deliveries("o", "ep1", "pending", "m1", 10).size(), std::size_t(1));
        QVERIFY(hooks.deliveries("o", "", "succeeded", "", 10).empty());

        // Pending deliveries are never pruned; a removed endpoint's pending ones fail.
        hooks.prune(1000);
        QVERIFY(hooks.delivery("o", "d1"));
        QVERIFY(hooks.removeEndpoint("o", "ep1"));
        QCOMPARE(hooks.delivery("o", "d1")->status, std::string("failed"));
        QVERIFY(!hooks.nextDue());
        hooks.prune(1000);
        QVERIFY(!hooks.delivery("o", "d1"));
        QVERIFY(hooks.attemptsOfDelivery("d1").empty());
        QVERIFY(!hooks.message("o", "m1"));
    }
};

QTEST_GUILESS_MAIN(TestRepositories)
#include "tst_repositories.moc"
