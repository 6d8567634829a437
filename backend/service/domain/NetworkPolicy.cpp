// Egress decisions.
#include "service/domain/NetworkPolicy.h"
#include "service/domain/DomainError.h"

#include "common/ApiError.h"

#include <algorithm>

namespace cove::domain {

namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

} // namespace

std::vector<std::string> parseAllowList(const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string::npos)
            comma = text.size();
        const std::string item = trim(text.substr(start, comma - start));
        start = comma + 1;
        if (item.empty())
            throw DomainError::invalid("'networkAllowList' has an empty entry; give CIDR blocks separated by "
                                       "commas, e.g. 208.80.154.232/32,10.0.0.0/8.");
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

Egress effectiveEgress(bool blockAll, const std::string& allowList, bool organizationRestricted) {
    Egress e;
    if (blockAll) {
        e.kind = Egress::Kind::BlockAll;
    } else if (organizationRestricted) {
        e.kind = Egress::Kind::Essential;
    } else if (!allowList.empty()) {
        e.kind = Egress::Kind::AllowList;
        e.cidrs = parseAllowList(allowList);
    }
    return e;
}

} // namespace cove::domain
