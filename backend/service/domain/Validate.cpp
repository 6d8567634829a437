// Request field checks.
#include "service/domain/Validate.h"
#include "service/domain/DomainError.h"

#include "service/domain/Config.h"
#include "service/domain/NetworkPolicy.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace cove::domain::validate {

DomainError invalid(const std::string& field, std::string message) {
    return DomainError::invalid(std::move(message)).with(errors::kInvalidField, field);
}

bool hasControlChars(const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

std::optional<std::string> optString(const json& body, const char* key) {
    if (!body.contains(key) || body[key].is_null())
        return std::nullopt;
    if (!body[key].is_string())
        throw invalid(key, std::string("'") + key + "' must be a string.");
    return body[key].get<std::string>();
}

std::optional<std::string> optText(const json& body, const char* key, std::size_t maxBytes) {
    auto s = optString(body, key);
    if (s && (s->size() > maxBytes || hasControlChars(*s)))
        throw invalid(key, std::string("'") + key + "' must be at most " + std::to_string(maxBytes) +
                               " bytes with no control characters.");
    return s;
}

std::optional<bool> optBool(const json& body, const char* key) {
    if (!body.contains(key) || body[key].is_null())
        return std::nullopt;
    if (!body[key].is_boolean())
        throw invalid(key, std::string("'") + key + "' must be true or false.");
    return body[key].get<bool>();
}

static DomainError outOfRange(const char* key, int min, int max, const std::string& got) {
    return invalid(key, std::string("'") + key + "' must be between " + std::to_string(min) + " and " +
                            std::to_string(max) + "; got " + got + ".");
}

int optInt(const json& body, const char* key, int fallback, int min, int max) {
    if (!body.contains(key) || body[key].is_null())
        return fallback;
    const auto& v = body[key];
    if (!v.is_number())
        throw invalid(key, std::string("'") + key + "' must be a whole number.");
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (!std::isfinite(d) || d != std::floor(d))
            throw invalid(key, std::string("'") + key + "' must be a whole number.");
        if (d < min || d > max)
            throw outOfRange(key, min, max, v.dump());
        return static_cast<int>(d);
    }
    // An unsigned value too big for long long is out of range whatever the bounds.
    if (v.is_number_unsigned() && v.get<unsigned long long>() > static_cast<unsigned long long>(max))
        throw outOfRange(key, min, max, v.dump());
    if (v.get<long long>() < min || v.get<long long>() > max)
        throw outOfRange(key, min, max, v.dump());
    return static_cast<int>(v.get<long long>());
}

int intParam(const std::string& text, const char* name, int min, int max) {
    long long n = 0;
    const auto* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, n);
    if (ec != std::errc() || p != end || text.empty())
        throw invalid(name, std::string("'") + name + "' must be a whole number; got '" + text + "'.");
    if (n < min || n > max)
        throw outOfRange(name, min, max, text);
    return static_cast<int>(n);
}

json stringMap(const json& body, const char* key) {
    if (!body.contains(key) || body[key].is_null())
        return json::object();
    const auto& v = body[key];
    if (!v.is_object())
        throw invalid(key, std::string("'") + key + "' must be an object of strings.");
    if (v.size() > FieldLimits::kMaxMapEntries)
        throw invalid(key, std::string("'") + key + "' has " + std::to_string(v.size()) +
                               " entries; at most " + std::to_string(FieldLimits::kMaxMapEntries) +
                               " are allowed.");
    std::size_t total = 0;
    for (auto it = v.begin(); it != v.end(); ++it) {
        if (!it.value().is_string())
            throw invalid(key, std::string("'") + key + "." + it.key().substr(0, 64) + "' must be a string.");
        if (it.key().empty() || hasControlChars(it.key()))
            throw invalid(key, std::string("'") + key + "' has an empty key or one with control characters.");
        const auto& value = it.value().get_ref<const std::string&>();
        if (it.key().size() > FieldLimits::kMaxMapKeyBytes || value.size() > FieldLimits::kMaxMapValueBytes)
            throw invalid(key, std::string("'") + key + "' keys may have at most " +
                                   std::to_string(FieldLimits::kMaxMapKeyBytes) + " bytes and values " +
                                   std::to_string(FieldLimits::kMaxMapValueBytes) + ".");
        total += it.key().size() + value.size();
    }
    if (total > FieldLimits::kMaxMapBytes)
        throw invalid(key, std::string("'") + key + "' holds " + std::to_string(total) + " bytes; at most " +
                               std::to_string(FieldLimits::kMaxMapBytes) + " are allowed.");
    return v;
}

