// Typed calls on /api/api-keys, /api/audit and /api/organizations (tier, usage, its history), and the
// ApiKey, AuditEntry, Organization, Usage and UsageSample the dashboard reads.
#pragma once

#include "app/ResourcesApi.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <array>

namespace cove::app {

// The scopes a key can be given (verb:resource); the admin key holds more, which no one can grant.
constexpr std::array<const char*, 8> kGrantableScopes = {
    "write:sandboxes", "delete:sandboxes", "write:snapshots", "delete:snapshots",
    "read:volumes",    "write:volumes",    "delete:volumes",  "read:audit_logs"};

struct ApiKey {
    QString name;  // unique in the organization; keys are revoked by name
    QString value; // masked, except in the reply that made the key
    QStringList permissions;
    QString createdAt; // ISO 8601, as sent
    QString lastUsedAt;
    QString expiresAt; // empty: never

    static ApiKey fromJson(const QJsonObject& dto);
};

struct CreateKeyRequest {
    QString name;
    QStringList permissions;
    QString expiresAt; // ISO 8601 UTC; empty: never

    QJsonObject toJson() const;
};

struct AuditEntry {
    QString id;
    QString createdAt;
    QString actorEmail;
    QString actorKey; // "prefix…suffix" of the key used; empty when none
    QString action;
    QString targetType;
    QString targetId;
    int statusCode = 0;
    QString errorMessage;
    QString source;
    QJsonObject raw; // the whole entry, as sent

    bool failed() const { return statusCode >= 400; }
    static AuditEntry fromJson(const QJsonObject& dto);
};

struct AuditFilter {
    QString action;   // empty: any
    QString outcome;  // "success", "error" or empty
    QString targetId; // empty: any

    bool isEmpty() const { return action.isEmpty() && outcome.isEmpty() && targetId.isEmpty(); }
    QString query() const; // percent-encoded, without "?"
};

struct AuditPage {
    QList<AuditEntry> items;
    int total = 0;
    QString nextToken; // empty on the last page

    static AuditPage fromJson(const QJsonObject& dto);
};

struct Organization {
    QString id;
    int requestRateLimit = 0; // per key and minute
    int createRateLimit = 0;
    int lifecycleRateLimit = 0;

    static Organization fromJson(const QJsonObject& dto);
};

struct Usage {
    int tier = 0;             // 1–4; 0 with a custom quota
    bool customQuota = false; // the admin set the quota by hand
    int cpu = 0, cpuQuota = 0;
    int memory = 0, memoryQuota = 0; // GiB
    int disk = 0, diskQuota = 0;     // GiB
    int snapshots = 0, snapshotQuota = 0;
    int volumes = 0, volumeQuota = 0;
    int runningSandboxes = 0, sandboxes = 0;
    int maxCpuPerSandbox = 0, maxMemoryPerSandbox = 0, maxDiskPerSandbox = 0;

    static Usage fromJson(const QJsonObject& dto);
};

struct UsageSample {
    qint64 at = 0; // ms since the epoch
    int cpu = 0;
    int memory = 0; // GiB
    int disk = 0;   // GiB

    static UsageSample fromJson(const QJsonObject& dto);
};

class KeysApi {
public:
    explicit KeysApi(ApiClient* client)
        : m_client(client) {}

    void list(QObject* context, Reply<QList<ApiKey>> reply);
    // The reply holds the key's value: the only time the service gives it.
    void create(const CreateKeyRequest& request, QObject* context, Reply<ApiKey> reply);
    void revoke(const QString& name, QObject* context, Reply<Done> reply);

private:
    ApiClient* m_client;
};

class AuditApi {
public:
    explicit AuditApi(ApiClient* client)
        : m_client(client) {}

    // Up to `limit` entries, newest first, after the page `nextToken` (empty: the first).
    void list(const AuditFilter& filter, int limit, const QString& nextToken, QObject* context,
              Reply<AuditPage> reply);
    // Every entry the filter matches, as the service exports them (format "csv" or "json").
    void exportLog(const AuditFilter& filter, const QString& format, QObject* context,
                   Reply<QByteArray> reply);

private:
    ApiClient* m_client;
};

class LimitsApi {
public:
    explicit LimitsApi(ApiClient* client)
        : m_client(client) {}

    // The caller's organization (the first the service lists).
    void organization(QObject* context, Reply<Organization> reply);
    void usage(const QString& organization, QObject* context, Reply<Usage> reply);
    // Samples since `hours` ago, oldest first.
    void history(const QString& organization, int hours, QObject* context, Reply<QList<UsageSample>> reply);
    // Needs the admin key; answers with the usage under the new tier.
    void setTier(const QString& organization, int tier, QObject* context, Reply<Usage> reply);

private:
    ApiClient* m_client;
};

// A warm pool (/api/warm-pools): started sandboxes of a snapshot kept ready for the organization.
struct WarmPool {
    QString id, snapshot, target, osUser, errorReason;
    int pool = 0;        // wanted
    int currentSize = 0; // ready now
    int cpu = 0, memory = 0, disk = 0;

    static WarmPool fromJson(const QJsonObject& dto);
};

class WarmPoolsApi {
public:
    explicit WarmPoolsApi(ApiClient* client)
        : m_client(client) {}

    void list(QObject* context, Reply<QList<WarmPool>> reply);
    void create(const QString& snapshot, int size, QObject* context, Reply<WarmPool> reply);
    // 0 drains the pool.
    void resize(const QString& id, int size, QObject* context, Reply<WarmPool> reply);
    void remove(const QString& id, QObject* context, Reply<Done> reply);

private:
    ApiClient* m_client;
};

} // namespace cove::app
