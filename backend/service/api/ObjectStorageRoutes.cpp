// The object storage the SDK uploads build contexts to: GET /api/object-storage/push-access hands out
// temporary credentials, and /api/object-storage/s3 answers the S3 calls the SDK's ObjectStorage makes
// with them (ListObjectsV2, PutObject and the multipart upload), signed with AWS Signature Version 4.
#include "service/api/Routes.h"
#include "service/api/SigV4.h"

#include "service/domain/BuildContexts.h"
#include "service/domain/Crypto.h"
#include "service/domain/Keys.h"
#include "service/domain/SandboxService.h"
#include "service/domain/Snapshots.h"
#include "service/domain/Validate.h"
#include "service/domain/Workers.h"

#include <algorithm>

namespace cove::api {

namespace {

using sigv4::kAlgorithm;
// How far a request's x-amz-date may be from coved's clock, as S3 allows.
constexpr std::chrono::minutes kClockSkew{15};

// The principal that asked for the access, as it stands now, if the request is signed with its secret,
// carries its session token and is dated now; nothing otherwise. The body is not read yet (no body is,
// before its request's credentials passed): that it is the payload signed is checked by payloadSigned().
std::optional<Principal> verifySignature(const RequestContext& c, const domain::BuildContexts& contexts,
                                         domain::Keys& keys, const Clock& clock) {
    const http::Request& req = c.req;
    const std::string_view auth = req[http::bhttp::field::authorization];
    if (auth.substr(0, kAlgorithm.size() + 1) != std::string(kAlgorithm) + " ")
        return std::nullopt;
    auto fields = sigv4::authorizationFields(auth);
    const std::string credential = fields["Credential"], signedHeaders = fields["SignedHeaders"],
                      signature = fields["Signature"];
    // accessKey/date/region/service/aws4_request
    const std::vector<std::string> scope = sigv4::credentialScope(credential);
    if (scope.size() != 5 || scope[3] != "s3" || scope[4] != "aws4_request" || signedHeaders.empty())
        return std::nullopt;
    const auto grant = contexts.grant(scope[0]);
    if (!grant || !domain::equalConstantTime(std::string(req["x-amz-security-token"]), grant->sessionToken))
        return std::nullopt;
    const std::string amzDate(req["x-amz-date"]);
    const auto when = sigv4::parseAmzDate(amzDate);
    if (!when || amzDate.substr(0, 8) != scope[1] ||
        std::chrono::abs(clock.now() - *when) > std::chrono::duration_cast<std::chrono::seconds>(kClockSkew))
        return std::nullopt;
    const std::string payload(req["x-amz-content-sha256"]);
    const auto canonical = sigv4::canonicalRequest(req, signedHeaders, payload);
    if (!canonical)
        return std::nullopt;
    const std::string stringToSign = std::string(kAlgorithm) + "\n" + amzDate + "\n" + scope[1] + "/" +
                                     scope[2] + "/s3/aws4_request\n" +
                                     domain::toHex(domain::sha256(*canonical));
    std::string key = domain::hmacSha256("AWS4" + grant->secret, scope[1]);
    key = domain::hmacSha256(key, scope[2]);
    key = domain::hmacSha256(key, "s3");
    key = domain::hmacSha256(key, "aws4_request");
    if (!domain::equalConstantTime(domain::toHex(domain::hmacSha256(key, stringToSign)), signature))
        return std::nullopt;
    // A key revoked or expired since takes its grants with it; changed scopes apply at once.
    return keys.principalOf(grant->who.keyId, toMillis(clock.now()));
}

// Once the body is in: it must be the payload whose hash the signature covers.
void payloadSigned(const RequestContext& c) {
    const std::string_view payload = c.req["x-amz-content-sha256"];
    if (payload != "UNSIGNED-PAYLOAD" && payload != domain::toHex(domain::sha256(c.req.body())))
        throw ApiError::unauthorized(
            "The request's body is not the one signed (x-amz-content-sha256); sign and send it again.");
}

http::Response xmlResponse(const http::Request& req, int status, const std::string& body) {
    http::Response res{static_cast<http::bhttp::status>(status), req.version()};
    res.set(http::bhttp::field::content_type, "application/xml");
    res.keep_alive(req.keep_alive());
    res.body() = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body;
    res.prepare_payload();
    return res;
}

http::Response etagResponse(const http::Request& req, const std::string& etag) {
    http::Response res{http::bhttp::status::ok, req.version()};
    res.set(http::bhttp::field::etag, etag);
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    return res;
}

// <Part><PartNumber>1</PartNumber><ETag>"…"</ETag></Part>…, in the order given.
std::vector<std::pair<int, std::string>> partsOf(const std::string& xml) {
    std::vector<std::pair<int, std::string>> parts;
    const auto inner = [&](std::size_t from, std::size_t to,
                           const std::string& tag) -> std::optional<std::string> {
        const auto open = xml.find("<" + tag + ">", from);
        if (open == std::string::npos || open > to)
            return std::nullopt;
        const auto start = open + tag.size() + 2;
        const auto close = xml.find("</" + tag + ">", start);
        if (close == std::string::npos || close > to)
            return std::nullopt;
        return xml.substr(start, close - start);
    };
    for (std::size_t at = 0;;) {
        const auto open = xml.find("<Part>", at);
        if (open == std::string::npos)
            break;
        const auto close = xml.find("</Part>", open);
        if (close == std::string::npos)
            throw ApiError{400, "The CompleteMultipartUpload body is not well-formed XML.", "MalformedXML"};
        const auto number = inner(open, close, "PartNumber");
        auto etag = inner(open, close, "ETag");
        if (!number || !etag)
            throw ApiError{400, "Each <Part> needs a <PartNumber> and an <ETag>.", "MalformedXML"};
        for (const auto& [from, to] : {std::pair{"&quot;", "\""}, std::pair{"&#34;", "\""}})
            for (std::size_t p; (p = etag->find(from)) != std::string::npos;)
                etag->replace(p, std::string(from).size(), to);
        parts.emplace_back(
            domain::validate::intParam(*number, "PartNumber", 1, domain::BuildContextLimits::kMaxParts),
            *etag);
        at = close;
    }
    return parts;
}

std::string s3Code(int status) {
    switch (status) {
    case 400:
        return "InvalidRequest";
    case 401:
    case 403:
        return "AccessDenied";
    case 404:
        return "NoSuchKey";
    case 405:
        return "MethodNotAllowed";
    case 413:
        return "EntityTooLarge";
    case 429:
        return "SlowDown";
    case 503:
        return "ServiceUnavailable";
    default:
        return status >= 500 ? "InternalError" : "InvalidRequest";
    }
}

// An error answer as S3 clients read it (<Error><Code/><Message/></Error>), from Cove's JSON one.
http::Response objectStorageError(const http::Request& req, const http::Response& jsonError) {
    const int status = static_cast<int>(jsonError.result_int());
    const json body = json::parse(jsonError.body(), nullptr, false);
    const std::string message = body.is_object() ? body.value("message", "") : std::string();
    const std::string code =
        body.is_object() && body.value("code", "") != "" ? body.value("code", "") : s3Code(status);
    auto res = xmlResponse(req, status,
                           "<Error><Code>" + http::escapeMarkup(code) + "</Code><Message>" +
                               http::escapeMarkup(message) + "</Message><Resource>" +
                               http::escapeMarkup(http::pathOf(req.target())) + "</Resource></Error>");
    for (const auto& field : jsonError)
        if (field.name_string().starts_with("X-RateLimit") || field.name() == http::bhttp::field::retry_after)
            res.set(field.name_string(), field.value());
    return res;
}

// Contexts go into builds of snapshots and of sandboxes: either right will do, for the credentials and
// for every call signed with them (checked with the key's scopes at the time of the call).
void requirePushScope(const Principal& who) {
    if (!who.hasScope(kWriteSnapshots) && !who.hasScope(kWriteSandboxes))
        throw ApiError::forbidden("Uploading build contexts needs the scope '" +
                                  std::string(kWriteSnapshots) + "' or '" + kWriteSandboxes + "'.");
}

} // namespace

void addObjectStorageRoutes(Router& r, domain::SandboxService& sandboxes, const Governance& governance) {
    domain::BuildContexts& contexts = sandboxes.snapshots().contexts();
    r.add(syncRoute(verb::get, "/api/object-storage/push-access", Access::anyKey(),
                    [&contexts](RequestContext&, const Caller& who) {
                        requirePushScope(who.who);
                        return contexts.pushAccess(who.who, who.baseUrl + kObjectStoragePrefix);
                    }),
          {.summary = "Temporary S3 credentials for uploading build contexts",
           .reply = "PushAccess",
           .description = "Needs the scope write:snapshots or write:sandboxes (checked by the route)."});

    const auto signedBy = [&contexts, &keys = governance.keys, &clock = governance.clock](
                              const RequestContext& c) { return verifySignature(c, contexts, keys, clock); };
    const auto bucketOf = [](const RequestContext& c) {
        if (c.param("bucket") != domain::BuildContexts::kBucket)
            throw ApiError{404, "Cove has one bucket, " + std::string(domain::BuildContexts::kBucket) + ".",
                           "NoSuchBucket"};
    };
    // The object made is a build context: one audit row, for the upload that completes it.
    // PutObject (no uploadId) and CompleteMultipartUpload (POST with one); parts and aborts are not.
    const auto madeObject = [](const RequestContext& c) -> std::optional<std::string> {
        const bool ofUpload = c.query.count("uploadId") > 0;
        const auto method = c.req.method();
        if ((method == verb::put && !ofUpload) || (method == verb::post && ofUpload))
            return std::string("create");
        return std::nullopt;
    };
    // Every S3 route: signed with push-access credentials, one bucket, errors as S3 writes them.
    const auto addS3 = [&r, signedBy, bucketOf, madeObject](Route route, RouteDoc doc) {
        route.handler = [bucketOf, handler = std::move(route.handler)](RequestContext& c) {
            bucketOf(c);
            requirePushScope(c.caller().who);
            payloadSigned(c);
            return handler(c);
        };
        route.signedAuth = signedBy;
        route.renderError = objectStorageError;
        if (route.method != verb::get)
            route.audit = {"", "build_context", "key", madeObject};
        doc.alsoAuth = {"s3Signature"};
        doc.description += (doc.description.empty() ? "" : " ") +
                           std::string("Signed with the push-access credentials (AWS Signature V4); errors "
                                       "are S3's XML. Needs write:snapshots or write:sandboxes.");
        r.add(std::move(route), std::move(doc));
    };
    const std::string bucketPath = std::string(kObjectStoragePrefix) + "/{bucket}";
    const std::string objectPath = bucketPath + "/{*key}";

    // ListObjectsV2: whether a context was uploaded before (the SDK uploads each only once).
    Route list{
        verb::get, bucketPath, Access::anyKey(), [&contexts](RequestContext& c) -> awaitable<http::Response> {
            if (c.queryValue("list-type").value_or("") != "2")
                throw ApiError{400, "Cove's object storage answers ListObjectsV2 (list-type=2) only.",
                               "NotImplemented"};
            const std::string prefix = c.queryValue("prefix").value_or("");
            // As S3: at most 1000, however many were asked for.
            const std::size_t maxKeys = std::min(
                domain::validate::intParam(c.queryValue("max-keys").value_or("1000"), "max-keys", 0, 1 << 30),
                1000);
            const auto objects = contexts.list(c.caller().who.organizationId, prefix, maxKeys);
            std::string xml = "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" +
                              std::string(domain::BuildContexts::kBucket) + "</Name><Prefix>" +
                              http::escapeMarkup(prefix) + "</Prefix><KeyCount>" +
                              std::to_string(objects.size()) + "</KeyCount><MaxKeys>" +
                              std::to_string(maxKeys) + "</MaxKeys><IsTruncated>false</IsTruncated>";
            for (const auto& o : objects)
                xml += "<Contents><Key>" + http::escapeMarkup(o.key) + "</Key><LastModified>" +
                       toIso8601(o.modified) + "</LastModified><Size>" + std::to_string(o.size) +
                       "</Size><StorageClass>STANDARD</StorageClass></Contents>";
            co_return xmlResponse(c.req, 200, xml + "</ListBucketResult>");
        }};
    addS3(std::move(list),
          {.summary = "S3 ListObjectsV2: the build contexts uploaded",
           .reply = RouteDoc::kXml,
           .query = {
               {"list-type", "string", "2"}, {"prefix", "string"}, {"max-keys", "integer", "at most 1000"}}});

    // PutObject, or UploadPart (partNumber and uploadId).
    Route put{
        verb::put, objectPath, Access::anyKey(), [&contexts](RequestContext& c) -> awaitable<http::Response> {
            const std::string org = c.caller().who.organizationId;
            const std::string key = c.param("key");
            const auto uploadId = c.queryValue("uploadId");
            const std::string_view body = c.req.body();
            if (!uploadId) {
                const std::string etag =
                    co_await domain::offload([&] { return contexts.put(org, key, body); });
                co_return etagResponse(c.req, etag);
            }
            const int part = domain::validate::intParam(c.queryValue("partNumber").value_or(""), "partNumber",
                                                        1, domain::BuildContextLimits::kMaxParts);
            const std::string etag =
                co_await domain::offload([&] { return contexts.putPart(org, key, *uploadId, part, body); });
            co_return etagResponse(c.req, etag);
        }};
    addS3(std::move(put), {.summary = "S3 PutObject, or UploadPart with partNumber and uploadId",
                           .reply = RouteDoc::kNothing,
                           .request = RouteDoc::kUpload,
                           .query = {{"partNumber", "integer"}, {"uploadId", "string"}},
                           .description = "The object's ETag comes back in the ETag header."});

    // CreateMultipartUpload (?uploads) and CompleteMultipartUpload (?uploadId).
    Route post{
        verb::post, objectPath, Access::anyKey(),
        [&contexts](RequestContext& c) -> awaitable<http::Response> {
            const std::string org = c.caller().who.organizationId, key = c.param("key");
            const std::string head = "<Bucket>" + std::string(domain::BuildContexts::kBucket) +
                                     "</Bucket><Key>" + http::escapeMarkup(key) + "</Key>";
            if (c.query.count("uploads"))
                co_return xmlResponse(c.req, 200,
                                      "<InitiateMultipartUploadResult>" + head + "<UploadId>" +
                                          contexts.startUpload(org, key) +
                                          "</UploadId></InitiateMultipartUploadResult>");
            const auto uploadId = c.queryValue("uploadId");
            if (!uploadId)
                throw ApiError{400, "POST on an object takes ?uploads or ?uploadId.", "NotImplemented"};
            const auto parts = partsOf(c.req.body());
            const std::string etag =
                co_await domain::offload([&] { return contexts.complete(org, key, *uploadId, parts); });
            co_return xmlResponse(c.req, 200,
                                  "<CompleteMultipartUploadResult>" + head + "<ETag>" +
                                      http::escapeMarkup(etag) + "</ETag></CompleteMultipartUploadResult>");
        }};
    addS3(std::move(post),
          {.summary = "S3 CreateMultipartUpload (?uploads) or CompleteMultipartUpload (?uploadId)",
           .reply = RouteDoc::kXml,
           .request = RouteDoc::kAny,
           .query = {{"uploads", "string", "present: start an upload"}, {"uploadId", "string"}},
           .description = "CompleteMultipartUpload takes S3's XML list of parts."});

    // AbortMultipartUpload.
    Route abort{verb::delete_, objectPath, Access::anyKey(),
                [&contexts](RequestContext& c) -> awaitable<http::Response> {
                    const auto uploadId = c.queryValue("uploadId");
                    if (!uploadId)
                        throw ApiError{
                            400, "Build contexts are not deleted one by one; unused ones go after a week.",
                            "NotImplemented"};
                    const std::string org = c.caller().who.organizationId, key = c.param("key");
                    co_await domain::offload([&] { contexts.abort(org, key, *uploadId); });
                    http::Response res{http::bhttp::status::no_content, c.req.version()};
                    res.keep_alive(c.req.keep_alive());
                    co_return res;
                }};
    addS3(std::move(abort), {.summary = "S3 AbortMultipartUpload",
                             .reply = RouteDoc::kNothing,
                             .request = RouteDoc::kNoBody,
                             .query = {{"uploadId", "string"}},
                             .status = 204});
}

} // namespace cove::api
