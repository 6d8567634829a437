// Network policy: what a sandbox may reach — block-all, an allow-list of IPv4 CIDRs, names (domains), the
// essential-services list (tiers 1-2), or open, less a block list of names — decided from its settings
// and its organization's tier. The firewall and, for names, the egress gate (net/) enforce it.
#pragma once

#include "service/domain/DomainError.h"
#include "service/net/Firewall.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cove::domain {

using net::Egress;
using net::essentialDomains;
using net::Firewall;
using net::formatIpv4;
using net::hostRoutes;
using net::NetworkPlan;
using net::parseIpv4;
using net::pickSubnet;
using net::runProgram;
using nlohmann::json;

// Parses a non-empty Daytona `networkAllowList` ("a.b.c.d/n,a.b.c.d/n", at most 5, IPv4 only, strict dotted
// quads with no leading zeros and the host bits clear or not — both are accepted and normalised), throwing
// DomainError 400 with the reason.
std::vector<std::string> parseAllowList(const std::string& text);

struct DomainLimits {
    static constexpr std::size_t kMaxDomains = 10; // as Daytona's domainAllowList
};

// Parses a Daytona `domainAllowList` (or Cove's `domainBlockList`, named by `field`): "name" or "*.name"
// separated by commas, at most DomainLimits::kMaxDomains, each as Daytona's pattern
// ^(\*\.)?(label\.)+[a-zA-Z]{2,}$. Canonical (lower case, no duplicates); throws DomainError 400.
std::vector<std::string> parseDomainList(const std::string& text, const char* field);

// What a sandbox asked for.
struct NetworkRules {
    bool blockAll = false;
    std::string allowList, domainAllowList, domainBlockList; // "" when not given
    bool strict = false;
};

// The policy a sandbox gets. Block-all wins. Strict: exactly its own lists (nothing given: no egress on
// tiers 1-2, open elsewhere). Otherwise tiers 1-2 reach the essential services only, whatever the sandbox
// asks (as Daytona does), by name when it has name rules; elsewhere its CIDRs directly and its names by
// name (both: the union), or open. The block list takes names away from all of these. `intercepted`:
// something must see inside its flows (mounted secrets), so it is proxied even when open.
Egress effectiveEgress(const NetworkRules& rules, bool organizationRestricted, bool intercepted = false);
// The Sandbox DTO's `networkPolicy`.
json policyJson(const Egress& egress);

} // namespace cove::domain
