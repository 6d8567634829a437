// Typed calls on /api/secret, and the Secret the dashboard reads (never its value: the service sends none).
#pragma once

#include "app/ResourcesApi.h"

namespace cove::app {

struct Secret {
    QString id;
    QString name;
    QString description;
    QString placeholder;          // what a sandbox's environment holds instead of the value
    QStringList hosts;            // where the value may go: names and *. wildcards
    QStringList mountedBy;        // names of the sandboxes that mount it
    QString createdAt, updatedAt; // ISO 8601, as sent

    static Secret fromJson(const QJsonObject& dto);
};

// What the Add and Edit dialogs send; an empty value on an edit keeps the stored one. The name is set
// once, when the secret is made.
struct SecretFields {
    QString name, value, description;
    QStringList hosts;
};

class SecretsApi {
public:
    explicit SecretsApi(ApiClient* client)
        : m_client(client) {}

    void list(QObject* context, Reply<QList<Secret>> reply);
    void create(const SecretFields& fields, QObject* context, Reply<Secret> reply);
    void update(const QString& id, const SecretFields& fields, QObject* context, Reply<Secret> reply);
    void remove(const QString& id, QObject* context, Reply<Done> reply);

private:
    ApiClient* m_client;
};

} // namespace cove::app
