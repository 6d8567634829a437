// The OpenAPI document: operations from the route table, and the schemas of the DTOs coved's serializers
// write (domain/SandboxService.cpp toDto, Snapshots.cpp, Volumes.cpp, Keys.cpp, AuditLog.cpp, Quotas.cpp,
// api/OrganizationRoutes.cpp, ...). A field added to a DTO belongs here too: tst_openapi checks real
// replies against these schemas with unknown fields refused.
#include "service/api/OpenApi.h"

#include "common/PathMatch.h"
#include "cove/Version.h"

#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <set>

namespace cove::api {

namespace {

// JSON Schema (2020-12, as OpenAPI 3.1 has it) in a few words.
json schemaRef(const std::string& name) {
    return {{"$ref", "#/components/schemas/" + name}};
}
json type(const char* t, const std::string& description = {}) {
    json s{{"type", t}};
    if (!description.empty())
        s["description"] = description;
    return s;
}
json str(const std::string& description = {}) {
    return type("string", description);
}
json integer(const std::string& description = {}) {
    return type("integer", description);
}
json boolean(const std::string& description = {}) {
    return type("boolean", description);
}
json number(const std::string& description = {}) {
    return type("number", description);
}
json dateTime(const std::string& description = {}) {
    json s = str(description);
    s["format"] = "date-time";
    return s;
}
json orNull(json s) {
    if (s.contains("type") && s["type"].is_string())
        s["type"] = json::array({s["type"], "null"});
    else
        s = {{"anyOf", json::array({std::move(s), {{"type", "null"}}})}};
    return s;
}
json arrayOf(json items, const std::string& description = {}) {
    json s{{"type", "array"}, {"items", std::move(items)}};
    if (!description.empty())
        s["description"] = description;
    return s;
}
json oneOfStrings(std::initializer_list<const char*> values, const std::string& description = {}) {
    json s = str(description);
    s["enum"] = json::array();
    for (const char* v : values)
        s["enum"].push_back(v);
    return s;
}
json stringMap(const std::string& description = {}) {
    json s{{"type", "object"}, {"additionalProperties", {{"type", "string"}}}};
    if (!description.empty())
        s["description"] = description;
    return s;
}

// An object schema, field by field; `req` fields are always present in what coved writes.
class Obj {
public:
    explicit Obj(std::string description = {})
        : m_description(std::move(description)) {}
    Obj& req(const std::string& name, json schema) {
        m_required.push_back(name);
        return opt(name, std::move(schema));
    }
    Obj& opt(const std::string& name, json schema) {
        m_properties[name] = std::move(schema);
        return *this;
    }
    Obj& without(const std::string& name) {
        m_properties.erase(name);
        std::erase(m_required, name);
        return *this;
    }
    json schema() const {
        json s{{"type", "object"}, {"properties", m_properties}};
        if (!m_required.empty())
            s["required"] = m_required;
        if (!m_description.empty())
            s["description"] = m_description;
        return s;
    }

private:
    std::string m_description;
    json m_properties = json::object();
    std::vector<std::string> m_required;
};

Obj sandboxFields() {
    Obj o("A sandbox, as Daytona's Sandbox DTO, with Cove's fields marked (Cove).");
    o.req("id", str())
        .req("organizationId", str())
        .req("name", str())
        .req("snapshot", str("the snapshot (image) it was made from"))
        .req("user", str("the user its toolbox runs as"))
        .req("labels", stringMap())
        .req("public", boolean("whether its previews need no token"))
        .req("networkBlockAll", boolean())
        .opt("networkAllowList", str("IPv4 CIDRs separated by commas"))
        .opt("domainAllowList", str("names (or *.name) it may reach, separated by commas"))
        .opt("domainBlockList", str("names (or *.name) it may never reach, separated by commas (Cove)"))
        .req("networkStrict", boolean("exactly its own lists: no essential services, no exception (Cove)"))
        .req("target", str("the region: always local"))
        .req("cpu", integer("vCPUs"))
        .req("gpu", integer())
        .req("memory", integer("GiB"))
        .req("disk", integer("GiB"))
        .req("state", schemaRef("SandboxState"))
        .req("desiredState", schemaRef("SandboxState"))
        .req("errorReason", orNull(str()))
        .req("recoverable", boolean())
        .req("backupState", oneOfStrings({"None", "Pending", "InProgress", "Completed", "Error"}))
        .opt("backupCreatedAt", dateTime())
        .req("autoStopInterval", integer("idle minutes before it stops; 0: never"))
        .req("autoPauseInterval", integer("idle minutes before it pauses; 0: never"))
        .req("autoArchiveInterval", integer("minutes stopped before it is archived"))
        .req("autoDeleteInterval", integer("minutes stopped before it is deleted; -1: never"))
        .opt("autoDestroyAt", dateTime("when its TTL destroys it"))
        .req("createdAt", dateTime())
        .req("updatedAt", dateTime())
        .req("lastActivityAt", dateTime())
        .req("sandboxClass", oneOfStrings({"container"}))
        .req("daemonVersion", str())
        .req("diskLimitEnforced", boolean("whether the engine holds it to its disk size (Cove)"))
        .req("networkEgress",
             oneOfStrings({"open", "block-all", "allow-list", "essential-services", "domains"},
                          "the egress actually enforced (Cove)"))
        .req("networkPolicy", schemaRef("NetworkPolicy"))
        .req("toolboxProxyUrl", str("the toolbox's base address; calls go to <url>/<sandbox id>/..."))
        .opt("parentSandboxId", str("the sandbox it was forked from (Cove)"))
        .opt("forkedMemory", boolean("false: a fork copies files, not running processes (Cove)"))
        .opt("linkedSandboxId", str("the sandbox this one follows on their link network (full DTO)"))
        .opt("linkedFollowers",
             arrayOf(str(), "the ids of the sandboxes that follow this one (Cove, full DTO)"))
        .req("env", stringMap())
        .req("volumes", arrayOf(schemaRef("VolumeMount")))
        .opt("buildInfo", schemaRef("BuildInfo"));
    return o;
}

json schemas() {
    json s;
    s["Error"] = Obj("Every refusal and failure: Daytona's error body, with Cove's code and field.")
                     .req("statusCode", integer())
                     .req("error", str("the status's reason phrase"))
                     .req("message", str("what went wrong and what to do"))
                     .req("timestamp", dateTime())
                     .req("path", str())
                     .opt("code", str("for clients that act on the kind of failure: INVALID_FIELD, "
                                      "QUOTA_EXCEEDED, NAME_TAKEN, SNAPSHOT_NOT_FOUND, SNAPSHOT_NOT_READY, "
                                      "VOLUME_NOT_FOUND, ..."))
                     .opt("field", str("the request field at fault"))
                     .schema();
    s["Empty"] = {{"type", "object"}, {"maxProperties", 0}, {"description", "An empty object."}};
    s["Url"] = Obj().req("url", str()).schema();
    s["Health"] = Obj().req("status", oneOfStrings({"ok"})).req("version", str()).schema();
    s["MetricsResponse"] =
        Obj()
            .req("series",
                 arrayOf(Obj()
                             .req("metricName", str())
                             .req("dataPoints",
                                  arrayOf(Obj().req("timestamp", dateTime()).req("value", number()).schema()))
                             .schema()))
            .schema();
    s["PaginatedLogs"] = Obj()
                             .req("items", arrayOf(Obj()
                                                       .req("timestamp", dateTime())
                                                       .req("body", str())
                                                       .req("severityText", oneOfStrings({"INFO", "ERROR"}))
                                                       .opt("severityNumber", integer())
                                                       .req("serviceName", str())
                                                       .req("resourceAttributes", stringMap())
                                                       .req("logAttributes", stringMap())
                                                       .schema()))
                             .req("total", integer())
                             .req("page", integer())
                             .req("totalPages", integer())
                             .schema();
    s["PaginatedTraces"] = Obj("Always empty: Cove records no spans.")
                               .req("items", arrayOf(Obj().schema()))
                               .req("total", integer())
                               .req("page", integer())
                               .req("totalPages", integer())
                               .schema();
    s["TraceSpan"] = Obj("Never returned: Cove records no spans.").schema();
    s["SystemMetrics"] = Obj()
                             .req("cpuCount", integer())
                             .req("cpuUsedPct", number())
                             .req("memTotal", integer())
                             .req("memUsed", integer())
                             .req("memCache", integer())
                             .req("diskTotal", integer("the sandbox's disk size where it is enforced"))
                             .req("diskUsed", integer("its writable layer's use where the engine can tell"))
                             .req("diskFree", integer())
                             .opt("netRxBytes", integer("Cove's"))
                             .opt("netTxBytes", integer("Cove's"))
                             .req("timestamp", dateTime())
                             .req("timestampUnix", integer())
                             .schema();
    s["DaytonaConfiguration"] =
        Obj()
            .req("version", str())
            .req("oidc", Obj().req("issuer", str()).req("clientId", str()).req("audience", str()).schema())
            .req("linkedAccountsEnabled", boolean())
            .req("announcements", Obj().schema())
            .req("proxyTemplateUrl", str())
            .req("proxyToolboxUrl", str())
            .req("defaultSnapshot", str())
            .req("dashboardUrl", str())
            .req("maxAutoArchiveInterval", integer())
            .req("maintananceMode", boolean())
            .req("environment", str())
            .schema();
    s["Readiness"] = Obj()
                         .req("status", oneOfStrings({"ok", "unavailable"}))
                         .req("version", str())
                         .req("checks", Obj()
                                            .req("store", oneOfStrings({"ok", "down"}))
                                            .req("engine", oneOfStrings({"ok", "down"}))
                                            .schema())
                         .opt("message", str())
                         .schema();
    s["Info"] =
        Obj("coved, its Docker engine and its warm pool (Cove).")
            .req("version", str())
            .req("organizationId", str())
            .req("engine", Obj()
                               .req("name", str())
                               .req("version", str())
                               .req("apiVersion", str())
                               .req("storageDriver", str())
                               .req("backingFilesystem", str())
                               .req("diskLimits", boolean())
                               .req("userNamespaces", boolean())
                               .schema())
            .req("instanceId", str())
            .req("warmPool",
                 Obj().req("size", integer()).req("ready", integer()).req("error", orNull(str())).schema())
            .req("warnings", arrayOf(str()))
            .schema();
    s["OpenApiDocument"] = {{"type", "object"},
                            {"required", json::array({"openapi", "info", "paths"})},
                            {"additionalProperties", true},
                            {"description", "An OpenAPI 3.1 document: this one."}};

    // Sandboxes.
    s["SandboxState"] = oneOfStrings(
        {"creating", "restoring",        "destroyed", "destroying",   "started",       "stopped",
         "starting", "stopping",         "error",     "build_failed", "pending_build", "building_snapshot",
         "unknown",  "pulling_snapshot", "archived",  "archiving",    "resizing",      "snapshotting",
         "forking",  "pausing",          "paused",    "resuming"});
    s["Sandbox"] = sandboxFields().schema();
    s["SandboxListItem"] = sandboxFields()
                               .without("env")
                               .without("volumes")
                               .without("buildInfo")
                               .without("backupCreatedAt")
                               .schema();
    s["SandboxListItem"]["description"] = "A sandbox in a list: the Sandbox without env, volumes, buildInfo "
                                          "and backupCreatedAt.";
    s["SandboxList"] = Obj()
                           .req("items", arrayOf(schemaRef("SandboxListItem")))
                           .req("nextCursor", orNull(str("the next page's cursor; null on the last")))
                           .schema();
    s["VolumeMount"] = Obj()
                           .req("volumeId", str("the volume's id (a create also takes its name)"))
                           .req("mountPath", str("an absolute path outside system folders"))
                           .opt("subpath", str("a folder of the volume, relative to its root"))
                           .opt("readOnly", boolean())
                           .schema();
    s["BuildInfo"] = Obj("A Dockerfile and the build contexts it copies from.")
                         .req("dockerfileContent", str())
                         .opt("contextHashes", arrayOf(str(), "uploaded through the object storage"))
                         .opt("hash", str("what identical builds share (answers only)"))
                         .opt("snapshotRef", str("the image built (answers only)"))
                         .opt("createdAt", dateTime())
                         .opt("updatedAt", dateTime())
                         .schema();
    s["CreateSandbox"] =
        Obj("Every field is optional; other fields of Daytona's CreateSandbox are accepted and ignored.")
            .opt("name", str("unique among live sandboxes (default: the id)"))
            .opt("snapshot", str("a snapshot's name or id (default cove-base)"))
            .opt("buildInfo", schemaRef("BuildInfo"))
            .opt("user", str())
            .opt("env", stringMap())
            .opt("labels", stringMap())
            .opt("public", boolean())
            .opt("target", str())
            .opt("cpu", integer("vCPUs (1)"))
            .opt("gpu", integer("0 only"))
            .opt("memory", integer("GiB (1)"))
            .opt("disk", integer("GiB (3)"))
            .opt("autoStopInterval", integer("minutes (15); 0: never"))
            .opt("autoPauseInterval", integer("minutes (0: never); alone it turns auto-stop off"))
            .opt("autoArchiveInterval", integer("minutes (10080)"))
            .opt("autoDeleteInterval", integer("minutes (-1: never); 0: when it stops"))
            .opt("ttlMinutes", integer("destroy it this many minutes from now (0: never)"))
            .opt("networkBlockAll", orNull(boolean()))
            .opt("networkAllowList", orNull(str("up to 5 IPv4 CIDRs separated by commas")))
            .opt("domainAllowList", orNull(str("up to 10 names or *.names separated by commas")))
            .opt("domainBlockList", orNull(str("up to 10 names or *.names it may never reach (Cove)")))
            .opt("networkStrict", orNull(boolean("no essential services and no other exception (Cove)")))
            .opt("linkedSandbox",
                 str("id or name of a sandbox of the organization to reach by name on a link "
                     "network; the new sandbox must be ephemeral (autoDeleteInterval 0)"))
            .opt("volumes", arrayOf(schemaRef("VolumeMount")))
            .opt("secrets",
                 arrayOf(Obj().schema(), "[{\"ENV\": \"secret name\"}]: ENV holds the placeholder"))
            .schema();
    s["ForkSandbox"] = Obj().opt("name", str("the fork's name (default: its id)")).schema();
    s["ResizeSandbox"] = Obj("Any of the three; disk can only grow.")
                             .opt("cpu", integer())
                             .opt("memory", integer("GiB"))
                             .opt("disk", integer("GiB"))
                             .schema();
    s["Labels"] = Obj().req("labels", stringMap()).schema();
    s["NetworkSettings"] =
        Obj("Absent: unchanged; null or empty: back to the default.")
            .opt("networkBlockAll", orNull(boolean()))
            .opt("networkAllowList", orNull(str("IPv4 CIDRs separated by commas")))
            .opt("domainAllowList", orNull(str("up to 10 names or *.names separated by commas")))
            .opt("domainBlockList", orNull(str("up to 10 names or *.names (Cove)")))
            .opt("networkStrict", orNull(boolean("(Cove)")))
            .schema();
    s["NetworkPolicy"] =
        Obj("The egress a sandbox actually gets (Cove): reachable directly (cidrs, every protocol) and by "
            "name "
            "(domains, over HTTP and TLS through Cove's resolver and egress proxy), less blockedDomains.")
            .req("egress", oneOfStrings({"open", "block-all", "allow-list", "essential-services", "domains"}))
            .req("cidrs", arrayOf(str()))
            .req("domains", arrayOf(str()))
            .req("blockedDomains", arrayOf(str()))
            .req("essentialServices", boolean("tiers 1-2: the essential services are reachable"))
            .req("strict", boolean())
            .req("proxied", boolean("its DNS and TCP go through Cove's resolver and egress proxy"))
            .schema();
    s["Checkpoint"] = Obj("A saved copy of a sandbox's files (Cove).")
                          .req("id", str())
                          .req("name", str())
                          .req("sandboxId", str())
                          .req("createdAt", dateTime())
                          .schema();
    s["CreateCheckpoint"] =
        Obj().opt("name", str("1 to 63 characters (default: checkpoint-<time>)")).schema();
    s["PreviewUrl"] = Obj()
                          .req("sandboxId", str())
                          .req("url", str("by path: <coved>/preview/<id>/<port>/"))
                          .req("token", str("X-Daytona-Preview-Token for private sandboxes"))
                          .opt("hostUrl", str("by host name: http://<port>-<id>.localhost:<coved port>"))
                          .schema();
    s["SignedPreviewUrl"] = Obj()
                                .req("sandboxId", str())
                                .req("port", integer())
                                .req("token", str())
                                .req("url", str())
                                .opt("hostUrl", str())
                                .schema();
    s["SigningKey"] = str("The sandbox's signing key, a JSON string.");
    s["TerminalToken"] = Obj()
                             .req("token", str())
                             .req("url", str("the terminal's page, token included"))
                             .req("socketUrl", str())
                             .req("sandboxId", str())
                             .req("expiresAt", dateTime())
                             .schema();
    s["SshAccessDto"] =
        Obj("An SSH access token for one sandbox, as Daytona's SshAccessDto; the token is shown "
            "this once.")
            .req("id", str())
            .req("sandboxId", str())
            .req("token", str("the user name to connect as"))
            .req("expiresAt", dateTime())
            .req("createdAt", dateTime())
            .req("updatedAt", dateTime())
            .req("sshCommand", str("ssh -p <port> <token>@<host>; empty while coved's SSH "
                                   "gateway is off"))
            .schema();
    s["SshAccessValidationDto"] =
        Obj().req("valid", boolean()).req("sandboxId", str("empty when the token is not valid")).schema();

    // Snapshots.
    s["Snapshot"] = Obj("A snapshot, as Daytona's SnapshotDto (note mem, not memory).")
                        .req("id", str())
                        .req("organizationId", str())
                        .req("general", boolean("one of the default snapshots every organization has"))
                        .req("name", str())
                        .req("imageName", str())
                        .req("ref", str())
                        .req("state", oneOfStrings({"building", "pending", "pulling", "active", "inactive",
                                                    "error", "build_failed", "removing"}))
                        .req("size", orNull(number("GB")))
                        .req("entrypoint", orNull(arrayOf(str())))
                        .req("cpu", integer())
                        .req("gpu", integer())
                        .req("mem", integer("GiB"))
                        .req("disk", integer("GiB"))
                        .req("errorReason", orNull(str()))
                        .req("createdAt", dateTime())
                        .req("updatedAt", dateTime())
                        .req("lastUsedAt", orNull(dateTime()))
                        .req("regionIds", arrayOf(str()))
                        .req("sourceSandboxId", orNull(str()))
                        .req("sandboxClass", oneOfStrings({"container"}))
                        .opt("buildInfo", schemaRef("BuildInfo"))
                        .schema();
    s["SnapshotPage"] = Obj()
                            .req("items", arrayOf(schemaRef("Snapshot")))
                            .req("total", integer())
                            .req("page", integer())
                            .req("totalPages", integer())
                            .schema();
    s["CreateSnapshot"] = Obj("Either imageName or buildInfo.")
                              .req("name", str())
                              .opt("imageName", str("a Docker image reference such as debian:12"))
                              .opt("buildInfo", schemaRef("BuildInfo"))
                              .opt("entrypoint", arrayOf(str()))
                              .opt("cpu", integer())
                              .opt("memory", integer("GiB"))
                              .opt("disk", integer("GiB"))
                              .opt("gpu", integer("0 only"))
                              .schema();
    s["CreateSnapshotFromSandbox"] = Obj().req("name", str("the new snapshot's name")).schema();

    // Volumes.
    s["Volume"] = Obj("A volume, as Daytona's VolumeDto, with its size (Cove).")
                      .req("id", str())
                      .req("name", str())
                      .req("organizationId", str())
                      .req("state", oneOfStrings({"creating", "ready", "pending_create", "pending_delete",
                                                  "deleting", "deleted", "error"}))
                      .req("createdAt", orNull(dateTime()))
                      .req("updatedAt", orNull(dateTime()))
                      .req("lastUsedAt", orNull(dateTime()))
                      .req("errorReason", orNull(str()))
                      .req("usedBytes", integer("what its files hold, measured (Cove)"))
                      .schema();
    s["CreateVolume"] = Obj().req("name", str("1 to 255 characters, no '/'")).schema();

    // Private registries. No answer ever holds a registry's password, except registry-push-access's
    // `secret` (the default registry's own, for `daytona snapshot push`).
    s["DockerRegistry"] =
        Obj("A private registry, as Daytona's DockerRegistry, never with its password.")
            .req("id", str())
            .req("name", str())
            .req("url", str("host[:port], as images name the registry"))
            .req("username", str())
            .req("project", str("the images' path prefix under the host; empty: all"))
            .req("registryType", oneOfStrings({"internal", "organization", "transient", "backup"}))
            .req("isDefault", boolean("the organization's registry for snapshot pushes (Cove)"))
            .req("createdAt", dateTime())
            .req("updatedAt", dateTime())
            .schema();
    s["CreateDockerRegistry"] =
        Obj()
            .req("name", str("1 to 255 bytes"))
            .req("url",
                 str("https://host[:port], http://host[:port] or host[:port]; no credentials, no path"))
            .req("username", str())
            .req("password", str("stored sealed; never answered back"))
            .opt("project", str("lower-case path such as team or team/tools"))
            .schema();
    s["UpdateDockerRegistry"] = Obj("Fields left out stay as they are.")
                                    .opt("name", str())
                                    .opt("url", str("a new URL needs `password` again"))
                                    .opt("username", str())
                                    .opt("password", str())
                                    .opt("project", str())
                                    .schema();
    s["RegistryPushAccessDto"] =
        Obj("The organization's default registry's credentials, for `daytona snapshot push`.")
            .req("username", str())
            .req("secret", str("the registry's password"))
            .req("registryUrl", str("host[:port]"))
            .req("registryId", str())
            .req("project", str())
            .req("expiresAt", dateTime("when to ask again; the registry's own credentials do not expire"))
            .schema();
    // Secrets. No answer ever holds a secret's value.
    s["Secret"] = Obj("An organization's secret, as Daytona's Secret, never with its value.")
                      .req("id", str())
                      .req("name", str())
                      .opt("description", str())
                      .req("placeholder", str("dtn_secret_<random>: what a sandbox's environment holds"))
                      .req("hosts", arrayOf(str(), "where the value may go: names and *. wildcards"))
                      .req("createdAt", dateTime())
                      .req("updatedAt", dateTime())
                      .req("mountedBy", arrayOf(str(), "names of the sandboxes that mount it (Cove)"))
                      .schema();
    s["ListSecretsResponse"] = Obj()
                                   .req("items", arrayOf(schemaRef("Secret")))
                                   .req("total", integer())
                                   .req("nextCursor", str("null on the last page"))
                                   .schema();
    s["CreateSecret"] = Obj()
                            .req("name", str("^[a-zA-Z_][a-zA-Z0-9_-]*$, unique in the organization"))
                            .req("value", str("stored sealed; never answered back; up to 64 KiB"))
                            .opt("description", str())
                            .opt("hosts", arrayOf(str(), "none: the value goes to no host (Cove)"))
                            .schema();
    s["UpdateSecret"] = Obj("Fields left out stay as they are.")
                            .opt("value", str())
                            .opt("description", str())
                            .opt("hosts", arrayOf(str()))
                            .schema();
    s["UpdateSandboxSecrets"] =
        Obj().req("secrets", arrayOf(Obj().schema(), "[{\"ENV\": \"secret name\"}]: the whole set")).schema();
    s["SandboxSecret"] = Obj("A secret a sandbox mounts, never its value.")
                             .req("env", str())
                             .req("secretId", str())
                             .req("secretName", str())
                             .req("placeholder", str())
                             .req("hosts", arrayOf(str()))
                             .schema();
    // Warm pools.
    s["WarmPool"] = Obj("A warm pool, as Daytona's WarmPool: `pool` wanted, `currentSize` ready.")
                        .req("id", str())
                        .req("organizationId", str())
                        .req("snapshot", str("the snapshot's name"))
                        .req("target", str())
                        .req("pool", integer("desired number of warm sandboxes"))
                        .req("currentSize", integer("warm sandboxes ready now"))
                        .req("cpu", integer())
                        .req("mem", integer("GiB"))
                        .req("disk", integer("GiB"))
                        .req("osUser", str())
                        .req("env", stringMap())
                        .req("errorReason", orNull(str("why the pool is not full, if it cannot be filled")))
                        .req("createdAt", dateTime())
                        .req("updatedAt", dateTime())
                        .schema();
    s["CreateWarmPool"] = Obj()
                              .req("snapshot", str("the name or id of the snapshot"))
                              .req("pool", integer("0 to 32, within the organization's quota"))
                              .opt("target", str("the region (local)"))
                              .schema();
    s["UpdateWarmPool"] = Obj().req("pool", integer("0 to 32; 0 drains the pool")).schema();
    s["VolumeFile"] = Obj()
                          .req("name", str())
                          .req("isDir", boolean())
                          .req("size", integer("bytes"))
                          .req("modTime", dateTime())
                          .req("mode", str("as ls shows it, e.g. -rw-r--r--"))
                          .req("isSymlink", boolean())
                          .schema();

    // API keys.
    s["ApiKey"] = Obj("An API key as lists show it: its value masked.")
                      .req("name", str())
                      .req("value", str("the first 8 and last 4 characters"))
                      .req("createdAt", dateTime())
                      .req("permissions", arrayOf(str("a scope such as write:sandboxes")))
                      .req("lastUsedAt", orNull(dateTime()))
                      .req("expiresAt", orNull(dateTime()))
                      .req("userId", str())
                      .schema();
    s["CreatedApiKey"] = Obj("A new key, its value shown this once.")
                             .req("name", str())
                             .req("value", str("the key: send it as Authorization: Bearer <value>"))
                             .req("createdAt", dateTime())
                             .req("permissions", arrayOf(str()))
                             .req("expiresAt", orNull(dateTime()))
                             .schema();
    s["CreateApiKey"] = Obj()
                            .req("name", str("1 to 64 characters"))
                            .req("permissions", arrayOf(str(), "scopes the calling key holds itself"))
                            .opt("expiresAt", orNull(dateTime("no later than the calling key's own expiry")))
                            .schema();

    // Webhooks.
    const json eventType =
        oneOfStrings({"sandbox.created", "snapshot.created", "snapshot.removed", "volume.created",
                      "sandbox.state.updated", "snapshot.state.updated", "volume.state.updated"});
    const json anyObject = {{"type", "object"}, {"additionalProperties", true}};
    const auto endpointFields = [&](const char* description) {
        return Obj(description)
            .req("id", str())
            .req("organizationId", str())
            .req("url", str("https://…; http:// only with allowLocal"))
            .req("description", str())
            .req("eventTypes", arrayOf(eventType, "empty: every event"))
            .req("enabled", boolean())
            .req("allowLocal", boolean("deliveries may go to loopback, private and this host's addresses"))
            .req("createdAt", dateTime())
            .req("updatedAt", dateTime());
    };
    s["WebhookEndpoint"] = endpointFields("A webhook endpoint (Cove); its secret is not shown.").schema();
    s["CreatedWebhookEndpoint"] = endpointFields("A new webhook endpoint with its signing secret.")
                                      .req("secret", str("whsec_…"))
                                      .schema();
    s["CreateWebhookEndpoint"] = Obj()
                                     .req("url", str("https://…; http:// only with allowLocal"))
                                     .opt("description", str())
                                     .opt("eventTypes", arrayOf(eventType, "empty or absent: every event"))
                                     .opt("enabled", boolean("true unless told"))
                                     .opt("allowLocal", boolean("false unless told"))
                                     .schema();
    s["UpdateWebhookEndpoint"] = Obj("Only the fields sent change.")
                                     .opt("url", str())
                                     .opt("description", str())
                                     .opt("eventTypes", arrayOf(eventType))
                                     .opt("enabled", boolean())
                                     .opt("allowLocal", boolean())
                                     .schema();
    s["WebhookSecret"] = Obj().req("id", str()).req("secret", str("whsec_<base64 of the key>")).schema();
    s["WebhookAttempt"] = Obj("One delivery attempt.")
                              .req("id", integer())
                              .req("deliveryId", str())
                              .req("messageId", str())
                              .req("endpointId", str())
                              .req("attempt", integer("1 for the first"))
                              .req("statusCode", orNull(integer()))
                              .req("response", str("the first bytes of the answer"))
                              .req("error", orNull(str()))
                              .req("durationMs", integer())
                              .req("nextAttemptAt", orNull(dateTime("when the next retry is due")))
                              .req("timestamp", dateTime())
                              .schema();
    s["WebhookDelivery"] = Obj("A message's delivery to one endpoint.")
                               .req("id", str())
                               .req("messageId", str())
                               .req("endpointId", str())
                               .req("eventType", eventType)
                               .req("status", oneOfStrings({"pending", "succeeded", "failed"}))
                               .req("attempts", integer())
                               .req("nextAttemptAt", orNull(dateTime()))
                               .req("lastStatusCode", orNull(integer()))
                               .req("lastError", orNull(str()))
                               .req("createdAt", dateTime())
                               .req("updatedAt", dateTime())
                               .req("attemptLog", arrayOf(schemaRef("WebhookAttempt")))
                               .schema();
    s["WebhookMessage"] = Obj()
                              .req("id", str("msg_…, the webhook-id header"))
                              .req("eventType", eventType)
                              .req("payload", anyObject)
                              .req("timestamp", dateTime())
                              .req("deliveries", arrayOf(schemaRef("WebhookDelivery")))
                              .schema();
    s["SendWebhook"] = Obj()
                           .req("eventType", eventType)
                           .req("payload", anyObject)
                           .opt("eventId", str("for idempotency: one message per id"))
                           .schema();
    s["WebhookTest"] = Obj().opt("eventType", eventType).schema();
    s["WebhookInitializationStatus"] =
        Obj()
            .req("organizationId", str())
            .req("svixApplicationId", orNull(str("always null: Cove has no Svix")))
            .req("lastError", orNull(str()))
            .req("retryCount", number())
            .req("createdAt", dateTime())
            .req("updatedAt", dateTime())
            .schema();
    s["WebhookAppPortalAccess"] = Obj("Cove manages endpoints itself: where to do it.")
                                      .req("url", str())
                                      .req("token", str("empty: the API key is the access"))
                                      .req("message", str())
                                      .schema();
    s["WebhookStatus"] = Obj().req("enabled", boolean()).schema();

    // The organization, its quotas and usage.
    const json tier = {{"oneOf", json::array({integer("1 to 4"), oneOfStrings({"custom"})})}};
    s["Organization"] = Obj("The one personal organization, as Daytona's Organization DTO.")
                            .req("id", str())
                            .req("name", str())
                            .req("createdBy", str())
                            .req("personal", boolean())
                            .req("createdAt", dateTime())
                            .req("updatedAt", dateTime())
                            .req("suspended", boolean())
                            .req("suspendedAt", type("null"))
                            .req("suspensionReason", type("null"))
                            .req("suspendedUntil", type("null"))
                            .req("suspensionCleanupGracePeriodHours", integer())
                            .req("maxCpuPerSandbox", integer())
                            .req("maxMemoryPerSandbox", integer())
                            .req("maxDiskPerSandbox", integer())
                            .req("snapshotDeactivationTimeoutMinutes", integer())
                            .req("sandboxLimitedNetworkEgress", boolean())
                            .req("defaultRegionId", str())
                            .req("authenticatedRateLimit", integer("per minute"))
                            .req("sandboxCreateRateLimit", integer("per minute"))
                            .req("sandboxLifecycleRateLimit", integer("per minute"))
                            .req("authenticatedRateLimitTtlSeconds", integer())
                            .req("sandboxCreateRateLimitTtlSeconds", integer())
                            .req("sandboxLifecycleRateLimitTtlSeconds", integer())
                            .req("experimentalConfig", type("null"))
                            .req("tier", tier)
                            .schema();
    s["Limits"] = Obj("The organization's limits (Cove): CPU in vCPUs, memory and disk in GiB.")
                      .req("tier", tier)
                      .req("totalCpuQuota", integer())
                      .req("totalMemoryQuota", integer())
                      .req("totalDiskQuota", integer())
                      .req("maxCpuPerSandbox", integer())
                      .req("maxMemoryPerSandbox", integer())
                      .req("maxDiskPerSandbox", integer())
                      .req("snapshotQuota", integer())
                      .req("volumeQuota", integer())
                      .schema();
    s["OrganizationUsage"] =
        Obj("Quotas and use, as Daytona's region usage, with Cove's limits and usage.")
            .req("regionUsage", arrayOf(Obj()
                                            .req("regionId", str())
                                            .req("sandboxClass", str())
                                            .req("totalCpuQuota", integer())
                                            .req("currentCpuUsage", integer())
                                            .req("totalMemoryQuota", integer())
                                            .req("currentMemoryUsage", integer())
                                            .req("totalDiskQuota", integer())
                                            .req("currentDiskUsage", integer())
                                            .req("totalGpuQuota", integer())
                                            .req("currentGpuUsage", integer())
                                            .req("maxCpuPerSandbox", integer())
                                            .req("maxMemoryPerSandbox", integer())
                                            .req("maxDiskPerSandbox", integer())
                                            .req("maxDiskPerNonEphemeralSandbox", integer())
                                            .req("allowedGpuTypes", arrayOf(str()))
                                            .schema()))
            .req("totalSnapshotQuota", integer())
            .req("currentSnapshotUsage", integer())
            .req("totalVolumeQuota", integer())
            .req("currentVolumeUsage", integer())
            .req("tier", tier)
            .req("limits", schemaRef("Limits"))
            .req("usage", Obj()
                              .req("cpu", integer())
                              .req("memory", integer())
                              .req("disk", integer())
                              .req("runningSandboxes", integer())
                              .req("sandboxes", integer())
                              .req("volumes", integer())
                              .req("volumeBytes", integer())
                              .schema())
            .schema();
    s["UsageSample"] = Obj()
                           .req("timestamp", dateTime())
                           .req("cpu", integer())
                           .req("memory", integer())
                           .req("disk", integer())
                           .req("runningSandboxes", integer())
                           .schema();
    Obj quota("Any of the numbers, 0 to 1000000; null puts the tier's back.");
    for (const char* f : {"totalCpuQuota", "totalMemoryQuota", "totalDiskQuota", "maxCpuPerSandbox",
                          "maxMemoryPerSandbox", "maxDiskPerSandbox", "snapshotQuota", "volumeQuota"})
        quota.opt(f, orNull(integer()));
    s["QuotaUpdate"] = quota.schema();
    s["TierUpdate"] = Obj().req("tier", integer("1, 2, 3 or 4")).schema();

    // The audit log.
    s["AuditLogEntry"] =
        Obj()
            .req("id", str())
            .req("actorId", str("the key's id, or system"))
            .req("actorEmail", str("the key's name, or system"))
            .req("actorApiKeyPrefix", orNull(str()))
            .req("actorApiKeySuffix", orNull(str()))
            .req("organizationId", orNull(str()))
            .req("action", str("Daytona's action name, e.g. create, start, toolbox_execute_command"))
            .req("targetType", orNull(str()))
            .req("targetId", orNull(str()))
            .req("statusCode", orNull(integer()))
            .req("errorMessage", orNull(str()))
            .req("ipAddress", orNull(str()))
            .req("userAgent", orNull(str()))
            .req("source", orNull(str("sdk, dashboard, cli or api")))
            .req("metadata", type("object"))
            .req("createdAt", dateTime())
            .schema();
    s["AuditLogPage"] = Obj()
                            .req("items", arrayOf(schemaRef("AuditLogEntry")))
                            .req("total", integer())
                            .req("page", integer())
                            .req("totalPages", integer())
                            .opt("nextToken", str("present when the page is full"))
                            .schema();

    // Build contexts.
    s["PushAccess"] = Obj("Temporary S3 credentials (an hour) for uploading build contexts.")
                          .req("accessKey", str())
                          .req("secret", str())
                          .req("sessionToken", str())
                          .req("storageUrl", str())
                          .req("organizationId", str())
                          .req("bucket", str())
                          .req("region", str())
                          .req("expiresAt", dateTime())
                          .schema();
    return s;
}

// What a path parameter of `pattern` holds, by its name.
std::string paramDescription(const std::string& pattern, const std::string& name) {
    if (name == "id" && (pattern.starts_with("/toolbox/") || pattern.starts_with("/terminal/")))
        return "the sandbox's id";
    static const std::map<std::string, std::string> known = {
        {"id", "the id or name of what the path names"},
        {"checkpoint", "a checkpoint's id or name"},
        {"minutes", "whole minutes"},
        {"interval", "whole minutes"},
        {"isPublic", "true or false"},
        {"port", "a port of the sandbox, 1 to 65535"},
        {"token", "a signed preview token"},
        {"name", "the name"},
        {"organizationId", "the caller's own organization"},
        {"bucket", "the one bucket, cove-build-contexts"},
        {"key", "the object's key: <organization>/<hash>/context.tar"},
        {"path", "the toolbox route, e.g. process/execute or files/download"},
    };
    const auto it = known.find(name);
    return it == known.end() ? std::string() : it->second;
}

std::string tagOf(const Route& r) {
    if (!r.doc.tag.empty())
        return r.doc.tag;
    const auto segments = http::splitPath(r.pattern);
    const std::string first(segments.empty() ? std::string_view() : segments[0]);
    if (first != "api")
        return first == "web" ? "terminal" : first;
    const std::string second(segments.size() > 1 ? segments[1] : std::string_view());
    if (second == "health" || second == "info" || second == "socket.io" || second == "openapi.json")
        return "system";
    return second;
}

std::string operationId(const Route& r) {
    std::string id(http::bhttp::to_string(r.method));
    for (char& c : id)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool upper = true;
    for (const char c : r.pattern) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
            upper = false;
        } else {
            upper = true;
        }
    }
    return id;
}

