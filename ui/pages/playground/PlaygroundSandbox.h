// The Playground's own sandbox: found by its label (so it survives an app restart), created on demand
// with the Management parameters, started when it stopped, replaced when its snapshot or resources no
// longer match, and left to stop by itself (its auto-stop interval).
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>

namespace cove::app {
class ApiClient;
struct ApiResult;
} // namespace cove::app

namespace cove::ui::playground {

// What the playground sandbox is made with (the Management group).
struct SandboxParams {
    QString language = QStringLiteral("python");
    QString snapshot = QStringLiteral("cove-base");
    int cpu = 1;
    int memory = 1; // GiB
    int disk = 3;   // GiB
    int autoStop = 15;
    int autoArchive = 7 * 24 * 60;
    int autoDelete = -1;

    // The body of POST /api/sandbox.
    QJsonObject createBody() const;
    // Why a sandbox made from `dto` cannot serve these parameters (an empty string when it can).
    QString mismatch(const QJsonObject& dto) const;
    bool operator==(const SandboxParams&) const = default;
};

inline constexpr const char* kPlaygroundLabel = "cove.playground";

class PlaygroundSandbox : public QObject {
    Q_OBJECT
public:
    // `error` is empty on success; then `dto` is the started sandbox.
    using Ready = std::function<void(const QString& error, const QJsonObject& dto)>;

    explicit PlaygroundSandbox(app::ApiClient* client, QObject* parent = nullptr);
    app::ApiClient* client() const { return m_client; }

    // Calls `done` once with a started sandbox that fits `params`, or with what went wrong.
    void ensure(const SandboxParams& params, Ready done);
    QString id() const { return m_id; }
    QString snapshot() const { return m_snapshot; }
    bool busy() const { return !m_waiting.empty(); }
    // Makes the sandbox ready, then calls its toolbox: `rest` follows /toolbox/{id}; `cb` gets the answer,
    // or a failed result whose error says why the sandbox is not ready. Nothing is called once `context`
    // is gone.
    void toolbox(const SandboxParams& params, const QByteArray& verb, const QString& rest,
                 const QJsonObject& body, QObject* context, std::function<void(const app::ApiResult&)> cb);
    // Looks for an existing playground sandbox without creating or starting one.
    void lookUp();

signals:
    // What is happening while the sandbox is made ready; an empty text when it is done.
    void progress(const QString& text);
    // A (new) playground sandbox id is known, with its snapshot.
    void sandboxChanged(const QString& id, const QString& snapshot);
    // lookUp() found the playground sandbox of an earlier session: what it was made with.
    void foundEarlier(const QJsonObject& sandbox);

private:
    void find();
    void inspect(const QJsonObject& dto);
    void create();
    void start();
    void poll();
    void syncIntervals(const QJsonObject& dto);
    void finish(const QString& error, const QJsonObject& dto = {});
    void remember(const QJsonObject& dto);

    app::ApiClient* m_client;
    QString m_id;
    QString m_snapshot;
    SandboxParams m_params;
    std::vector<Ready> m_waiting;
    int m_polls = 0;
};

} // namespace cove::ui::playground
