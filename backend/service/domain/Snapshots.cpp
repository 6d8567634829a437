// Snapshots: the store rows and DTOs, and the background work that makes an image usable (pull, build,
// commit) and proves it (a validation run) before a snapshot turns active.
#include "service/domain/Snapshots.h"
#include "service/domain/Workers.h"

#include "service/domain/Keys.h"
#include "service/domain/Quotas.h"
#include "service/domain/SandboxRow.h"
#include "service/domain/SandboxService.h"
#include "service/domain/Validate.h"
#include "service/domain/Workers.h"

#include "service/store/Columns.h"
#include "service/store/SnapshotRepository.h"

#include "common/Random.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cove::domain {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace validate;

namespace {

constexpr const char* kCgroupRoot = "/sys/fs/cgroup";
constexpr const char* kInterrupted =
    "Cove stopped while this snapshot was being made; delete it and create it again.";
constexpr const char* kSandboxInterrupted =
    "Cove stopped while this sandbox's image was being built; delete it and create it again.";

using Sort = store::SnapshotListQuery::Sort;
const std::map<std::string, Sort> kSorts = {{"name", Sort::Name},
                                            {"state", Sort::State},
                                            {"createdAt", Sort::CreatedAt},
                                            {"updatedAt", Sort::UpdatedAt},
                                            {"lastUsedAt", Sort::LastUsedAt}};

std::optional<std::string> jsonOrNull(const json& j, bool present) {
    return present ? std::optional<std::string>(j.dump()) : std::nullopt;
}

// Lines of a Dockerfile that need files from a build context (COPY/ADD of local paths).
std::optional<std::string> contextInstruction(const std::string& dockerfile) {
    std::istringstream in(dockerfile);
    int n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        const auto start = line.find_first_not_of(" \t");
        if (start == std::string::npos)
            continue;
        std::string word = line.substr(start, 4);
        std::transform(word.begin(), word.end(), word.begin(),
                       [](unsigned char c) { return std::toupper(c); });
        const bool copy = word == "COPY" && line.size() > start + 4 && std::isspace(line[start + 4]);
        const bool add =
            word.substr(0, 3) == "ADD" && line.size() > start + 3 && std::isspace(line[start + 3]);
        if (!copy && !add)
            continue;
        if (line.find("--from") != std::string::npos || line.find("://") != std::string::npos)
            continue; // another stage's files, or a URL: no context needed
        return "line " + std::to_string(n) + " (" + line.substr(start) + ")";
    }
    return std::nullopt;
}

std::string trimmed(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    return s;
}

// The Dockerfile's instructions as the engine reads them: the escape directive, continued lines joined,
// comments dropped.
std::vector<std::string> instructionsOf(const std::string& dockerfile) {
    std::istringstream in(dockerfile);
    char escape = '\\';
    bool directives = true;
    std::vector<std::string> out;
    std::string pending;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        const auto start = line.find_first_not_of(" \t");
        if (start != std::string::npos && line[start] == '#') {
            if (directives) {
                std::string d;
                for (char c : line.substr(start + 1))
                    if (!std::isspace(static_cast<unsigned char>(c)))
                        d += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                if (d.rfind("escape=", 0) == 0 && d.size() == 8)
                    escape = d[7];
            }
            continue;
        }
        directives = false;
        if (start == std::string::npos)
            continue;
        std::string text = trimmed(line.substr(start));
        const bool continued = !text.empty() && text.back() == escape;
        if (continued)
            text.pop_back();
        pending += text + " ";
        if (!continued) {
            out.push_back(trimmed(pending));
            pending.clear();
        }
    }
    if (!trimmed(pending).empty())
        out.push_back(trimmed(pending));
    return out;
}

// An ADD (also as an ONBUILD trigger) whose source is a URL, or a variable that may become one. The
// classic builder fetches those itself, from the host: outside the build's network fence.
std::optional<std::string> remoteAdd(const std::string& dockerfile) {
    for (const auto& instruction : instructionsOf(dockerfile)) {
        std::istringstream words(instruction);
        std::string word;
        words >> word;
        std::transform(word.begin(), word.end(), word.begin(),
                       [](unsigned char c) { return std::toupper(c); });
        while (word == "ONBUILD" && words >> word)
            std::transform(word.begin(), word.end(), word.begin(),
                           [](unsigned char c) { return std::toupper(c); });
        if (word != "ADD")
            continue;
        std::string rest;
        std::getline(words, rest);
        rest = trimmed(rest.substr(std::min(rest.find_first_not_of(" \t"), rest.size())));
        std::vector<std::string> args;
        if (const json list = json::parse(rest, nullptr, false); list.is_array()) {
            for (const auto& a : list)
                args.push_back(a.is_string() ? a.get<std::string>() : a.dump());
        } else {
            std::istringstream split(rest);
            for (std::string a; split >> a;)
                if (a.rfind("--", 0) != 0)
                    args.push_back(a);
        }
        for (std::size_t i = 0; i + 1 < args.size(); ++i) {
            std::string plain; // quotes and escapes the engine would drop
            for (char c : args[i])
                if (c != '"' && c != '\'' && c != '\\' && c != '`')
                    plain += c;
            if (plain.find("://") != std::string::npos || args[i].find('$') != std::string::npos)
                return instruction;
        }
    }
    return std::nullopt;
}