json querySchema(const std::string& t) {
    if (t == "string[]")
        return arrayOf(str());
    if (t == "date-time")
        return dateTime();
    return type(t == "integer" ? "integer" : t == "boolean" ? "boolean" : "string");
}

json content(const std::string& kind, bool forRequest) {
    if (kind == RouteDoc::kEmpty)
        return {{"application/json", {{"schema", schemaRef("Empty")}}}};
    if (kind == RouteDoc::kText)
        return {{"text/plain", {{"schema", str()}}}};
    if (kind == RouteDoc::kBinary)
        return {{"application/octet-stream", json::object()}};
    if (kind == RouteDoc::kHtml)
        return {{"text/html", json::object()}};
    if (kind == RouteDoc::kXml)
        return {{"application/xml", json::object()}};
    if (kind == RouteDoc::kAny)
        return {{"*/*", json::object()}};
    if (forRequest && kind == RouteDoc::kUpload)
        return {{"application/octet-stream", json::object()},
                {"multipart/form-data",
                 {{"schema",
                   Obj()
                       .req("file", {{"type", "string"}, {"contentMediaType", "application/octet-stream"}})
                       .schema()}}}};
    if (kind.ends_with("[]"))
        return {{"application/json", {{"schema", arrayOf(schemaRef(kind.substr(0, kind.size() - 2)))}}}};
    return {{"application/json", {{"schema", schemaRef(kind)}}}};
}

