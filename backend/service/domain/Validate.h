// Checks of request fields: each failure is a 400 that names the field and what it must be.
#pragma once

#include "common/ApiError.h"
#include "service/domain/DomainError.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace cove::domain::validate {

using nlohmann::json;

// A 400 with code INVALID_FIELD naming the field at fault.
DomainError invalid(const std::string& field, std::string message);
bool hasControlChars(const std::string& s);
// The field as a string, nothing when absent or null, 400 when another type.
std::optional<std::string> optString(const json& body, const char* key);
// A string of at most maxBytes bytes with no control characters, nothing when absent or null.
std::optional<std::string> optText(const json& body, const char* key, std::size_t maxBytes);
std::optional<bool> optBool(const json& body, const char* key);
// A whole number in [min, max]; fallback when absent or null.
int optInt(const json& body, const char* key, int fallback, int min, int max);
// Parses a path segment such as the minutes of /autostop/{interval}.
int intParam(const std::string& text, const char* name, int min, int max);
// An object whose values are all strings and whose keys are non-empty and printable, within
// FieldLimits' bounds on entries and sizes.
json stringMap(const json& body, const char* key);

// networkBlockAll, networkAllowList, domainAllowList, domainBlockList and networkStrict, as a create and
// POST /api/sandbox/{id}/network-settings take them.
void networkFields(const json& body);

// The fields of POST /api/sandbox that need neither the store nor the engine, checked in full and in
// this order before anything is written (the snapshot, buildInfo and volumes are the caller's).
struct CreateFields {
    std::optional<std::string> name;
    std::optional<std::string> snapshot; // nothing: the default snapshot
    std::optional<std::string> user;     // nothing: the image's own
    json env, labels;
    int cpu = 0, memory = 0, disk = 0, gpu = 0;
    int autoStop = 0, autoArchive = 0, autoDelete = 0, autoPause = 0;
    int ttlMinutes = 0; // 0: no TTL
    bool isPublic = false;
    json extra; // what the row's `extra` keeps of them: the network fields, target, domainAllowList
    // The sandbox (id or name) this one follows on a link network; it must then be ephemeral.
    std::optional<std::string> linkedSandbox;
};
CreateFields createFields(const json& body);
// A new sandbox's `name` (a create's or a fork's), nothing when absent.
std::optional<std::string> sandboxName(const json& body);

} // namespace cove::domain::validate