// Docker image references: lower-case names, tags, digests, registry hosts with ports.
bool plausibleImage(const std::string& s) {
    return !s.empty() && s.size() <= 255 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::islower(c) || std::isdigit(c) || std::strchr("._-/:@", c);
    }) && std::isalnum(static_cast<unsigned char>(s.front()));
}

// The cgroup every step of a build runs under, holding the sandboxes' process limit: the classic builder
// takes no pids limit of its own, so this bounds a fork bomb in a RUN step. Docker's cgroupfs driver
// makes the steps' cgroups below it. With the systemd driver there is none (see README).
std::string buildCgroup(const engine::EngineInfo& info, const std::string& instance) {
    if (info.cgroupDriver != "cgroupfs")
        return {};
    const std::string name = "cove-build-" + instance.substr(0, 8);
    const bool unified = info.cgroupVersion == "2";
    const std::string dir = std::string(kCgroupRoot) + (unified ? "/" : "/pids/") + name;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (unified) // the pids controller must reach the new cgroup and the steps' below it
        for (const auto& at : {std::string(kCgroupRoot), dir})
            std::ofstream(at + "/cgroup.subtree_control") << "+pids";
    std::ofstream limit(dir + "/pids.max");
    limit << SandboxDefaults::kPidsLimit << std::flush;
    if (ec || !limit)
        throw DomainError::unavailable(
            "Cove could not bound the processes of image builds (" + dir + "/pids.max cannot be written" +
            (ec ? ": " + ec.message() : std::string()) + "); coved needs root to fence builds.");
    return "/" + name;
}

// Whether the engine's reason for a failed pull is the registry asking for (other) credentials.
bool credentialsRefused(const std::string& reason) {
    std::string text = reason;
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* sign : {"unauthorized", "authentication required", "no basic auth credentials",
                             "access denied", "denied:", "incorrect username or password"})
        if (text.find(sign) != std::string::npos)
            return true;
    return false;
}

// A failed pull as the snapshot's error: when the registry refused, says so and what to do, without the
// credentials (the engine's words are kept, with the password struck out should they ever hold it).
DomainError pullRefusal(const std::string& image, std::string reason,
                        const std::optional<Registries::Match>& credentials) {
    if (credentials && !credentials->auth.password.empty())
        for (auto at = reason.find(credentials->auth.password); at != std::string::npos;
             at = reason.find(credentials->auth.password))
            reason.replace(at, credentials->auth.password.size(), "***");
    if (!credentialsRefused(reason))
        return DomainError::engineFailed(reason);
    const std::string host = imageLocationOf(image).host;
    if (credentials)
        return DomainError::invalid("The registry " + host + " refused the credentials of registry '" +
                                    credentials->name + "' (user " + credentials->auth.username +
                                    "): check its username and password (PATCH /api/docker-registry/" +
                                    credentials->registryId + ", or the dashboard's Registries page). " +
                                    reason);
    return DomainError::invalid("The registry " + host + " wants credentials for " + image +
                                " that this organization has not given: add the registry with POST "
                                "/api/docker-registry (or the dashboard's Registries page). " +
                                reason);
}

std::string failureOf(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const DomainError& x) {
        return x.message;
    } catch (const std::exception& x) {
        return x.what();
    }
}

} // namespace

Snapshots::Snapshots(store::Database& db, engine::Engine& engine, const Clock& clock,
                     const ServiceConfig& config, SandboxService& sandboxes)
    : m_db(db)
    , m_engine(engine)
    , m_clock(clock)
    , m_config(config)
    , m_sandboxes(sandboxes)
    , m_contexts(config.dataDir + "/build-contexts", clock) {
    // Work a previous coved left unfinished cannot be resumed: say so rather than stay pending forever.
    store::SnapshotRepository(m_db).failInterrupted(kInterrupted);
    m_sandboxes.m_repo.settleInterrupted(kSandboxInterrupted);
}

Snapshots::Row Snapshots::rowOf(const store::SnapshotRecord& c) {
    Row r;
    r.id = c.id;
    r.organizationId = c.organizationId.value_or("");
    r.name = c.name;
    r.image = c.imageName;
    r.state = c.state;
    r.errorReason = c.errorReason.value_or("");
    r.sourceSandboxId = c.sourceSandboxId.value_or("");
    r.entrypoint = c.entrypoint ? json::parse(*c.entrypoint, nullptr, false) : json();
    r.buildInfo = c.buildInfo ? json::parse(*c.buildInfo, nullptr, false) : json();
    r.general = c.general;
    r.imageOwned = c.imageOwned;
    r.cpu = c.cpu;
    r.memory = c.memory;
    r.disk = c.disk;
    r.sizeBytes = c.sizeBytes.value_or(-1);
    r.createdAt = c.createdAt;
    r.updatedAt = c.updatedAt;
    r.lastUsedAt = c.lastUsedAt.value_or(0);
    return r;
}

std::optional<Snapshots::Row> Snapshots::find(const std::string& idOrName, const std::string& orgId) {
    const auto found = store::SnapshotRepository(m_db).find(idOrName, orgId);
    return found ? std::optional<Row>(rowOf(*found)) : std::nullopt;
}