json errorResponse() {
    return {{"$ref", "#/components/responses/Error"}};
}

json operation(const Route& r) {
    const RouteDoc& d = r.doc;
    json op{{"operationId", operationId(r)}, {"summary", d.summary}, {"tags", json::array({tagOf(r)})}};

    // Who may call it: the route table's access, as security requirements, extensions and a sentence.
    std::string access;
    json security = json::array();
    const auto keyed = [&] {
        security.push_back({{"bearer", json::array()}});
        for (const auto& other : d.alsoAuth)
            security.push_back({{other, json::array()}});
    };
    switch (r.access.kind) {
    case Access::Kind::Public:
        op["x-cove-access"] = "public";
        access = "Access: public, no key.";
        break;
    case Access::Kind::InBand:
        op["x-cove-access"] = "in-band";
        access = "Access: authenticated inside its own protocol, not by the HTTP request.";
        break;
    case Access::Kind::AnyKey:
        keyed();
        op["x-cove-access"] = "any-key";
        access = "Access: any valid API key of the organization.";
        break;
    case Access::Kind::Scope:
        keyed();
        op["x-cove-access"] = "scope";
        op["x-cove-scope"] = r.access.scope;
        access = "Access: an API key with the scope " + r.access.scope + ".";
        break;
    case Access::Kind::Admin:
        keyed();
        op["x-cove-access"] = "admin";
        access = "Access: the admin key only (<data>/admin.key).";
        break;
    case Access::Kind::Undeclared:
        op["x-cove-access"] = "undeclared";
        access = "Access: undeclared (refused).";
        break;
    }
    op["security"] = security;
    std::string description = d.description;
    if (d.request == RouteDoc::kNoBody)
        description += (description.empty() ? "" : " ") + std::string("Takes no body.");
    op["description"] = description + (description.empty() ? "" : "\n\n") + access;
    if (!r.audit.action.empty() || r.audit.resolveAction)
        op["x-cove-audit"] = {{"action", r.audit.action.empty() ? "(depends on the call)" : r.audit.action},
                              {"targetType", r.audit.targetType}};
    if (r.rate != RateClass::General)
        op["x-cove-rate-limit"] = r.rate == RateClass::Create ? "sandbox-create" : "sandbox-lifecycle";

    json parameters = json::array();
    bool hasPathParams = false;
    for (const std::string_view part : http::splitPath(r.pattern)) {
        const std::string segment(part);
        if (segment.size() < 3 || segment.front() != '{' || segment.back() != '}')
            continue;
        const bool rest = segment[1] == '*';
        const std::string name = segment.substr(rest ? 2 : 1, segment.size() - (rest ? 3 : 2));
        std::string about = paramDescription(r.pattern, name);
        json p{{"name", name}, {"in", "path"}, {"required", true}, {"schema", str()}};
        if (rest) {
            about += std::string(about.empty() ? "" : ". ") + "The rest of the path, slashes included.";
            p["x-cove-catch-all"] = true;
        }
        if (!about.empty())
            p["description"] = about;
        parameters.push_back(std::move(p));
        hasPathParams = true;
    }
    for (const auto& q : d.query) {
        json p{{"name", q.name}, {"in", "query"}, {"schema", querySchema(q.type)}};
        if (!q.description.empty())
            p["description"] = q.description;
        parameters.push_back(std::move(p));
    }
    if (!parameters.empty())
        op["parameters"] = std::move(parameters);

    if (d.request == RouteDoc::kNoBody)
        op["x-cove-no-body"] = true;
    else if (!d.request.empty())
        op["requestBody"] = {{"required", d.request == RouteDoc::kUpload},
                             {"content", content(d.request, true)}};

    json responses = json::object();
    if (d.reply == RouteDoc::kWebSocket) {
        responses["101"] = {
            {"description", "Switching Protocols: the connection is a WebSocket from here on."}};
    } else {
        json ok{{"description", d.summary}};
        if (d.reply != RouteDoc::kNothing)
            ok["content"] = content(d.reply, false);
        responses[std::to_string(d.status)] = std::move(ok);
    }
    if (!security.empty()) {
        responses["401"] = errorResponse();
        responses["429"] = errorResponse();
    }
    if (r.access.kind == Access::Kind::Scope || r.access.kind == Access::Kind::Admin)
        responses["403"] = errorResponse();
    if (hasPathParams)
        responses["404"] = errorResponse();
    if (op.contains("requestBody") || !d.query.empty())
        responses["400"] = errorResponse();
    responses["default"] = errorResponse();
    op["responses"] = std::move(responses);
    return op;
}

