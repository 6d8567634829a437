// The body of POST /api/sandbox: parsed as coved parses it, then checked field by field as
// SandboxService::create does before it touches the store or the engine (service/core/Validate.cpp and
// the network fields, NetworkPolicy.cpp). Kept to one function, checkCreateBody, so it follows create's
// validation when that changes. Invariants:
//  - a refusal is an ApiError 400 with a message; nothing else may escape (it would be a 500);
//  - what is accepted is what create stores, and everything later read back from the stored row
//    (the DTO's fields, the egress policy, the row's JSON) reads without an exception;
//  - an accepted allow-list is normalised to at most five CIDR blocks that parse to themselves.
#include "FuzzCheck.h"

#include "common/ApiError.h"
#include "service/core/Config.h"
#include "service/core/NetworkPolicy.h"
#include "service/core/Validate.h"

using namespace cove;
using namespace cove::core;
using namespace cove::core::validate;
using nlohmann::json;

namespace {

// Create's checks, in its order (the snapshot, buildInfo and volumes need the store and are left out);
// answers what the sandbox row's `extra` would hold.
json checkCreateBody(const json& body) {
    const auto name = optString(body, "name");
    if (name && (name->empty() || name->size() > SandboxDefaults::kMaxNameLength || hasControlChars(*name)))
        throw ApiError::badRequest("'name' is not a sandbox name.");
    optString(body, "snapshot");
    stringMap(body, "env");
    stringMap(body, "labels");
    optInt(body, "cpu", SandboxDefaults::kCpu, 1, 1024);
    optInt(body, "memory", SandboxDefaults::kMemoryGiB, 1, 1 << 16);
    optInt(body, "disk", SandboxDefaults::kDiskGiB, 1, 1 << 20);
    optInt(body, "gpu", 0, 0, 0);
    optInt(body, "autoStopInterval", SandboxDefaults::kAutoStopMinutes, 0, 1 << 30);
    optInt(body, "autoArchiveInterval", SandboxDefaults::kAutoArchiveMinutes, 0, 1 << 30);
    optInt(body, "autoDeleteInterval", SandboxDefaults::kAutoDeleteMinutes, -1, 1 << 30);
    if (body.contains("public") && !body["public"].is_null() && !body["public"].is_boolean())
        throw ApiError::badRequest("'public' must be true or false.");
    // SandboxService::validateNetworkFields
    for (const char* key : {"domainAllowList", "target"})
        if (body.contains(key) && !body[key].is_null() && !body[key].is_string())
            throw ApiError::badRequest(std::string("'") + key + "' must be a string.");
    if (body.contains("networkBlockAll") && !body["networkBlockAll"].is_null() &&
        !body["networkBlockAll"].is_boolean())
        throw ApiError::badRequest("'networkBlockAll' must be true or false.");
    if (body.contains("networkAllowList") && !body["networkAllowList"].is_null()) {
        if (!body["networkAllowList"].is_string())
            throw ApiError::badRequest("'networkAllowList' must be a string.");
        if (const auto list = body["networkAllowList"].get<std::string>(); !list.empty())
            parseAllowList(list);
    }
    const auto user = optString(body, "user").value_or("root");
    if (hasControlChars(user) || user.find(':') != std::string::npos)
        throw ApiError::badRequest("'user' must be a user name of the image.");
    json extra = json::object();
    for (const char* key : {"networkBlockAll", "networkAllowList", "domainAllowList", "target"})
        if (body.contains(key) && !body[key].is_null())
            extra[key] = body[key];
    return extra;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // As RequestContext::jsonBody: not JSON, or not an object, is a 400 before any field is read.
    const json body = json::parse(text, nullptr, false);
    if (body.is_discarded() || !body.is_object())
        return 0;
    json extra;
    try {
        extra = checkCreateBody(body);
    } catch (const ApiError& e) {
        FUZZ_CHECK(e.status == 400);
        FUZZ_CHECK(!e.message.empty());
        e.toJson("/api/sandbox").dump(); // as the client gets it
        return 0;
    }
    // Read back as the DTO and the firewall read a stored row (SandboxService::toDto, effectiveEgress).
    extra.dump();
    FUZZ_CHECK(extra.value("networkBlockAll", false) == body.value("networkBlockAll", false));
    extra.value("target", "local");
    extra.value("domainAllowList", "");
    for (const bool restricted : {false, true}) {
        const Egress e = effectiveEgress(extra, restricted);
        FUZZ_CHECK(e.cidrs.size() <= 5);
        for (const auto& cidr : e.cidrs) {
            const auto again = parseAllowList(cidr);
            FUZZ_CHECK(again.size() == 1 && again[0] == cidr);
        }
    }
    return 0;
}