Snapshots::Row Snapshots::require(const std::string& idOrName, const Caller& caller) {
    auto r = find(idOrName, caller.who.organizationId);
    if (!r)
        throw DomainError::notFound("Snapshot '" + idOrName + "' not found.");
    return std::move(*r);
}

std::string Snapshots::requireId(const std::string& idOrName, const Caller& caller) {
    return require(idOrName, caller).id;
}

json Snapshots::toDto(const Row& r) const {
    const auto iso = [](std::int64_t ms) { return toIso8601(fromMillis(ms)); };
    json j{{"id", r.id},
           {"organizationId", r.organizationId},
           {"general", r.general},
           {"name", r.name},
           {"imageName", r.image},
           {"ref", r.image},
           {"state", r.state},
           {"size", r.sizeBytes < 0 ? json(nullptr) : json(std::round(r.sizeBytes / 1e7) / 100)},
           {"entrypoint", r.entrypoint.is_array() ? r.entrypoint : json(nullptr)},
           {"cpu", r.cpu},
           {"gpu", 0},
           {"mem", r.memory},
           {"disk", r.disk},
           {"errorReason", r.errorReason.empty() ? json(nullptr) : json(r.errorReason)},
           {"createdAt", iso(r.createdAt)},
           {"updatedAt", iso(r.updatedAt)},
           {"lastUsedAt", r.lastUsedAt ? json(iso(r.lastUsedAt)) : json(nullptr)},
           {"regionIds", json::array({"local"})},
           {"sourceSandboxId", r.sourceSandboxId.empty() ? json(nullptr) : json(r.sourceSandboxId)},
           {"sandboxClass", "container"}};
    if (r.buildInfo.is_object()) {
        j["buildInfo"] = r.buildInfo;
        j["buildInfo"]["snapshotRef"] = r.image;
        j["buildInfo"]["createdAt"] = iso(r.createdAt);
        j["buildInfo"]["updatedAt"] = iso(r.updatedAt);
    }
    return j;
}

void Snapshots::setState(Row& r, const std::string& state, const std::string& errorReason) {
    const std::string before = r.state;
    r.state = state;
    r.errorReason = errorReason;
    r.updatedAt = toMillis(m_clock.now());
    store::SnapshotRepository(m_db).setState(r.id, state, store::nonEmpty(errorReason), r.updatedAt,
                                             r.sizeBytes < 0 ? std::nullopt
                                                             : std::optional<std::int64_t>(r.sizeBytes));
    if (m_publish && before != state)
        m_publish(r.organizationId, "snapshot.state.updated",
                  {{"snapshot", toDto(r)}, {"oldState", before}, {"newState", state}});
}