void networkFields(const json& body) {
    if (body.contains("networkBlockAll") && !body["networkBlockAll"].is_null() &&
        !body["networkBlockAll"].is_boolean())
        throw invalid("networkBlockAll", "'networkBlockAll' must be true or false.");
    if (body.contains("networkStrict") && !body["networkStrict"].is_null() &&
        !body["networkStrict"].is_boolean())
        throw invalid("networkStrict", "'networkStrict' must be true or false.");
    const auto list = [&](const char* key, const char* what, const auto& parse) {
        if (!body.contains(key) || body[key].is_null())
            return;
        if (!body[key].is_string() ||
            body[key].get_ref<const std::string&>().size() > FieldLimits::kMaxListBytes)
            throw invalid(key, std::string("'") + key + "' must be a string of " + what +
                                   " separated by commas, at most " +
                                   std::to_string(FieldLimits::kMaxListBytes) + " bytes.");
        if (const auto text = body[key].get<std::string>(); !text.empty()) { // "": none
            try {
                parse(text, key);
            } catch (DomainError& e) {
                throw std::move(e).with(errors::kInvalidField, key);
            }
        }
    };
    list("networkAllowList", "CIDR blocks", [](const std::string& t, const char*) { parseAllowList(t); });
    list("domainAllowList", "domain names", parseDomainList);
    list("domainBlockList", "domain names", parseDomainList);
}

std::optional<std::string> sandboxName(const json& body) {
    auto name = optString(body, "name");
    if (name && (name->empty() || name->size() > SandboxDefaults::kMaxNameLength || hasControlChars(*name)))
        throw invalid("name", "'name' must be 1 to " + std::to_string(SandboxDefaults::kMaxNameLength) +
                                  " characters with no control characters.");
    return name;
}

CreateFields createFields(const json& body) {
    CreateFields f;
    f.name = sandboxName(body);
    f.snapshot = optText(body, "snapshot", FieldLimits::kMaxReferenceBytes);
    f.env = stringMap(body, "env");
    f.labels = stringMap(body, "labels");
    f.cpu = optInt(body, "cpu", SandboxDefaults::kCpu, 1, 1024);
    f.memory = optInt(body, "memory", SandboxDefaults::kMemoryGiB, 1, 1 << 16);
    f.disk = optInt(body, "disk", SandboxDefaults::kDiskGiB, 1, 1 << 20);
    f.gpu = optInt(body, "gpu", 0, 0, 0);
    f.autoStop = optInt(body, "autoStopInterval", SandboxDefaults::kAutoStopMinutes, 0, 1 << 30);
    f.autoArchive = optInt(body, "autoArchiveInterval", SandboxDefaults::kAutoArchiveMinutes, 0, 1 << 30);
    f.autoDelete = optInt(body, "autoDeleteInterval", SandboxDefaults::kAutoDeleteMinutes, -1, 1 << 30);
    // As Daytona: at most one of auto-stop and auto-pause is on; asking for auto-pause alone turns the
    // default auto-stop off.
    f.autoPause = optInt(body, "autoPauseInterval", 0, 0, 1 << 30);
    if (f.autoPause > 0) {
        if (!body.contains("autoStopInterval") || body["autoStopInterval"].is_null())
            f.autoStop = 0;
        else if (f.autoStop > 0)
            throw invalid("autoPauseInterval",
                          "At most one of 'autoStopInterval' and 'autoPauseInterval' may be non-zero.");
    }
    f.ttlMinutes = optInt(body, "ttlMinutes", 0, 0, 1 << 30);
    if (body.contains("public") && !body["public"].is_null()) {
        if (!body["public"].is_boolean())
            throw invalid("public", "'public' must be true or false.");
        f.isPublic = body["public"].get<bool>();
    }
    networkFields(body);
    f.extra = json::object();
    for (const char* key :
         {"networkBlockAll", "networkAllowList", "domainAllowList", "domainBlockList", "networkStrict"})
        if (body.contains(key) && !body[key].is_null())
            f.extra[key] = body[key];
    if (const auto target = optText(body, "target", FieldLimits::kMaxReferenceBytes))
        f.extra["target"] = *target;
    f.linkedSandbox = optText(body, "linkedSandbox", FieldLimits::kMaxReferenceBytes);
    if (f.linkedSandbox && f.linkedSandbox->empty())
        f.linkedSandbox.reset();
    // As Daytona: a follower lives no longer than it runs.
    if (f.linkedSandbox && f.autoDelete != 0)
        throw invalid("linkedSandbox", "A linked sandbox must be ephemeral: set 'ephemeral': true (or "
                                       "'autoDeleteInterval': 0) together with 'linkedSandbox'.");
    f.user = optText(body, "user", FieldLimits::kMaxReferenceBytes);
    if (f.user && f.user->find(':') != std::string::npos)
        throw invalid("user", "'user' must be a user name of the image.");
    if (body.contains("volumes") && !body["volumes"].is_null() &&
        (!body["volumes"].is_array() || body["volumes"].size() > FieldLimits::kMaxArrayItems))
        throw invalid("volumes", "'volumes' must be an array of at most " +
                                     std::to_string(FieldLimits::kMaxArrayItems) + " mounts.");
    return f;
}

} // namespace cove::domain::validate
