// The dashboard's side of coved's event channel (/api/socket.io/, Socket.IO v4 over a WebSocket): it
// connects with the API key, answers pings, turns `42["<event>",payload]` frames into signals and, when
// the service goes away, reconnects with a growing delay. Lists update from these events, not by polling.
#pragma once

#include "app/Connection.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QTimer>
#include <QWebSocket>

namespace cove::app {

class EventClient : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Connected, Waiting };
    Q_ENUM(State)

    // The first retry waits this long, every further one twice as long up to kMaxDelayMs.
    static constexpr int kFirstDelayMs = 500;
    static constexpr int kMaxDelayMs = 15000;

    explicit EventClient(QObject* parent = nullptr);
    ~EventClient() override;

    // Changes where to connect; an open channel is reopened at the new target.
    void setTarget(const ConnectionTarget& target);
    // Opens the channel and keeps it open (reconnecting) until stop().
    void start();
    void stop();
    // Skips the wait before the next attempt.
    void retryNow();

    State state() const { return m_state; }
    bool isConnected() const { return m_state == State::Connected; }
    // How long until the next attempt while Waiting, in ms.
    int retryInMs() const;
    // Attempts since the channel was last connected.
    int failedAttempts() const { return m_failures; }
    // Why the channel is down, while it is.
    QString lastReason() const { return m_lastReason; }

    // One Socket.IO frame as text: true and the event's name and payload for `42["name",payload]`.
    static bool parseEvent(const QString& frame, QString* name, QJsonValue* payload);

signals:
    void stateChanged(cove::app::EventClient::State state);
    // The service accepted the key; the caller should read the current lists now (events start here).
    void connected();
    // The channel closed or could not open; `reason` is a sentence for the user. A retry follows.
    void disconnected(const QString& reason);
    // Every event, as received.
    void eventReceived(const QString& name, const QJsonValue& payload);

    // The events coved emits, one signal each.
    void sandboxCreated(const QJsonObject& sandbox);
    void sandboxStateUpdated(const QJsonObject& sandbox, const QString& oldState, const QString& newState);
    void sandboxArchiveProgress(const QString& sandboxId, qint64 bytes, bool done);
    void snapshotCreated(const QJsonObject& snapshot);
    void snapshotStateUpdated(const QJsonObject& snapshot, const QString& oldState, const QString& newState);
    void snapshotRemoved(const QJsonObject& snapshot);
    void volumeCreated(const QJsonObject& volume);
    void volumeStateUpdated(const QJsonObject& volume, const QString& oldState, const QString& newState);
    void usageUpdated(const QJsonObject& usage);
    void auditCreated(const QJsonObject& entry);

private:
    void open();
    void onText(const QString& frame);
    void onClosed();
    void dispatch(const QString& name, const QJsonValue& payload);
    void setState(State s);
    void scheduleRetry(const QString& reason);

    QWebSocket m_socket;
    QTimer m_retry;
    QTimer m_watchdog; // the service pings every pingInterval; silence past interval + timeout is a loss
    ConnectionTarget m_target;
    State m_state = State::Idle;
    bool m_wanted = false;
    int m_failures = 0;
    QString m_lastReason;
};

} // namespace cove::app
