// The body of POST /api/sandbox: parsed as coved parses it, then checked by create's own validator
// (validate::createFields, service/domain/Validate.cpp), which create runs before it touches the store
// or the engine. Invariants:
//  - a refusal is a DomainError 400 with a message; nothing else may escape (it would be a 500);
//  - what is accepted is what create stores, and everything later read back from the stored row
//    (the DTO's fields, the egress policy, the row's JSON) reads without an exception;
//  - an accepted allow-list is normalised to at most five CIDR blocks that parse to themselves.
#include "FuzzCheck.h"
#include "service/domain/DomainError.h"

#include "common/ApiError.h"
#include "service/domain/Config.h"
#include "service/domain/NetworkPolicy.h"
#include "service/domain/Validate.h"

using namespace cove;
using namespace cove::domain;
using namespace cove::domain::validate;
using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // As RequestContext::jsonBody: not JSON, or not an object, is a 400 before any field is read.
    const json body = json::parse(text, nullptr, false);
    if (body.is_discarded() || !body.is_object())
        return 0;
    json extra;
    try {
        extra = createFields(body).extra;
    } catch (const cove::domain::DomainError& e) {
        FUZZ_CHECK(e.status() == 400);
        FUZZ_CHECK(!e.message.empty());
        ApiError{e.status(), e.message, e.code, e.field}
            .toJson("/api/sandbox")
            .dump(); // as the client gets it
        return 0;
    }
    // Read back as the DTO and the firewall read a stored row (SandboxService::toDto, effectiveEgress).
    extra.dump();
    FUZZ_CHECK(extra.value("networkBlockAll", false) == body.value("networkBlockAll", false));
    extra.value("target", "local");
    extra.value("domainAllowList", "");
    for (const bool restricted : {false, true}) {
        const Egress e =
            effectiveEgress({extra.value("networkBlockAll", false), extra.value("networkAllowList", ""),
                             extra.value("domainAllowList", ""), extra.value("domainBlockList", ""),
                             extra.value("networkStrict", false)},
                            restricted);
        FUZZ_CHECK(e.cidrs.size() <= 5);
        FUZZ_CHECK(e.domains.size() <= (restricted ? essentialDomains().size() : DomainLimits::kMaxDomains));
        FUZZ_CHECK(e.blockedDomains.size() <= DomainLimits::kMaxDomains);
        for (const auto& cidr : e.cidrs) {
            const auto again = parseAllowList(cidr);
            FUZZ_CHECK(again.size() == 1 && again[0] == cidr);
        }
    }
    return 0;
}
