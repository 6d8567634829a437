// Typed calls on /api/sandbox: each answers with a Sandbox (or a page of them) or an ApiError.
#pragma once

#include "app/ApiError.h"
#include "app/Sandbox.h"

#include <QObject>

#include <functional>

namespace cove::app {

class ApiClient;

class SandboxesApi {
public:
    template <class T> using Reply = std::function<void(const Result<T>&)>;

    explicit SandboxesApi(ApiClient* client)
        : m_client(client) {}

    // Each reply is dropped when `context` is gone by the time the service answers.
    void create(const CreateSandboxRequest& request, QObject* context, Reply<Sandbox> reply);
    void get(const QString& idOrName, QObject* context, Reply<Sandbox> reply);
    // One page of the list, oldest cursor first; an empty cursor asks for the first page.
    void list(const QString& cursor, int limit, QObject* context, Reply<SandboxPage> reply);
    void start(const QString& id, QObject* context, Reply<Done> reply);
    void stop(const QString& id, QObject* context, Reply<Done> reply);
    void archive(const QString& id, QObject* context, Reply<Done> reply);
    void remove(const QString& id, QObject* context, Reply<Done> reply);

private:
    void act(const QString& id, const QString& action, QObject* context, Reply<Done> reply);

    ApiClient* m_client;
};

} // namespace cove::app
