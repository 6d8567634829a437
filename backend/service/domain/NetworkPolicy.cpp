// Egress decisions.
#include "service/domain/NetworkPolicy.h"
#include "service/domain/DomainError.h"

#include "common/ApiError.h"
#include "service/net/DnsMessage.h"

#include <algorithm>
#include <regex>

namespace cove::domain {

namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// The entries of a comma-separated list, trimmed; an empty one is refused with `whenEmpty`.
std::vector<std::string> entries(const std::string& text, const std::string& whenEmpty) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string::npos)
            comma = text.size();
        out.push_back(trim(text.substr(start, comma - start)));
        start = comma + 1;
        if (out.back().empty())
            throw DomainError::invalid(whenEmpty);
    }
    return out;
}

} // namespace

std::vector<std::string> parseAllowList(const std::string& text) {
    std::vector<std::string> out;
    for (const std::string& item : entries(text, "'networkAllowList' has an empty entry; give CIDR blocks "
                                                 "separated by commas, e.g. 208.80.154.232/32,10.0.0.0/8.")) {
        if (item.find(':') != std::string::npos)
            throw DomainError::invalid("'networkAllowList' entry '" + item +
                                       "' is IPv6; sandboxes have IPv4 only, so give IPv4 CIDR blocks.");
        const auto cidr = net::parseCidr(item);
        if (!cidr)
            throw DomainError::invalid("'networkAllowList' entry '" + item +
                                       "' is not an IPv4 CIDR block like 192.168.1.0/24.");
        const std::string normal =
            formatIpv4(cidr->first & net::maskOf(cidr->second)) + "/" + std::to_string(cidr->second);
        if (std::find(out.begin(), out.end(), normal) == out.end())
            out.push_back(normal);
        // Counted as they come: a long list is refused at its sixth block, not compared pairwise first.
        if (out.size() > 5)
            throw DomainError::invalid(
                "'networkAllowList' has more than 5 CIDR blocks; at most 5 are allowed.");
    }
    return out;
}

std::vector<std::string> parseDomainList(const std::string& text, const char* field) {
    static const std::regex pattern(
        R"(^(\*\.)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,}$)");
    const std::string name = std::string("'") + field + "'";
    std::vector<std::string> out;
    for (const std::string& item :
         entries(text, name + " has an empty entry; give domain names separated by commas, e.g. "
                              "example.com,*.example.com.")) {
        if (item.size() > 253 || !std::regex_match(item, pattern))
            throw DomainError::invalid(
                name + " entry '" + item +
                "' is not a domain name like example.com or a wildcard like *.example.com.");
        const std::string canonical = net::dns::canonicalName(item);
        if (std::find(out.begin(), out.end(), canonical) == out.end())
            out.push_back(canonical);
        if (out.size() > DomainLimits::kMaxDomains)
            throw DomainError::invalid(name + " has more than " + std::to_string(DomainLimits::kMaxDomains) +
                                       " domains; at most " + std::to_string(DomainLimits::kMaxDomains) +
                                       " are allowed.");
    }
    return out;
}

Egress effectiveEgress(const NetworkRules& rules, bool organizationRestricted, bool intercepted) {
    Egress e;
    e.strict = rules.strict;
    if (rules.blockAll) {
        e.kind = Egress::Kind::BlockAll;
        return e;
    }
    if (!rules.domainBlockList.empty())
        e.blockedDomains = parseDomainList(rules.domainBlockList, "domainBlockList");
    const bool names = !rules.domainAllowList.empty() || !e.blockedDomains.empty();
    if (organizationRestricted && !rules.strict) {
        e.essential = true;
        // By name through the resolver when the sandbox has name rules (or is proxied anyway): exactly
        // these names, rather than whatever addresses they resolved to for the packet filter.
        if (names || intercepted) {
            e.kind = Egress::Kind::Domains;
            e.domains = essentialDomains();
            e.proxied = true;
        } else {
            e.kind = Egress::Kind::Essential;
        }
        return e;
    }
    if (!rules.allowList.empty())
        e.cidrs = parseAllowList(rules.allowList);
    if (!rules.domainAllowList.empty())
        e.domains = parseDomainList(rules.domainAllowList, "domainAllowList");
    if (!e.domains.empty())
        e.kind = Egress::Kind::Domains;
    else if (!e.cidrs.empty())
        e.kind = Egress::Kind::AllowList;
    else if (organizationRestricted) // strict with no lists: nothing
        e.kind = Egress::Kind::BlockAll;
    // Open with a block list: proxied, to refuse the blocked names.
    e.proxied = e.kind == Egress::Kind::Domains || (e.kind == Egress::Kind::Open && names) ||
                (intercepted && e.kind != Egress::Kind::BlockAll);
    return e;
}

json policyJson(const Egress& e) {
    return {{"egress", e.name()},
            {"cidrs", e.kind == Egress::Kind::Essential ? std::vector<std::string>{} : e.cidrs},
            {"domains", e.domains},
            {"blockedDomains", e.blockedDomains},
            {"essentialServices", e.essential},
            {"strict", e.strict},
            {"proxied", e.proxied}};
}

} // namespace cove::domain
