// AWS Signature Version 4, the request side: the canonical request an S3 client signs, and the fields of
// its Authorization header. No keys and no crypto here, so the parsing can be tested (and fuzzed) alone.
#pragma once

#include "common/Http.h"
#include "common/Time.h"
#include "common/Url.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cove::api::sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

// "AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date,
// Signature=hex" as its fields; the caller has checked that the header starts with the algorithm.
std::map<std::string, std::string> authorizationFields(std::string_view auth);
// The credential's scope split at '/': accessKey, date, region, service, "aws4_request".
std::vector<std::string> credentialScope(const std::string& credential);
// "20261122T153000Z"; nothing if malformed.
std::optional<TimePoint> parseAmzDate(const std::string& s);
// The query's pairs, each part decoded and encoded again (RFC 3986), sorted, joined by '&'.
std::string canonicalQuery(std::string_view target);
// A header value with its ends trimmed and inner runs of spaces and tabs made one space.
std::string trimmedHeader(std::string_view v);
// The canonical request: method, encoded path, canonical query, the signed headers (a ';' list) with their
// trimmed values, the list itself and the payload hash. Nothing when the list leaves out host or x-amz-date.
std::optional<std::string> canonicalRequest(const http::Request& req, const std::string& signedHeaders,
                                            const std::string& payload);

} // namespace cove::api::sigv4
