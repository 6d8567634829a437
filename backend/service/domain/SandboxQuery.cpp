// GET /api/sandbox: Daytona's filters, sort orders and cursor pages.
//
// A local Cove holds hundreds of sandboxes, not millions, so the page is cut from the organization's
// whole filtered, sorted list; the cursor names the last item seen (and its position, in case that
// item is deleted before the next page is asked for).
#include "service/domain/SandboxService.h"

#include "service/domain/SandboxRow.h"
#include "service/domain/Validate.h"

#include "common/JsonText.h"

#include <algorithm>
#include <functional>

namespace cove::domain {

namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;

std::optional<double> number(const ListQuery& q, const char* key) {
    const auto v = q.value(key);
    if (!v || v->empty())
        return std::nullopt;
    try {
        std::size_t used = 0;
        const double d = std::stod(*v, &used);
        if (used == v->size())
            return d;
    } catch (const std::exception&) {
    }
    throw DomainError::invalid(std::string("'") + key + "' must be a number; got '" + *v + "'.");
}

std::optional<std::int64_t> instant(const ListQuery& q, const char* key) {
    const auto v = q.value(key);
    if (!v || v->empty())
        return std::nullopt;
    if (const auto t = parseIso8601(*v))
        return toMillis(*t);
    throw DomainError::invalid(std::string("'") + key +
                               "' must be an ISO 8601 time such as 2026-01-31T12:00:00Z.");
}

bool startsWithNoCase(const std::string& s, const std::string& prefix) {
    return s.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) ==
                      std::tolower(static_cast<unsigned char>(b));
           });
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

} // namespace

std::string SandboxService::list(const Caller& caller, const ListQuery& q) {
    int limit = kDefaultPageSize;
    if (const auto l = q.value("limit"))
        limit = validate::intParam(*l, "limit", 1, kMaxPageSize);

    const auto idPrefix = q.value("id").value_or("");
    const auto namePrefix = q.value("name").value_or("");
    const auto states = q.values("states");
    const auto snapshots = q.values("snapshots");
    json labels = json::object();
    if (const auto l = q.value("labels"); l && !l->empty()) {
        labels = json::parse(*l, nullptr, false);
        if (!labels.is_object())
            throw DomainError::invalid("'labels' must be a JSON object such as {\"team\":\"qa\"}.");
    }
    const auto minCpu = number(q, "minCpu"), maxCpu = number(q, "maxCpu");
    const auto minMem = number(q, "minMemoryGiB"), maxMem = number(q, "maxMemoryGiB");
    const auto minDisk = number(q, "minDiskGiB"), maxDisk = number(q, "maxDiskGiB");
    const auto createdAfter = instant(q, "createdAtAfter"), createdBefore = instant(q, "createdAtBefore");
    const auto eventAfter = instant(q, "lastEventAfter"), eventBefore = instant(q, "lastEventBefore");
    const auto isPublic = q.value("isPublic");
    const bool includeErroredDeleted = q.value("includeErroredDeleted").value_or("false") == "true";

    const std::string sort = q.value("sort").value_or("createdAt");
    const std::string order = q.value("order").value_or("desc");
    if (order != "asc" && order != "desc")
        throw DomainError::invalid("'order' must be asc or desc.");
    using Less = std::function<bool(const SandboxRow&, const SandboxRow&)>;
    const std::map<std::string, Less> sorts = {
        {"name", [](const auto& a, const auto& b) { return a.name < b.name; }},
        {"cpu", [](const auto& a, const auto& b) { return a.cpu < b.cpu; }},
        {"memoryGib", [](const auto& a, const auto& b) { return a.memory < b.memory; }},
        {"diskGib", [](const auto& a, const auto& b) { return a.disk < b.disk; }},
        {"lastActivityAt", [](const auto& a, const auto& b) { return a.lastActivityAt < b.lastActivityAt; }},
        {"createdAt", [](const auto& a, const auto& b) { return a.createdAt < b.createdAt; }},
    };
    const auto sortIt = sorts.find(sort);
    if (sortIt == sorts.end())
        throw DomainError::invalid(
            "'sort' must be one of name, cpu, memoryGib, diskGib, lastActivityAt, createdAt.");

    std::vector<SandboxRow> rows;
    for (SandboxRow& r : m_repo.listLive(caller.who.organizationId)) {
        const std::string shown = toString(reportedState(r.state, r.desiredState));
        if (!includeErroredDeleted && r.state == SandboxState::Error &&
            r.desiredState == SandboxState::Destroyed)
            continue;
        if (!startsWithNoCase(r.id, idPrefix) || !startsWithNoCase(r.name, namePrefix))
            continue;
        if ((!states.empty() && !contains(states, shown)) ||
            (!snapshots.empty() && !contains(snapshots, r.snapshot)))
            continue;
        const bool labelsMatch =
            std::all_of(labels.items().begin(), labels.items().end(), [&](const auto& kv) {
                return r.labels.contains(kv.key()) && r.labels[kv.key()] == kv.value();
            });
        if (!labelsMatch)
            continue;
        if ((minCpu && r.cpu < *minCpu) || (maxCpu && r.cpu > *maxCpu) || (minMem && r.memory < *minMem) ||
            (maxMem && r.memory > *maxMem) || (minDisk && r.disk < *minDisk) ||
            (maxDisk && r.disk > *maxDisk))
            continue;
        if ((createdAfter && r.createdAt < *createdAfter) ||
            (createdBefore && r.createdAt > *createdBefore) || (eventAfter && r.updatedAt < *eventAfter) ||
            (eventBefore && r.updatedAt > *eventBefore))
            continue;
        if (isPublic && (*isPublic == "true") != r.isPublic)
            continue;
        rows.push_back(std::move(r));
    }
    // Ties break on id, so the order (and every cursor) is stable.
    const Less& less = sortIt->second;
    std::sort(rows.begin(), rows.end(), [&](const SandboxRow& a, const SandboxRow& b) {
        const bool ab = less(a, b), ba = less(b, a);
        if (ab != ba)
            return order == "asc" ? ab : ba;
        return order == "asc" ? a.id < b.id : a.id > b.id;
    });

    std::size_t start = 0;
    if (const auto c = q.value("cursor"); c && !c->empty()) {
        const auto colon = c->find(':');
        std::size_t position = 0;
        try {
            position = colon == std::string::npos ? std::string::npos : std::stoul(c->substr(0, colon));
        } catch (const std::exception&) {
            position = std::string::npos;
        }
        if (position == std::string::npos)
            throw DomainError::invalid("'cursor' is not a cursor this service returned.");
        const std::string lastId = c->substr(colon + 1);
        const auto it =
            std::find_if(rows.begin(), rows.end(), [&](const SandboxRow& r) { return r.id == lastId; });
        start = it != rows.end() ? static_cast<std::size_t>(it - rows.begin()) + 1
                                 : std::min(position, rows.size());
    }
    const std::size_t end = std::min(rows.size(), start + static_cast<std::size_t>(limit));
    const bool restricted = organizationRestricted(caller.who.organizationId); // every row is this org's
    JsonText out;
    out.beginObject().key("items").beginArray();
    for (std::size_t i = start; i < end; ++i)
        writeListItem(out, rows[i], caller.baseUrl, restricted);
    out.endArray().key("nextCursor");
    if (end < rows.size())
        out.value(std::to_string(end) + ":" + rows[end - 1].id);
    else
        out.value(nullptr);
    return out.endObject().take();
}

} // namespace cove::domain
