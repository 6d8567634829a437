// Network policy: what a sandbox may reach — block-all, an allow-list of IPv4 CIDRs, the
// essential-services list (tiers 1-2), or open — decided from its settings and its organization's tier.
// The firewall (net/) enforces it.
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

// The policy a sandbox gets: block-all wins; tiers 1-2 are restricted to the essential services whatever
// the sandbox asks (as Daytona does); otherwise its allow-list (empty: none), or open.
Egress effectiveEgress(bool blockAll, const std::string& allowList, bool organizationRestricted);

} // namespace cove::domain
