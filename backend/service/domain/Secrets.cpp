// Secrets: their rows, the checks of what a user types, the page a list answers, and the mounts the
// interceptor reads.
#include "service/domain/Secrets.h"

#include "common/Random.h"
#include "service/domain/Config.h"
#include "service/domain/Crypto.h"
#include "service/domain/DomainError.h"
#include "service/domain/Validate.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

namespace cove::domain {

namespace {

using L = SecretLimits;

// Daytona's placeholders read `dtn_secret_<random>`: 128 random bits, so one cannot be guessed, and a
// form code in a sandbox can match.
constexpr const char* kPlaceholderPrefix = "dtn_secret_";
constexpr std::size_t kPlaceholderRandomBytes = 16;

bool nameChar(char c, bool first) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    return first ? letter : letter || (c >= '0' && c <= '9') || c == '-';
}

// The SDK's pattern: ^[a-zA-Z_][a-zA-Z0-9_-]*$.
std::string nameOf(const json& body) {
    const auto name = validate::optText(body, "name", L::kMaxNameBytes);
    if (!name || name->empty())
        throw validate::invalid("name", "'name' is required: the secret's name, unique in the organization.");
    for (std::size_t i = 0; i < name->size(); ++i)
        if (!nameChar((*name)[i], i == 0))
            throw validate::invalid("name", "'name' must start with a letter or '_' and hold only letters, "
                                            "digits, '_' and '-' (e.g. OPENAI_KEY or anthropic-prod).");
    return *name;
}

// Any text up to the bound; never a line break or NUL, which would break the framing of the header it
// goes into. The messages never hold the value.
std::optional<std::string> valueOf(const json& body) {
    if (!body.contains("value") || body["value"].is_null())
        return std::nullopt;
    if (!body["value"].is_string())
        throw validate::invalid("value", "'value' must be a string.");
    std::string v = body["value"].get<std::string>();
    if (v.empty())
        throw validate::invalid("value", "'value' must not be empty.");
    if (v.size() > L::kMaxValueBytes)
        throw validate::invalid("value",
                                "'value' must be at most " + std::to_string(L::kMaxValueBytes) + " bytes.");
    if (v.find_first_of(std::string("\r\n\0", 3)) != std::string::npos)
        throw validate::invalid("value", "'value' must not contain line breaks or NUL characters: it is "
                                         "written into request headers.");
    return v;
}

bool labelOk(std::string_view l) {
    if (l.empty() || l.size() > 63 || l.front() == '-' || l.back() == '-')
        return false;
    return std::all_of(l.begin(), l.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

// A host name (api.example.com) or a `*.` wildcard (*.example.com), lower-cased; no port, no scheme.
std::string hostOf(std::string h) {
    std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string_view rest = h;
    if (rest.substr(0, 2) == "*.")
        rest.remove_prefix(2);
    bool ok = !rest.empty() && h.size() <= L::kMaxHostBytes;
    for (std::size_t from = 0; ok && from <= rest.size();) {
        const auto dot = rest.find('.', from);
        const auto end = dot == std::string_view::npos ? rest.size() : dot;
        ok = labelOk(rest.substr(from, end - from));
        from = end + 1;
    }
    if (!ok)
        throw validate::invalid("hosts", "Each of 'hosts' must be a host name such as api.example.com or a "
                                         "wildcard such as *.example.com, with no scheme, port or path.");
    return h;
}

std::optional<std::vector<std::string>> hostsOf(const json& body) {
    if (!body.contains("hosts") || body["hosts"].is_null())
        return std::nullopt;
    if (!body["hosts"].is_array())
        throw validate::invalid("hosts", "'hosts' must be an array of host names.");
    if (body["hosts"].size() > L::kMaxHosts)
        throw validate::invalid("hosts", "'hosts' may name at most " + std::to_string(L::kMaxHosts) +
                                             " hosts; use a wildcard such as *.example.com.");
    std::vector<std::string> out;
    for (const auto& h : body["hosts"]) {
        if (!h.is_string())
            throw validate::invalid("hosts", "'hosts' must be an array of host names.");
        auto host = hostOf(h.get<std::string>());
        if (std::find(out.begin(), out.end(), host) == out.end())
            out.push_back(std::move(host));
    }
    return out;
}

std::vector<std::string> hostsIn(const store::SecretRecord& r) {
    const json j = json::parse(r.hosts, nullptr, false);
    std::vector<std::string> out;
    if (j.is_array())
        for (const auto& h : j)
            if (h.is_string())
                out.push_back(h.get<std::string>());
    return out;
}

// An environment variable's name, as a shell takes it.
std::string envNameOf(const std::string& env) {
    bool ok = !env.empty() && env.size() <= L::kMaxEnvNameBytes;
    for (std::size_t i = 0; ok && i < env.size(); ++i)
        ok = nameChar(env[i], i == 0) && env[i] != '-';
    if (!ok)
        throw validate::invalid("secrets", "'" + env.substr(0, 64) +
                                               "' is not an environment variable name: letters, digits and "
                                               "'_', not starting with a digit.");
    return env;
}

} // namespace

bool hostAllowed(const std::vector<std::string>& hosts, std::string_view host) {
    return std::any_of(hosts.begin(), hosts.end(), [&](const std::string& h) {
        if (h.rfind("*.", 0) != 0)
            return h == host;
        const std::string_view domain = std::string_view(h).substr(1); // ".example.com"
        return host.size() > domain.size() && host.substr(host.size() - domain.size()) == domain;
    });
}

Secrets::Secrets(store::Database& db, const Clock& clock, std::string secretKey)
    : m_db(db)
    , m_clock(clock)
    , m_key(std::move(secretKey)) {}

json Secrets::toDto(const store::SecretRecord& r) const {
    json out = {{"id", r.id},
                {"name", r.name},
                {"placeholder", r.placeholder},
                {"hosts", hostsIn(r)},
                {"createdAt", toIso8601(fromMillis(r.createdAt))},
                {"updatedAt", toIso8601(fromMillis(r.updatedAt))}};
    if (!r.description.empty())
        out["description"] = r.description;
    // Cove's: which sandboxes mount it (by name), for the dashboard to say before a delete.
    out["mountedBy"] = store::SecretRepository(m_db).sandboxesMounting(r.id);
    return out;
}

store::SecretRecord Secrets::require(const std::string& id, const std::string& organizationId) {
    auto r = store::SecretRepository(m_db).find(id, organizationId);
    if (!r)
        throw DomainError::notFound("Secret '" + id +
                                    "' does not exist in this organization; list them with GET /api/secret.");
    return *r;
}

json Secrets::list(const std::string& organizationId) {
    json out = json::array();
    for (const auto& r : store::SecretRepository(m_db).list(organizationId))
        out.push_back(toDto(r));
    return out;
}

json Secrets::listPage(const std::string& organizationId, const ListQuery& q) {
    auto all = store::SecretRepository(m_db).list(organizationId);
    if (const auto name = q.value("name"); name && !name->empty())
        all.erase(std::remove_if(all.begin(), all.end(),
                                 [&](const auto& r) { return r.name.find(*name) == std::string::npos; }),
                  all.end());
    const std::string sort = q.value("sort").value_or("createdAt");
    const std::string order = q.value("order").value_or("desc");
    if (sort != "createdAt" && sort != "updatedAt" && sort != "name")
        throw validate::invalid("sort", "'sort' must be name, createdAt or updatedAt.");
    if (order != "asc" && order != "desc")
        throw validate::invalid("order", "'order' must be asc or desc.");
    std::stable_sort(all.begin(), all.end(), [&](const auto& a, const auto& b) {
        const auto key = [&](const store::SecretRecord& r) {
            return sort == "name"        ? std::tuple(std::int64_t{0}, r.name, r.id)
                   : sort == "updatedAt" ? std::tuple(r.updatedAt, std::string(), r.id)
                                         : std::tuple(r.createdAt, std::string(), r.id);
        };
        return order == "asc" ? key(a) < key(b) : key(b) < key(a);
    });
    const int limit =
        q.value("limit") ? validate::intParam(*q.value("limit"), "limit", 1, L::kMaxPage) : L::kDefaultPage;
    // The cursor is the offset of the page's first item: the list is short (kMaxPerOrganization).
    const int from = q.value("cursor") && !q.value("cursor")->empty()
                         ? validate::intParam(*q.value("cursor"), "cursor", 0, L::kMaxPerOrganization)
                         : 0;
    json items = json::array();
    for (std::size_t i = static_cast<std::size_t>(from);
         i < all.size() && items.size() < static_cast<std::size_t>(limit); ++i)
        items.push_back(toDto(all[i]));
    const std::size_t next = static_cast<std::size_t>(from) + items.size();
    return {{"items", items},
            {"total", all.size()},
            {"nextCursor", next < all.size() ? json(std::to_string(next)) : json(nullptr)}};
}

json Secrets::get(const std::string& id, const std::string& organizationId) {
    return toDto(require(id, organizationId));
}

json Secrets::create(const json& body, const Caller& caller) {
    if (!body.is_object())
        throw DomainError::invalid("The body must be a JSON object: {name, value, description, hosts}.");
    store::SecretRecord r;
    r.organizationId = caller.who.organizationId;
    r.name = nameOf(body);
    const auto value = valueOf(body);
    if (!value)
        throw validate::invalid("value", "'value' is required: the secret's value.");
    r.description = validate::optText(body, "description", L::kMaxDescriptionBytes).value_or("");
    r.hosts = json(hostsOf(body).value_or(std::vector<std::string>{})).dump();
    store::SecretRepository repo(m_db);
    if (repo.count(r.organizationId) >= static_cast<std::int64_t>(L::kMaxPerOrganization))
        throw DomainError::conflict("This organization has " + std::to_string(L::kMaxPerOrganization) +
                                    " secrets, the most Cove keeps for one; delete one first.");
    r.id = uuidV4();
    r.placeholder = kPlaceholderPrefix + randomHex(kPlaceholderRandomBytes);
    r.valueSealed = seal(m_key, *value, r.id);
    r.createdAt = r.updatedAt = toMillis(m_clock.now());
    if (!repo.insert(r))
        throw DomainError::conflict("A secret named '" + r.name +
                                    "' exists in this organization already; pick another name or update "
                                    "that one with PATCH /api/secret/{id}.");
    return toDto(r);
}

json Secrets::update(const std::string& id, const json& body, const Caller& caller) {
    if (!body.is_object())
        throw DomainError::invalid("The body must be a JSON object: {value, description, hosts}.");
    store::SecretRecord r = require(id, caller.who.organizationId);
    const auto value = valueOf(body);
    if (const auto d = validate::optText(body, "description", L::kMaxDescriptionBytes))
        r.description = *d;
    if (const auto hosts = hostsOf(body))
        r.hosts = json(*hosts).dump();
    if (value)
        r.valueSealed = seal(m_key, *value, r.id);
    r.updatedAt = toMillis(m_clock.now());
    store::SecretRepository(m_db).update(r);
    reload();
    return toDto(r);
}

void Secrets::remove(const std::string& id, const Caller& caller) {
    const auto r = require(id, caller.who.organizationId);
    store::SecretRepository repo(m_db);
    const auto users = repo.sandboxesMounting(r.id);
    if (!users.empty()) {
        std::string names;
        for (const auto& s : users)
            names += (names.empty() ? "" : ", ") + s;
        throw DomainError::conflict("Secret '" + r.name + "' is mounted by sandbox(es) " + names +
                                    "; take it out of them first (PUT /api/sandbox/{id}/secrets) or delete "
                                    "them.");
    }
    repo.remove(r.id);
    reload();
}

Secrets::Mounts Secrets::resolveMounts(const json& field, const std::string& organizationId) {
    // The SDK sends [{ENV: name}, ...]; a plain object reads the same.
    std::vector<std::pair<std::string, std::string>> wanted;
    const auto take = [&](const json& object) {
        for (const auto& [env, name] : object.items()) {
            if (!name.is_string())
                throw validate::invalid("secrets",
                                        "'secrets' maps environment variable names to secret names "
                                        "(strings), e.g. [{\"API_KEY\": \"my-api-key\"}].");
            wanted.emplace_back(envNameOf(env), name.get<std::string>());
        }
    };
    if (field.is_object())
        take(field);
    else if (field.is_array())
        for (const auto& item : field) {
            if (!item.is_object())
                throw validate::invalid("secrets", "'secrets' must be a list of {\"ENV\": \"secret name\"} "
                                                   "objects.");
            take(item);
        }
    else if (!field.is_null())
        throw validate::invalid("secrets", "'secrets' must be a list of {\"ENV\": \"secret name\"} objects.");
    if (wanted.size() > L::kMaxMountsPerSandbox)
        throw validate::invalid("secrets", "A sandbox mounts at most " +
                                               std::to_string(L::kMaxMountsPerSandbox) + " secrets.");
    Mounts out;
    std::set<std::string> envs;
    store::SecretRepository repo(m_db);
    for (const auto& [env, name] : wanted) {
        if (!envs.insert(env).second)
            throw validate::invalid("secrets",
                                    "Environment variable '" + env + "' is named twice in 'secrets'.");
        auto r = repo.findByName(name, organizationId);
        if (!r)
            throw validate::invalid("secrets",
                                    "Secret '" + name.substr(0, L::kMaxNameBytes) +
                                        "' does not exist in this organization; create it with POST "
                                        "/api/secret or list them with GET /api/secret.");
        out.emplace_back(env, std::move(*r));
    }
    return out;
}

json Secrets::mountsDto(const std::string& sandboxId) {
    json out = json::array();
    for (const auto& m : store::SecretRepository(m_db).mountsOf(sandboxId))
        out.push_back({{"env", m.env},
                       {"secretId", m.secret.id},
                       {"secretName", m.secret.name},
                       {"placeholder", m.secret.placeholder},
                       {"hosts", hostsIn(m.secret)}});
    return out;
}

void Secrets::reload() {
    auto next = std::make_shared<LiveSecrets>();
    for (const auto& m : store::SecretRepository(m_db).liveMounts()) {
        auto value = unseal(m_key, m.secret.valueSealed, m.secret.id);
        if (!value) {
            // Never substituted; the placeholder goes out as it is.
            std::fprintf(stderr,
                         "coved: the value of secret %s cannot be read with this installation's key\n",
                         m.secret.id.c_str());
            continue;
        }
        (*next)[m.sandboxId].push_back({m.secret.placeholder, std::move(*value), hostsIn(m.secret)});
    }
    std::lock_guard lock(m_mutex);
    m_live = std::move(next);
}

std::shared_ptr<const LiveSecrets> Secrets::live() const {
    std::lock_guard lock(m_mutex);
    return m_live;
}

bool Secrets::mountsAny(const std::string& sandboxId) const {
    const auto l = live();
    return l->count(sandboxId) > 0;
}

} // namespace cove::domain