json Snapshots::list(const Principal& who, const ListQuery& q) {
    const std::string org = who.organizationId;
    int page = 1, limit = SnapshotLimits::kDefaultPageSize;
    if (const auto p = q.value("page"))
        page = intParam(*p, "page", 1, 1 << 30);
    if (const auto l = q.value("limit"))
        limit = intParam(*l, "limit", 1, SnapshotLimits::kMaxPageSize);
    const std::string sort = q.value("sort").value_or("createdAt");
    const auto sortBy = kSorts.find(sort);
    if (sortBy == kSorts.end())
        throw DomainError::invalid(
            "'sort' must be one of name, state, createdAt, updatedAt, lastUsedAt; got '" + sort + "'.");
    std::string order = q.value("order").value_or("desc");
    std::transform(order.begin(), order.end(), order.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    if (order != "asc" && order != "desc")
        throw DomainError::invalid("'order' must be asc or desc; got '" + order + "'.");
    store::SnapshotListQuery query;
    query.organizationId = org;
    query.nameContains = q.value("name").value_or("");
    query.sourceSandboxId = q.value("sourceSandboxId").value_or("");
    query.sort = sortBy->second;
    query.ascending = order == "asc";
    query.limit = limit;
    query.offset = static_cast<std::int64_t>(page - 1) * limit;
    const store::SnapshotPage found = store::SnapshotRepository(m_db).listPage(query);
    json items = json::array();
    for (const auto& r : found.items)
        items.push_back(toDto(rowOf(r)));
    const std::int64_t total = found.total;
    return {{"items", items}, {"total", total}, {"page", page}, {"totalPages", (total + limit - 1) / limit}};
}

json Snapshots::get(const std::string& idOrName, const Caller& caller) {
    return toDto(require(idOrName, caller));
}

std::string Snapshots::insert(Row& r, const Caller& caller) {
    r.id = uuidV4();
    r.organizationId = caller.who.organizationId;
    r.createdAt = r.updatedAt = toMillis(m_clock.now());
    store::SnapshotRepository snapshots(m_db);
    m_db.transaction([&] {
        const auto taken = [&] {
            return DomainError::conflict("A snapshot named '" + r.name +
                                         "' already exists; pick another name.");
        };
        if (snapshots.nameTaken(r.name))
            throw taken();
        const int quota = limitsOf(m_db, r.organizationId).snapshots;
        if (snapshots.countOwnedBy(r.organizationId) >= quota)
            throw DomainError::forbidden("The organization has reached its quota of " +
                                         std::to_string(quota) + " snapshots; delete one first.");
        store::SnapshotRecord record;
        record.id = r.id;
        record.organizationId = r.organizationId;
        record.name = r.name;
        record.imageName = r.image;
        record.state = r.state;
        record.cpu = r.cpu;
        record.memory = r.memory;
        record.disk = r.disk;
        record.entrypoint = jsonOrNull(r.entrypoint, r.entrypoint.is_array());
        record.buildInfo = jsonOrNull(r.buildInfo, r.buildInfo.is_object());
        if (r.buildInfo.is_object())
            record.buildHash = r.buildInfo.value("hash", "");
        record.sourceSandboxId = store::nonEmpty(r.sourceSandboxId);
        record.imageOwned = r.imageOwned;
        record.createdAt = r.createdAt;
        record.updatedAt = r.updatedAt;
        if (!snapshots.insert(record)) // taken since the check, by another writer of the store
            throw taken();
        m_sandboxes.audit(&caller, "create", "snapshot", r.id, 200);
    });
    std::error_code ec;
    fs::create_directories(fs::path(logPath(r.id)).parent_path(), ec);
    if (m_publish)
        m_publish(r.organizationId, "snapshot.created", toDto(r));
    return r.id;
}

namespace {

// What a buildInfo object asks for, checked: the Dockerfile, its context hashes, and their hash.
json checkedBuildInfo(const json& buildInfo, const BuildContexts& contexts, const std::string& org) {
    if (!buildInfo.is_object())
        throw DomainError::invalid("'buildInfo' must be an object {dockerfileContent, contextHashes?}.");
    const auto dockerfile = optString(buildInfo, "dockerfileContent");
    if (!dockerfile || trimmed(*dockerfile).empty())
        throw DomainError::invalid(
            "'buildInfo.dockerfileContent' must be a Dockerfile (a non-empty string).");
    if (dockerfile->size() > SnapshotLimits::kMaxDockerfileBytes)
        throw DomainError::tooLarge(
            "The Dockerfile is " + std::to_string(dockerfile->size()) + " bytes; Cove takes at most " +
            std::to_string(SnapshotLimits::kMaxDockerfileBytes >> 20) +
            " MiB. Put large files in the build context (Image.addLocalFile) or fetch "
            "them with RUN steps.");
    json hashes = json::array();
    if (buildInfo.contains("contextHashes") && !buildInfo["contextHashes"].is_null()) {
        hashes = buildInfo["contextHashes"];
        if (!hashes.is_array() ||
            !std::all_of(hashes.begin(), hashes.end(), [](const json& h) { return h.is_string(); }))
            throw DomainError::invalid("'buildInfo.contextHashes' must be an array of strings.");
    }
    if (const auto add = remoteAdd(*dockerfile))
        throw DomainError::invalid(
            "Cove does not build '" + *add +
            "': ADD of a URL (or of a variable, which may hold one) is fetched by the Docker engine from the "
            "host, outside the build's network fence. Download it inside the build with RUN curl or RUN wget "
            "instead, or add local files with COPY.");
    contexts.requireAll(org, hashes.get<std::vector<std::string>>());
    if (const auto line = contextInstruction(*dockerfile); line && hashes.empty())
        throw DomainError::invalid("The Dockerfile needs files from a build context at " + *line +
                                   ", and no contextHashes came with it. Add the files with "
                                   "Image.addLocalFile/addLocalDir (the SDK uploads them), or fetch them "
                                   "with RUN steps.");
    return {{"dockerfileContent", *dockerfile},
            {"contextHashes", hashes},
            {"hash", Keys::hash(*dockerfile + '\0' + hashes.dump())}};
}

} // namespace

namespace {

std::string checkedName(const json& body) {
    const auto name = optString(body, "name");
    if (!name || name->empty())
        throw DomainError::invalid("'name' is required: give the snapshot a name.");
    if (name->size() > SnapshotLimits::kMaxNameLength || hasControlChars(*name))
        throw DomainError::invalid("'name' must be 1 to " + std::to_string(SnapshotLimits::kMaxNameLength) +
                                   " characters with no control characters.");
    return *name;
}

} // namespace

awaitable<json> Snapshots::create(json body, Caller caller) {
    Row r;
    r.name = checkedName(body);
    const auto imageName = optString(body, "imageName");
    const bool hasBuild = body.contains("buildInfo") && !body["buildInfo"].is_null();
    if (imageName.has_value() == hasBuild)
        throw DomainError::invalid("Give either 'imageName' (an image) or 'buildInfo' (a Dockerfile), not " +
                                   std::string(hasBuild ? "both." : "neither."));
    if (imageName && !plausibleImage(*imageName))
        throw DomainError::invalid("'imageName' must be a Docker image reference such as debian:12 or "
                                   "registry.example.com/team/image:1.0; got '" +
                                   *imageName + "'.");
    if (body.contains("entrypoint") && !body["entrypoint"].is_null()) {
        const json& e = body["entrypoint"];
        if (!e.is_array() || e.empty() ||
            !std::all_of(e.begin(), e.end(), [](const json& a) { return a.is_string(); }))
            throw DomainError::invalid("'entrypoint' must be a non-empty array of strings.");
        r.entrypoint = e;
    }
    r.cpu = optInt(body, "cpu", SandboxDefaults::kCpu, 1, 1024);
    r.memory = optInt(body, "memory", SandboxDefaults::kMemoryGiB, 1, 1 << 16);
    r.disk = optInt(body, "disk", SandboxDefaults::kDiskGiB, 1, 1 << 20);
    optInt(body, "gpu", 0, 0, 0);
    if (hasBuild) {
        json info = body["buildInfo"];
        if (r.entrypoint.is_array() && info.is_object() && info.contains("dockerfileContent") &&
            info["dockerfileContent"].is_string())
            info["dockerfileContent"] =
                info["dockerfileContent"].get<std::string>() + "\nENTRYPOINT " + r.entrypoint.dump() + "\n";
        r.buildInfo = checkedBuildInfo(info, m_contexts, caller.who.organizationId);
    } else if (r.entrypoint.is_array()) {
        // An image with another entrypoint is a layer on top of it, built like a Dockerfile.
        r.buildInfo = checkedBuildInfo(
            {{"dockerfileContent", "FROM " + *imageName + "\nENTRYPOINT " + r.entrypoint.dump() + "\n"}},
            m_contexts, caller.who.organizationId);
    } else {
        r.image = *imageName;
    }
    r.state = r.buildInfo.is_object() ? "building" : "pending";
    // Cove makes the image of a build: it goes with the snapshot.
    r.imageOwned = r.buildInfo.is_object();
    const std::string id = insert(r, caller);
    if (r.imageOwned) {
        r.image = "cove-snapshot:" + id;
        store::SnapshotRepository(m_db).setImage(id, r.image);
    }
    const auto ex = co_await asio::this_coro::executor;
    enqueue(ex, id);
    co_return toDto(r);
}

awaitable<Snapshots::Build> Snapshots::requestBuild(json buildInfo, Caller caller) {
    const json info = checkedBuildInfo(buildInfo, m_contexts, caller.who.organizationId);
    const std::string hash = info["hash"];
    const auto ex = co_await asio::this_coro::executor;
    // An identical build that worked, or still runs, serves this one too.
    const auto same = store::SnapshotRepository(m_db).findReusableBuild(hash, caller.who.organizationId);
    std::optional<Row> r;
    if (same)
        r = find(*same, caller.who.organizationId);
    const std::string name = "build-" + hash.substr(0, 16);
    if (!r) {
        // An earlier identical build that failed is tried again under its own name.
        if (auto failed = find(name, caller.who.organizationId); failed && failed->buildInfo.is_object()) {
            r = failed;
            if (!inProgress(r->id)) {
                std::ofstream(logPath(r->id), std::ios::trunc);
                setState(*r, "building");
                enqueue(ex, r->id);
            }
        }
    }
    if (!r) {
        Row fresh;
        fresh.name = name;
        fresh.buildInfo = info;
        fresh.state = "building";
        fresh.imageOwned = true;
        const std::string id = insert(fresh, caller);
        fresh.image = "cove-snapshot:" + id;
        store::SnapshotRepository(m_db).setImage(id, fresh.image);
        enqueue(ex, id);
        r = fresh;
    }
    const auto now = toIso8601(m_clock.now());
    co_return Build{r->id,
                    r->name,
                    r->image,
                    r->state,
                    {{"dockerfileContent", info["dockerfileContent"]},
                     {"contextHashes", info["contextHashes"]},
                     {"snapshotRef", r->image},
                     {"createdAt", now},
                     {"updatedAt", now}}};
}

void Snapshots::createWhenBuilt(const std::string& snapshotId, const std::string& sandboxId) {
    // Waiting sandboxes are the service's own business: the reconciler leaves them alone.
    m_sandboxes.m_busy.insert(sandboxId);
    m_waiters[snapshotId].push_back(sandboxId);
    if (m_current == snapshotId)
        markWaitersBuilding(snapshotId);
    if (!inProgress(snapshotId) && m_executor) // finished in between: go on at once
        releaseWaiters(m_executor, snapshotId);
}

void Snapshots::markWaitersBuilding(const std::string& snapshotId) {
    for (const auto& id : m_waiters[snapshotId]) {
        auto s = m_sandboxes.m_repo.get(id);
        if (s && s->state == SandboxState::PendingBuild && s->desiredState == SandboxState::Started)
            m_sandboxes.setState(*s, SandboxState::BuildingSnapshot);
    }
}

void Snapshots::releaseWaiters(const asio::any_io_executor& ex, const std::string& snapshotId) {
    const auto it = m_waiters.find(snapshotId);
    if (it == m_waiters.end())
        return;
    const std::vector<std::string> ids = std::move(it->second);
    m_waiters.erase(it);
    const auto snapshot = store::SnapshotRepository(m_db).findById(snapshotId);
    const bool built = snapshot && snapshot->state == "active";
    const std::string reason =
        snapshot ? snapshot->errorReason.value_or("") : std::string("The snapshot was deleted.");
    for (const auto& id : ids) {
        m_sandboxes.m_busy.erase(id);
        asio::co_spawn(ex, finishSandbox(id, built, reason), asio::detached);
    }
}

awaitable<void> Snapshots::finishSandbox(std::string sandboxId, bool built, std::string reason) {
    auto found = m_sandboxes.m_repo.get(sandboxId);
    if (!found)
        co_return;
    SandboxRow r = std::move(*found);
    if (r.desiredState != SandboxState::Started ||
        (r.state != SandboxState::PendingBuild && r.state != SandboxState::BuildingSnapshot))
        co_return; // deleted while it waited
    const BusyMark busy(m_sandboxes.m_busy, r.id);
    if (!built) {
        m_sandboxes.setState(r, SandboxState::BuildFailed,
                             reason.empty() ? "The snapshot build failed." : reason);
        co_return;
    }
    std::exception_ptr failure;
    try {
        const auto info = co_await m_engine.inspectImage(r.image);
        if (!info)
            throw DomainError::unavailable("The built image " + r.image +
                                           " is missing from the Docker engine.");
        const engine::ImageConfig config = info->config;
        if (r.user.empty()) {
            r.user = config.user;
            if (r.user.empty())
                r.user = "root";
            m_sandboxes.m_repo.setUser(r.id, r.user);
        }
        m_sandboxes.setState(r, SandboxState::Creating);
        const SandboxService::FilesystemSource image; // the image's own files
        co_await m_sandboxes.makeContainer(r, config, image);
    } catch (...) {
        failure = std::current_exception();
    }
    if (failure) {
        co_await m_sandboxes.discardContainer(r);
        m_sandboxes.setState(r, SandboxState::Error,
                             "The sandbox could not be created: " + failureOf(failure));
        co_return;
    }
    m_sandboxes.setState(r, SandboxState::Started);
}

std::string Snapshots::logPath(const std::string& snapshotId) const {
    return m_config.dataDir + "/snapshots/" + snapshotId + "/build.log";
}

void Snapshots::appendLog(const std::string& snapshotId, const std::string& text) {
    std::ofstream out(logPath(snapshotId), std::ios::app | std::ios::binary);
    out << text;
    if (!text.empty() && text.back() != '\n')
        out << '\n';
    out.close();
    notifyFollowers();
}

void Snapshots::notifyFollowers() {
    ++m_logVersion;
    for (auto* t : m_followers)
        t->cancel();
}

awaitable<void> Snapshots::waitForLog(std::uint64_t seen) {
    if (seen != m_logVersion)
        co_return;
    asio::steady_timer timer(co_await asio::this_coro::executor, SnapshotLimits::kFollowPoll);
    m_followers.insert(&timer);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    m_followers.erase(&timer);
}

void Snapshots::enqueue(const asio::any_io_executor& ex, const std::string& snapshotId) {
    m_executor = ex;
    m_queue.push_back(snapshotId);
    m_inProgress.insert(snapshotId);
    if (!m_working) {
        m_working = true;
        asio::co_spawn(ex, work(), asio::detached);
    }
}

awaitable<void> Snapshots::work() {
    while (!m_queue.empty()) {
        const std::string id = m_queue.front();
        m_queue.pop_front();
        m_current = id;
        co_await run(id);
        m_current.clear();
        m_inProgress.erase(id);
        notifyFollowers();
        releaseWaiters(m_executor, id);
    }
    m_working = false;
}

awaitable<void> Snapshots::run(std::string snapshotId) {
    const auto found = store::SnapshotRepository(m_db).findById(snapshotId);
    if (!found)
        co_return;
    Row r = rowOf(*found);
    std::string failState = "error";
    std::exception_ptr failure;
    try {
        if (r.buildInfo.is_object()) {
            markWaitersBuilding(r.id);
            if (r.state != "building")
                setState(r, "building");
            failState = "build_failed";
            std::string dockerfile = r.buildInfo.value("dockerfileContent", "");
            co_await build(r, dockerfile);
            failState = "error";
        } else if (r.sourceSandboxId.empty()) {
            // An image by name: pulled from its registry when the engine lacks it, and every time when it
            // is in a private registry Cove keeps credentials for, so that the registry (with this
            // organization's credentials, or none) decides, not what another organization pulled before.
            Registries& registries = m_sandboxes.registries();
            const auto credentials = registries.credentialsFor(r.image, r.organizationId);
            const bool checkWithRegistry = credentials || registries.privateRegistryImage(r.image);
            const auto present = co_await m_engine.inspectImage(r.image);
            if (!present || checkWithRegistry) {
                setState(r, "pulling");
                appendLog(r.id,
                          "Pulling " + r.image +
                              (credentials ? " with the credentials of registry '" + credentials->name + "'"
                                           : std::string()) +
                              " ...\n");
                engine::Engine::Progress progress = [&](const engine::Engine::ProgressMessage& m) {
                    if (!m.status.empty())
                        appendLog(r.id, m.layer + (m.layer.empty() ? "" : ": ") + m.status + "\n");
                };
                std::optional<engine::RegistryAuth> auth;
                if (credentials)
                    auth = credentials->auth;
                std::optional<std::string> refused;
                try {
                    co_await m_engine.pullImage(r.image, progress, auth);
                } catch (const engine::EngineError& e) {
                    refused = e.what();
                }
                if (refused)
                    throw pullRefusal(r.image, *refused, credentials);
                if (!present) {
                    r.imageOwned = true; // Cove brought it: it goes with the last snapshot using it
                    store::SnapshotRepository(m_db).markImageOwned(r.id);
                }
            }
        }
        setState(r, "pending");
        appendLog(r.id, "Validating " + r.image + ": starting a sandbox of it ...\n");
        co_await validate(r);
        const auto info = co_await m_engine.inspectImage(r.image);
        r.sizeBytes = info ? info->sizeBytes : -1;
        appendLog(r.id, "Snapshot " + r.name + " is active.\n");
        setState(r, "active");
    } catch (...) {
        failure = std::current_exception();
    }
    if (failure) {
        const std::string reason = failureOf(failure);
        appendLog(r.id, "ERROR: " + reason + "\n");
        setState(r, failState, reason);
    }
}

awaitable<void> Snapshots::build(Row& r, std::string dockerfile) {
    std::string step, error;
    engine::Engine::Progress progress = [&](const engine::Engine::ProgressMessage& m) {
        if (!m.output.empty()) {
            appendLog(r.id, m.output);
            std::istringstream lines(m.output);
            for (std::string line; std::getline(lines, line);)
                if (line.rfind("Step ", 0) == 0)
                    step = trimmed(line);
        } else if (!m.error.empty()) {
            error = trimmed(m.error);
        } else if (!m.status.empty()) {
            appendLog(r.id, m.status + "\n");
        }
    };
    // The uploaded contexts it names (none for a plain Dockerfile) and the Dockerfile, as one tar: up to
    // 256 MiB read and copied, off the io thread.
    const std::string org = r.organizationId;
    const auto hashes = r.buildInfo.value("contextHashes", json::array()).get<std::vector<std::string>>();
    std::string context = co_await offload([&] { return m_contexts.assemble(org, hashes, dockerfile); });
    // The steps run fenced like a sandbox: its CPU and memory (within the tier's), its process limit for
    // the whole build, and its network with the organization's egress policy.
    const Limits limits = limitsOf(m_db, org);
    engine::BuildOptions options;
    options.cpus = std::clamp(r.cpu > 0 ? r.cpu : SandboxDefaults::kCpu, 1, std::max(1, limits.maxCpu));
    options.memoryBytes =
        static_cast<std::int64_t>(std::clamp(r.memory > 0 ? r.memory : SandboxDefaults::kMemoryGiB, 1,
                                             std::max(1, limits.maxMemory)))
        << 30;
    options.cgroupParent = buildCgroup(m_engine.info(), m_sandboxes.instanceId());
    options.network = m_sandboxes.beginBuildNetwork(org);
    const struct Closing {
        SandboxService& sandboxes;
        ~Closing() { sandboxes.endBuildNetwork(); }
    } closing{m_sandboxes};
    // Base images from private registries: this organization's credentials go with the build, and the
    // registry is asked every time (see run()).
    Registries& registries = m_sandboxes.registries();
    std::optional<Registries::Match> baseCredentials;
    for (const auto& base : baseImagesOf(dockerfile)) {
        const auto match = registries.credentialsFor(base, org);
        if (match) {
            baseCredentials = match;
            const bool listed =
                std::any_of(options.registries.begin(), options.registries.end(),
                            [&](const auto& a) { return a.serverAddress == match->auth.serverAddress; });
            if (!listed)
                options.registries.push_back(match->auth);
        }
        if (match || registries.privateRegistryImage(base))
            options.pullBaseImages = true;
    }
    std::string tag = r.image;
    std::optional<std::string> refused;
    try {
        co_await m_engine.buildImage(std::move(context), tag, kAssembledDockerfile, options, progress);
    } catch (const engine::EngineError& e) {
        refused = error.empty() ? std::string(e.what()) : error;
    }
    if (refused && credentialsRefused(*refused)) {
        const auto bases = baseImagesOf(dockerfile);
        throw pullRefusal(bases.empty() ? std::string() : bases.front(), *refused, baseCredentials);
    }
    if (refused)
        throw DomainError::invalid(step.empty() ? "The Dockerfile could not be built: " + *refused
                                                : step + ": " + *refused);
}

awaitable<void> Snapshots::validate(const Row& snap) {
    const auto info = co_await m_engine.inspectImage(snap.image);
    if (!info)
        throw DomainError::unavailable("The image " + snap.image + " is missing from the Docker engine.");
    const engine::ImageConfig config = info->config;
    SandboxRow r;
    r.id = uuidV4();
    r.snapshot = snap.name;
    r.image = snap.image;
    r.user = config.user;
    if (r.user.empty())
        r.user = "root";
    r.env = r.labels = json::object();
    r.cpu = SandboxDefaults::kCpu;
    r.memory = SandboxDefaults::kMemoryGiB;
    r.disk = snap.disk;
    const BusyMark busy(m_sandboxes.m_busy, r.id); // the reconciler would take it for an orphan
    std::exception_ptr failure;
    try {
        const SandboxService::FilesystemSource image; // the image's own files
        co_await m_sandboxes.makeContainer(r, config, image);
    } catch (...) {
        failure = std::current_exception();
    }
    co_await m_sandboxes.discardContainer(r);
    if (failure)
        throw DomainError::unavailable("The image " + snap.image +
                                       " does not run as a sandbox: " + failureOf(failure));
}

awaitable<json> Snapshots::fromSandbox(std::string sandboxIdOrName, json body, Caller caller) {
    Row r;
    r.name = checkedName(body);
    SandboxRow s = m_sandboxes.require(sandboxIdOrName, caller);
    const SandboxState shown = reportedState(s.state, s.desiredState);
    if (shown != SandboxState::Started && shown != SandboxState::Stopped)
        throw DomainError::conflict("Sandbox '" + s.name + "' is " + toString(shown) +
                                    "; a snapshot can be made only of a started or stopped sandbox.");
    if (m_sandboxes.m_busy.count(s.id))
        throw DomainError::conflict("Sandbox '" + s.name +
                                    "' is being changed right now; try again shortly.");
    const BusyMark busy(m_sandboxes.m_busy, s.id);
    r.state = "pending";
    r.imageOwned = true;
    r.sourceSandboxId = s.id;
    r.cpu = s.cpu;
    r.memory = s.memory;
    r.disk = s.disk;
    const std::string id = insert(r, caller);
    r.image = "cove-snapshot:" + id;
    store::SnapshotRepository(m_db).setImage(id, r.image);

    const SandboxState before = s.state;
    m_sandboxes.setState(s, SandboxState::Snapshotting);
    std::exception_ptr failure;
    try {
        // The image keeps the source image's own settings, not the container's (its entrypoint is the
        // agent, its environment the sandbox's): the engine fills only what this leaves out.
        const auto source = co_await m_engine.inspectImage(s.image);
        engine::ImageConfig config = source ? source->config : engine::ImageConfig{};
        if (config.user.empty())
            config.user = "root";
        const std::string container = containerName(s);
        co_await m_engine.commitContainer(container, r.image, config);
    } catch (...) {
        failure = std::current_exception();
    }
    m_sandboxes.setState(s, before);
    if (failure) {
        store::SnapshotRepository(m_db).remove(id);                   // nothing half-made stays
        const std::string gone = fs::path(logPath(id)).parent_path(); // GCC 12: no temporaries in co_await
        co_await removeAll(gone);
        throw DomainError::unavailable("Sandbox '" + s.name +
                                       "' could not be committed: " + failureOf(failure));
    }
    appendLog(id, "Committed sandbox " + s.name + " into " + r.image + ".\n");
    const auto ex = co_await asio::this_coro::executor;
    enqueue(ex, id);
    co_return m_sandboxes.toDto(s, false, caller.baseUrl);
}

awaitable<json> Snapshots::remove(std::string idOrName, Caller caller) {
    const Row r = require(idOrName, caller);
    if (r.general)
        throw DomainError::forbidden("Snapshot '" + r.name +
                                     "' is one of Cove's default snapshots; it cannot be deleted.");
    if (inProgress(r.id))
        throw DomainError::conflict("Snapshot '" + r.name + "' is being made (" + r.state +
                                    "); wait until it is active or has failed, then delete it.");
    store::SnapshotRepository snapshots(m_db);
    m_db.transaction([&] {
        const auto users = m_sandboxes.m_repo.liveNamesUsingSnapshot(r.name, r.id);
        if (!users.empty()) {
            std::string names;
            for (const auto& u : users)
                names += (names.empty() ? "" : ", ") + u;
            throw DomainError::conflict("Snapshot '" + r.name + "' is used by sandbox" +
                                        (users.size() > 1 ? "es " : " ") + names + "; delete " +
                                        (users.size() > 1 ? "them" : "it") + " first.");
        }
        snapshots.remove(r.id);
        m_sandboxes.audit(&caller, "delete", "snapshot", r.id, 200);
    });
    const bool shared = snapshots.imageInUse(r.image);
    if (r.imageOwned && !shared) {
        try {
            co_await m_engine.removeImage(r.image);
        } catch (const engine::EngineError& e) {
            std::fprintf(stderr, "coved: snapshot %s deleted, its image stays: %s\n", r.name.c_str(),
                         e.what());
        }
    }
    const std::string gone = fs::path(logPath(r.id)).parent_path(); // GCC 12: no temporaries in co_await
    co_await removeAll(gone);
    if (m_publish)
        m_publish(r.organizationId, "snapshot.removed", toDto(r));
    co_return json::object();
}

json Snapshots::activate(const std::string& idOrName, const Caller& caller) {
    Row r = require(idOrName, caller);
    if (r.general)
        throw DomainError::forbidden("Snapshot '" + r.name +
                                     "' is one of Cove's default snapshots; it cannot be changed.");
    if (r.state != "inactive")
        throw DomainError::invalid("Snapshot '" + r.name + "' is " + r.state +
                                   "; only an inactive snapshot can be activated.");
    m_db.transaction([&] {
        setState(r, "active");
        m_sandboxes.audit(&caller, "activate", "snapshot", r.id, 200);
    });
    return toDto(r);
}

void Snapshots::deactivate(const std::string& idOrName, const Caller& caller) {
    Row r = require(idOrName, caller);
    if (r.general)
        throw DomainError::forbidden("Snapshot '" + r.name +
                                     "' is one of Cove's default snapshots; it cannot be changed.");
    if (r.state != "active" && r.state != "inactive")
        throw DomainError::invalid("Snapshot '" + r.name + "' is " + r.state +
                                   "; only an active snapshot can be deactivated.");
    m_db.transaction([&] {
        setState(r, "inactive");
        m_sandboxes.audit(&caller, "deactivate", "snapshot", r.id, 200);
    });
}

std::string Snapshots::snapshotOfSandbox(const std::string& sandboxIdOrName, const Caller& caller) {
    const SandboxRow s = m_sandboxes.require(sandboxIdOrName, caller);
    if (s.buildInfo.is_null())
        throw DomainError::notFound(
            "Sandbox '" + s.name +
            "' was made from a snapshot, not built from an image or Dockerfile; it has no "
            "build logs.");
    return require(s.snapshot, caller).id;
}

} // namespace cove::domain
