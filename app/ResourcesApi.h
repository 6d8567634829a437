// Typed calls on /api/snapshots, /api/volumes and /api/docker-registry, and the Snapshot, Volume and
// Registry the dashboard reads.
#pragma once

#include "app/ApiError.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace cove::app {

class ApiClient;

struct Snapshot {
    QString id;
    QString name;
    QString imageName;
    QString state; // active, inactive, pending, pulling, building, error, build_failed, removing
    QString errorReason;
    int cpu = 0;
    int memory = 0;       // GiB
    int disk = 0;         // GiB
    double sizeGb = -1;   // -1 while unknown
    bool general = false; // one of the defaults every organization has
    QString createdAt;    // ISO 8601, as sent

    // Pending, pulling, building: a state the service leaves by itself.
    bool settling() const;
    static Snapshot fromJson(const QJsonObject& dto);
};

struct Volume {
    QString id;
    QString name;
    QString state; // ready, deleting, deleted, error
    QString errorReason;
    qint64 usedBytes = -1; // -1 while unknown
    QString createdAt;     // ISO 8601, as sent
    QString lastUsedAt;

    static Volume fromJson(const QJsonObject& dto);
};

// A private registry; the service never sends its password.
struct Registry {
    QString id;
    QString name;
    QString url; // host[:port]
    QString username;
    QString project;
    bool isDefault = false; // the one `daytona snapshot push` is given
    QString createdAt;      // ISO 8601, as sent

    static Registry fromJson(const QJsonObject& dto);
};

// What the Add and Edit dialogs send; an empty password on an edit keeps the stored one.
struct RegistryFields {
    QString name, url, username, password, project;
};

template <class T> using Reply = std::function<void(const Result<T>&)>;

// What the typed calls share: a reply of no value, and a JSON array read as a list of records.
std::function<void(const ApiResult&)> doneReply(Reply<Done> reply);
template <class T> QList<T> listOf(const QJsonArray& items) {
    QList<T> out;
    out.reserve(items.size());
    for (const auto& v : items)
        out << T::fromJson(v.toObject());
    return out;
}

// POST /api/snapshots: from an image, or from a Dockerfile when `dockerfile` is not empty; what is left
// unset the service fills with its defaults.
struct CreateSnapshotRequest {
    QString name;
    QString image;
    QString dockerfile;
    QStringList entrypoint; // the command and its arguments; empty: the image's own
    std::optional<int> cpu;
    std::optional<int> memory; // GiB
    std::optional<int> disk;   // GiB

    QJsonObject toJson() const;
};

class SnapshotsApi {
public:
    explicit SnapshotsApi(ApiClient* client)
        : m_client(client) {}

    // The first `limit` snapshots (the service gives at most 200 a page).
    void list(int limit, QObject* context, Reply<QList<Snapshot>> reply);
    void create(const CreateSnapshotRequest& request, QObject* context, Reply<Snapshot> reply);
    void activate(const QString& id, QObject* context, Reply<Done> reply);
    void deactivate(const QString& id, QObject* context, Reply<Done> reply);
    void remove(const QString& id, QObject* context, Reply<Done> reply);
    void buildLogs(const QString& id, QObject* context, Reply<QByteArray> reply);

private:
    ApiClient* m_client;
};

class VolumesApi {
public:
    explicit VolumesApi(ApiClient* client)
        : m_client(client) {}

    void list(QObject* context, Reply<QList<Volume>> reply);
    void create(const QString& name, QObject* context, Reply<Volume> reply);
    void remove(const QString& id, QObject* context, Reply<Done> reply);

private:
    ApiClient* m_client;
};

class RegistriesApi {
public:
    explicit RegistriesApi(ApiClient* client)
        : m_client(client) {}

    void list(QObject* context, Reply<QList<Registry>> reply);
    void create(const RegistryFields& fields, QObject* context, Reply<Registry> reply);
    void update(const QString& id, const RegistryFields& fields, QObject* context, Reply<Registry> reply);
    void remove(const QString& id, QObject* context, Reply<Done> reply);

private:
    ApiClient* m_client;
};

} // namespace cove::app
