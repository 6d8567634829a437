// The dashboard's client for coved's HTTP API: asynchronous calls with errors a person can act on.
#pragma once

#include "app/Connection.h"
#include "app/EventClient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>

#include <functional>

class QNetworkReply;

namespace cove::app {

struct ApiResult {
    bool ok = false;
    int status = 0; // HTTP status; 0 when coved could not be reached
    QJsonDocument json;
    QByteArray body;      // as received (exports are CSV)
    QString error;        // a sentence for the user when !ok
    QString networkError; // what the network layer said, when coved was not reached
    bool tooLong = false; // aborted for being longer than RequestOptions::mostBytes
};

// How one call is sent, for the callers get/post/put/del do not serve.
struct RequestOptions {
    QByteArray contentType; // of the body; empty: application/json when there is a body
    int timeoutMs = 60000;  // the transfer timeout: how long the reply may stay silent (0: no limit)
    qint64 mostBytes = 0;   // a reply longer than this is aborted and fails (0: no limit)
};

class ApiClient : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(const ApiResult&)>;
    // A call in flight, to abort() it (its callback then sees status 0); null once it has finished.
    using Pending = QPointer<QNetworkReply>;

    explicit ApiClient(QObject* parent = nullptr);

    void setTarget(const ConnectionTarget& target);
    const ConnectionTarget& target() const { return m_target; }
    // Who the audit log says made the calls (X-Cove-Source): "dashboard" unless set ("cli").
    void setSource(const QByteArray& source) { m_source = source; }
    // The User-Agent of every request; empty: Qt's own.
    void setUserAgent(const QByteArray& agent) { m_userAgent = agent; }
    bool isConnected() const { return m_connected; }
    // The HTTP status of the last connection check or failed call: 0 unreachable, 401 key refused.
    int lastStatus() const { return m_lastStatus; }
    // Whether the service's Docker engine remaps users, so root in a sandbox is not root on its
    // machine (as the last connection check said; a service that does not say counts as remapping).
    bool engineRemapsUsers() const { return m_engineRemapsUsers; }
    // The event channel to the same target; pages that show live lists start it.
    EventClient* events() { return &m_events; }

    Pending get(const QString& path, QObject* context, Callback cb);
    Pending post(const QString& path, const QJsonObject& body, QObject* context, Callback cb);
    Pending put(const QString& path, const QJsonObject& body, QObject* context, Callback cb);
    Pending del(const QString& path, QObject* context, Callback cb);
    // Any verb and body. The callback is dropped when `context` is gone by the time the answer comes.
    Pending send(const QByteArray& verb, const QString& path, const QByteArray& body,
                 const RequestOptions& options, QObject* context, Callback cb);

    // For callers that watch a reply themselves (transfers with progress, streams): a request to `path`
    // with the key and the dashboard's headers, the manager to send it with, and the sentence for a
    // reply that failed (status 0 = coved not reached).
    QNetworkRequest request(const QString& path) const;
    QNetworkAccessManager* network() { return &m_net; }
    QString errorText(int status, const QByteArray& body, const QString& path, const QString& netError) const;

    // Asks /api/info and reports the outcome through connected() or disconnected().
    void checkConnection();

signals:
    void connected(const QString& engineVersion);
    void disconnected(const QString& reason);
    // Every request as it leaves (for progress and for tests that count them).
    void requestStarted(const QByteArray& verb, const QString& path);

private:
    void setConnected(bool on, const QString& detail);

    QNetworkAccessManager m_net;
    EventClient m_events;
    ConnectionTarget m_target;
    bool m_connected = false;
    int m_lastStatus = 0;
    bool m_engineRemapsUsers = true;
    QByteArray m_source = "dashboard";
    QByteArray m_userAgent;
};

} // namespace cove::app
