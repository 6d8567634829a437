// Typed calls on /api/sandbox/{id}/checkpoints: named points a sandbox's filesystem can be rolled back to.
#pragma once

#include "app/ApiError.h"
#include "app/Sandbox.h"

#include <QJsonObject>
#include <QList>
#include <QObject>

#include <functional>

namespace cove::app {

class ApiClient;

struct Checkpoint {
    QString id;
    QString name;
    QString sandboxId;
    QString createdAt; // ISO 8601, as sent
    QJsonObject json;  // as received, for the table

    static Checkpoint fromJson(const QJsonObject& dto);
};

class CheckpointsApi {
public:
    template <class T> using Reply = std::function<void(const Result<T>&)>;

    explicit CheckpointsApi(ApiClient* client)
        : m_client(client) {}

    // Newest first.
    void list(const QString& sandboxId, QObject* context, Reply<QList<Checkpoint>> reply);
    void create(const QString& sandboxId, const QString& name, QObject* context, Reply<Checkpoint> reply);
    // The sandbox's filesystem goes back to the checkpoint; a running sandbox's processes restart.
    void rollback(const QString& sandboxId, const QString& checkpoint, QObject* context,
                  Reply<Sandbox> reply);
    void remove(const QString& sandboxId, const QString& checkpoint, QObject* context, Reply<Done> reply);

private:
    ApiClient* m_client;
};

} // namespace cove::app
