// Typed calls on /api/sandbox: each answers with a Sandbox (or a page of them) or an ApiError.
#pragma once

#include "app/ApiError.h"
#include "app/Sandbox.h"

#include <QDateTime>
#include <QObject>

#include <functional>

namespace cove::app {

class ApiClient;

// An SSH access token (Daytona's SshAccessDto): the token is the user name of `sshCommand`.
struct SshAccess {
    QString token;
    QString sshCommand; // empty while coved's SSH gateway is off
    QDateTime expiresAt;
};

class SandboxesApi {
public:
    template <class T> using Reply = std::function<void(const Result<T>&)>;

    // The timers a sandbox has, each set in minutes on its own path ("/autostop/{min}"…).
    enum class Interval { AutoStop, AutoPause, AutoArchive, AutoDelete, TimeToLive };

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

    // A sandbox in `error` is restarted; a started one is paused (its processes frozen). Resuming a paused
    // sandbox is start().
    void recover(const QString& id, QObject* context, Reply<Sandbox> reply);
    void pause(const QString& id, QObject* context, Reply<Sandbox> reply);
    // Memory and disk in GiB; the disk can only grow.
    void resize(const QString& id, int cpu, int memory, int disk, QObject* context, Reply<Sandbox> reply);
    // Replaces every label.
    void setLabels(const QString& id, const QMap<QString, QString>& labels, QObject* context,
                   Reply<Done> reply);
    void setPublic(const QString& id, bool isPublic, QObject* context, Reply<Sandbox> reply);
    // Auto-delete -1 is off; the others are off at 0. The time to live counts from now (0 clears it).
    void setInterval(const QString& id, Interval which, int minutes, QObject* context, Reply<Sandbox> reply);
    // An empty allow list lets the sandbox reach everything blockAll does not block.
    // POST /api/sandbox/{id}/network-settings with the fields given (the others stay as they are).
    void setNetwork(const QString& id, const QJsonObject& settings, QObject* context, Reply<Sandbox> reply);
    // A snapshot named `name` of the sandbox's filesystem; the sandbox is `snapshotting` meanwhile.
    void createSnapshot(const QString& id, const QString& name, QObject* context, Reply<Done> reply);
    // A started copy of the sandbox (an empty name lets the service choose); answers with the fork.
    void fork(const QString& id, const QString& name, QObject* context, Reply<Sandbox> reply);
    void backup(const QString& id, QObject* context, Reply<Sandbox> reply);
    // The sandboxes it was forked from, nearest first; the ones forked from it.
    void ancestors(const QString& id, QObject* context, Reply<QList<Sandbox>> reply);
    void forks(const QString& id, bool includeDestroyed, QObject* context, Reply<QList<Sandbox>> reply);
    // SSH access for `minutes`; revoking with an empty token revokes every token of the sandbox.
    void createSshAccess(const QString& id, int minutes, QObject* context, Reply<SshAccess> reply);
    void revokeSshAccess(const QString& id, const QString& token, QObject* context, Reply<Done> reply);

private:
    void act(const QString& id, const QString& action, QObject* context, Reply<Done> reply);
    void change(const QString& id, const QString& rest, const QJsonObject& body, QObject* context,
                Reply<Sandbox> reply);
    void sandboxList(const QString& path, QObject* context, Reply<QList<Sandbox>> reply);

    ApiClient* m_client;
};

} // namespace cove::app
