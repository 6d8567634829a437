// The request side of the S3 signature check (service/api/SigV4.cpp): the canonical request coved
// hashes to compare with the client's signature, built from a request whose method, target, signed
// header list and header values come from the input. Invariants:
//  - the canonical query is made of unreserved characters, escapes, '=' and '&', and is a fixed point
//    (canonicalising it again changes nothing), so two targets that differ only in escaping sign alike;
//  - a canonical request exists exactly when host and x-amz-date are signed, and has one line per
//    signed header between the query and the header list;
//  - trimmed header values have no tab, no run of spaces and no space at either end;
//  - the Authorization fields and the credential scope come back as they were put in;
//  - an x-amz-date that parses is a real instant, rendered again as the same digits.
#include "FuzzCheck.h"

#include "service/api/SigV4.h"

#include <algorithm>
#include <cctype>

using namespace cove;
namespace sigv4 = cove::api::sigv4;

namespace {

bool canonicalQueryChars(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '%' || c == '=' ||
               c == '&';
    });
}

bool printableHeader(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cove::fuzz::Input in(data, size);
    const std::string method(in.until('\n'));
    const std::string target(in.until('\n'));
    const std::string signedHeaders(in.until('\n'));

    // The query, alone.
    const std::string cq = sigv4::canonicalQuery(target);
    FUZZ_CHECK(canonicalQueryChars(cq));
    FUZZ_CHECK(sigv4::canonicalQuery("/?" + cq) == cq);

    // Header values, alone.
    const std::string_view headerValue = target;
    const std::string trimmed = sigv4::trimmedHeader(headerValue);
    FUZZ_CHECK(trimmed.find('\t') == std::string::npos && trimmed.find("  ") == std::string::npos);
    FUZZ_CHECK(trimmed.empty() || (trimmed.front() != ' ' && trimmed.back() != ' '));
    FUZZ_CHECK(sigv4::trimmedHeader(trimmed) == trimmed);

    // The Authorization header, from fields with none of its separators.
    const std::string credential(method), signature(signedHeaders);
    if (credential.find_first_of(", ") == std::string::npos &&
        signature.find_first_of(", ") == std::string::npos &&
        signedHeaders.find_first_of(", ") == std::string::npos) {
        auto fields =
            sigv4::authorizationFields(std::string(sigv4::kAlgorithm) + " Credential=" + credential +
                                       ", SignedHeaders=" + signedHeaders + ",Signature=" + signature);
        FUZZ_CHECK(fields["Credential"] == credential && fields["SignedHeaders"] == signedHeaders &&
                   fields["Signature"] == signature);
        const auto scope = sigv4::credentialScope(credential);
        FUZZ_CHECK(scope.size() ==
                   static_cast<std::size_t>(std::count(credential.begin(), credential.end(), '/')) + 1);
        std::string joined;
        for (std::size_t i = 0; i < scope.size(); ++i)
            joined += (i ? "/" : "") + scope[i];
        FUZZ_CHECK(joined == credential);
    }
    sigv4::authorizationFields(method); // whatever it is given

    // x-amz-date.
    if (const auto when = sigv4::parseAmzDate(method)) {
        const std::string iso = toIso8601(*when); // 2026-11-22T15:30:00.000Z
        const std::string digits = iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2) + "T" +
                                   iso.substr(11, 2) + iso.substr(14, 2) + iso.substr(17, 2) + "Z";
        if (method.substr(13, 2) != "60") // a leap second is the next minute's first
            FUZZ_CHECK(digits == method);
    }

    // The whole canonical request. Beast refuses some methods, targets and values; those never reach us.
    http::Request req;
    try {
        if (method.empty() || !printableHeader(method) || method.find_first_of(" \t") != std::string::npos ||
            target.empty() || !printableHeader(target))
            return 0;
        req.method_string(method);
        req.target(target);
        while (!in.empty()) {
            const std::string_view line = in.until('\n');
            const auto colon = line.find(':');
            const std::string_view name = line.substr(0, colon);
            const std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
            if (name.empty() || !printableHeader(name) || name.find_first_of(" \t:") != std::string::npos ||
                !printableHeader(value))
                continue;
            // As owned strings, as coved's are: Boost 1.81's beast::iequals reads one byte past a
            // name that differs only in case at its last character (harmless before a NUL or ':').
            req.insert(std::string(name), std::string(value));
        }
    } catch (const std::exception&) {
        return 0;
    }
    const auto canonical = sigv4::canonicalRequest(req, signedHeaders, "UNSIGNED-PAYLOAD");
    std::vector<std::string> names;
    for (std::size_t at = 0; at <= signedHeaders.size();) {
        const auto semi = std::min(signedHeaders.find(';', at), signedHeaders.size());
        names.push_back(signedHeaders.substr(at, semi - at));
        at = semi + 1;
    }
    const bool hasHost = std::find(names.begin(), names.end(), "host") != names.end();
    const bool hasDate = std::find(names.begin(), names.end(), "x-amz-date") != names.end();
    FUZZ_CHECK(canonical.has_value() == (hasHost && hasDate));
    if (!canonical)
        return 0;
    FUZZ_CHECK(canonical->starts_with(std::string(req.method_string()) + "\n"));
    FUZZ_CHECK(canonical->ends_with("\n" + signedHeaders + "\nUNSIGNED-PAYLOAD"));
    // method, path, query, one line per signed header, blank, list, payload: when nothing carries a newline.
    if (signedHeaders.find('\n') == std::string::npos)
        FUZZ_CHECK(static_cast<std::size_t>(std::count(canonical->begin(), canonical->end(), '\n')) ==
                   3 + names.size() + 2);
    return 0;
}