json tags(const std::set<std::string>& used) {
    static const std::map<std::string, std::string> about = {
        {"sandbox", "Sandboxes: Daytona's sandbox resource, with Cove's pause, forks and checkpoints."},
        {"toolbox", "The toolbox inside each sandbox, reached through coved."},
        {"snapshots", "Snapshots: the images sandboxes are made from, and their builds."},
        {"volumes", "Volumes, and their files with no sandbox running."},
        {"api-keys", "API keys and their scopes."},
        {"organizations", "The organization, its tier, quotas and usage."},
        {"audit", "The audit log."},
        {"object-storage", "The S3 storage the SDK uploads build contexts to."},
        {"terminal", "The web terminal."},
        {"system", "Health, information, events and this document."},
    };
    json out = json::array();
    for (const auto& name : used) {
        json t{{"name", name}};
        if (const auto it = about.find(name); it != about.end())
            t["description"] = it->second;
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace

std::string openApiPath(const std::string& pattern) {
    std::string out = pattern;
    for (auto at = out.find("{*"); at != std::string::npos; at = out.find("{*", at))
        out.erase(at + 1, 1);
    return out;
}

json openApiDocument(const Router& router) {
    json paths = json::object();
    std::set<std::string> used;
    for (const Route& r : router.routes()) {
        std::string method(http::bhttp::to_string(r.method));
        for (char& c : method)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        paths[openApiPath(r.pattern)][method] = operation(r);
        used.insert(tagOf(r));
    }
    return {
        {"openapi", "3.1.0"},
        {"info",
         {{"title", "Cove"},
          {"version", kVersion},
          {"description",
           "coved's API: Daytona's public REST API (the official SDKs use it with their base URL at "
           "<coved>/api), the toolbox of each sandbox under /toolbox/{id}/, and Cove's own additions "
           "(marked Cove). Made from coved's route table: every route is here with who may call it "
           "(x-cove-access, x-cove-scope), what it takes and answers, and the audit action it records "
           "(x-cove-audit). Previews are served by host name (http://<port>-<id>.localhost:<port>) and "
           "under /preview/<id>/<port>/, outside this table."}}},
        {"servers", json::array({{{"url", "/"}, {"description", "this coved"}}})},
        {"tags", tags(used)},
        {"paths", std::move(paths)},
        {"components",
         {{"schemas", schemas()},
          {"responses",
           {{"Error",
             {{"description", "A refusal or a failure: the status says which, the message what to do."},
              {"content", {{"application/json", {{"schema", schemaRef("Error")}}}}}}}}},
          {"securitySchemes",
           {{"bearer",
             {{"type", "http"},
              {"scheme", "bearer"},
              {"description", "An API key: Authorization: Bearer <key>. The admin key is in "
                              "<data>/admin.key; others are made with POST /api/api-keys."}}},
            {"signedUrl",
             {{"type", "apiKey"},
              {"in", "query"},
              {"name", "signature"},
              {"description", "A signed download or upload URL of the toolbox (path, expires and "
                              "signature in the query), made with the sandbox's signing key."}}},
            {"previewToken",
             {{"type", "apiKey"},
              {"in", "header"},
              {"name", "X-Daytona-Preview-Token"},
              {"description", "Port 1's preview token (or the query DAYTONA_SANDBOX_AUTH_KEY): the "
                              "toolbox's WebSockets for browsers."}}},
            {"s3Signature",
             {{"type", "apiKey"},
              {"in", "header"},
              {"name", "Authorization"},
              {"description",
               "AWS Signature V4 with the credentials of GET /api/object-storage/push-access."}}}}}}},
    };
}

void addOpenApiRoute(Router& r) {
    struct Cache {
        std::once_flag once;
        std::string body;
    };
    auto cache = std::make_shared<Cache>();
    r.add({verb::get, "/api/openapi.json", Access::publicRoute(),
           [&r, cache](RequestContext& c) -> awaitable<http::Response> {
               std::call_once(cache->once, [&] { cache->body = openApiDocument(r).dump(); });
               http::Response res{http::bhttp::status::ok, c.req.version()};
               res.set(http::bhttp::field::content_type, "application/json");
               res.keep_alive(c.req.keep_alive());
               res.body() = cache->body;
               res.prepare_payload();
               co_return res;
           }},
          {.summary = "This document: every route, who may call it, what it takes and answers",
           .reply = "OpenApiDocument"});
}

} // namespace cove::api
