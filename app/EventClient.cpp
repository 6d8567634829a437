// Engine.IO v4 framing as coved speaks it: `0{open}` from the service, `40{"token":…}` back, `40{sid}` when
// the key is accepted (`44{message}` when not), `2`/`3` ping and pong, `42[name,payload]` events.
#include "app/EventClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalBlocker>

#include <algorithm>

namespace cove::app {

namespace {

// Until the open packet says otherwise: coved's own interval (25 s) plus its timeout (20 s).
constexpr int kDefaultSilenceMs = 45000;

QUrl channelUrl(const QString& base) {
    QString ws = base;
    if (ws.startsWith(QStringLiteral("https://")))
        ws.replace(0, 5, QStringLiteral("wss"));
    else if (ws.startsWith(QStringLiteral("http://")))
        ws.replace(0, 4, QStringLiteral("ws"));
    return QUrl(ws + QStringLiteral("/api/socket.io/?source=dashboard&EIO=4&transport=websocket"));
}

} // namespace

EventClient::EventClient(QObject* parent)
    : QObject(parent) {
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &EventClient::open);
    m_watchdog.setSingleShot(true);
    m_watchdog.setInterval(kDefaultSilenceMs);
    connect(&m_watchdog, &QTimer::timeout, this, [this] {
        {
            const QSignalBlocker block(&m_socket);
            m_socket.abort();
        }
        scheduleRetry(tr("The Cove service stopped answering on the event channel."));
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &EventClient::onText);
    connect(&m_socket, &QWebSocket::disconnected, this, &EventClient::onClosed);
    connect(&m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            &EventClient::onClosed);
}

EventClient::~EventClient() {
    // The socket is destroyed after the timers (it is declared first) and says "disconnected" as it goes:
    // nothing of this object may hear it, or a retry would be armed on a timer that no longer exists.
    m_socket.disconnect(this);
    m_socket.abort();
}

void EventClient::setTarget(const ConnectionTarget& target) {
    m_target = target;
    if (m_wanted) {
        m_failures = 0;
        open();
    }
}

void EventClient::start() {
    if (m_wanted)
        return;
    m_wanted = true;
    m_failures = 0;
    open();
}

void EventClient::stop() {
    m_wanted = false;
    m_retry.stop();
    m_watchdog.stop();
    {
        const QSignalBlocker block(&m_socket);
        m_socket.abort();
    }
    setState(State::Idle);
}

void EventClient::retryNow() {
    if (m_wanted && m_state == State::Waiting) {
        m_retry.stop();
        open();
    }
}

int EventClient::retryInMs() const {
    return m_retry.isActive() ? m_retry.remainingTime() : 0;
}

void EventClient::open() {
    m_retry.stop();
    {
        // The old connection goes quietly: its close is not a loss to report.
        const QSignalBlocker block(&m_socket);
        m_socket.abort();
    }
    setState(State::Connecting);
    m_watchdog.setInterval(kDefaultSilenceMs);
    m_watchdog.start();
    m_socket.open(channelUrl(m_target.url));
}

void EventClient::onText(const QString& frame) {
    if (frame.isEmpty())
        return;
    m_watchdog.start();
    const QChar type = frame.at(0);
    if (type == QLatin1Char('0')) { // open: the ping rhythm, then the Socket.IO CONNECT with the key
        const QJsonObject open = QJsonDocument::fromJson(frame.mid(1).toUtf8()).object();
        const int interval = open.value(QStringLiteral("pingInterval")).toInt(25000);
        const int timeout = open.value(QStringLiteral("pingTimeout")).toInt(20000);
        m_watchdog.setInterval(interval + timeout);
        m_watchdog.start();
        const QJsonObject auth{{QStringLiteral("token"), m_target.apiKey}};
        m_socket.sendTextMessage(QStringLiteral("40") +
                                 QString::fromUtf8(QJsonDocument(auth).toJson(QJsonDocument::Compact)));
    } else if (type == QLatin1Char('2')) {
        m_socket.sendTextMessage(QStringLiteral("3"));
    } else if (type == QLatin1Char('1')) {
        onClosed();
    } else if (frame.startsWith(QStringLiteral("40"))) {
        m_failures = 0;
        setState(State::Connected);
        emit connected();
    } else if (frame.startsWith(QStringLiteral("44"))) {
        const QString message = QJsonDocument::fromJson(frame.mid(2).toUtf8())
                                    .object()
                                    .value(QStringLiteral("message"))
                                    .toString();
        {
            const QSignalBlocker block(&m_socket);
            m_socket.abort();
        }
        scheduleRetry(tr("The service refused the API key on the event channel (%1). Check the key in "
                         "Settings.")
                          .arg(message));
    } else if (frame.startsWith(QStringLiteral("41"))) {
        onClosed();
    } else if (frame.startsWith(QStringLiteral("42"))) {
        QString name;
        QJsonValue payload;
        if (parseEvent(frame, &name, &payload))
            dispatch(name, payload);
    }
}

bool EventClient::parseEvent(const QString& frame, QString* name, QJsonValue* payload) {
    if (!frame.startsWith(QStringLiteral("42")))
        return false;
    // An acknowledgement id may sit between the type and the array ("42<id>[…]"); coved sends none.
    const qsizetype bracket = frame.indexOf(QLatin1Char('['), 2);
    if (bracket < 0)
        return false;
    const QJsonDocument doc = QJsonDocument::fromJson(frame.mid(bracket).toUtf8());
    const QJsonArray a = doc.array();
    if (!doc.isArray() || a.isEmpty() || !a.at(0).isString())
        return false;
    *name = a.at(0).toString();
    *payload = a.size() > 1 ? a.at(1) : QJsonValue();
    return true;
}

void EventClient::dispatch(const QString& name, const QJsonValue& payload) {
    emit eventReceived(name, payload);
    const QJsonObject o = payload.toObject();
    const auto str = [&o](const char* key) { return o.value(QLatin1String(key)).toString(); };
    const auto obj = [&o](const char* key) { return o.value(QLatin1String(key)).toObject(); };
    if (name == QLatin1String("sandbox.created"))
        emit sandboxCreated(o);
    else if (name == QLatin1String("sandbox.state.updated"))
        emit sandboxStateUpdated(obj("sandbox"), str("oldState"), str("newState"));
    else if (name == QLatin1String("sandbox.archive.progress"))
        emit sandboxArchiveProgress(str("sandboxId"), qint64(o.value(QStringLiteral("bytes")).toDouble()),
                                    o.value(QStringLiteral("done")).toBool());
    else if (name == QLatin1String("snapshot.created"))
        emit snapshotCreated(o);
    else if (name == QLatin1String("snapshot.state.updated"))
        emit snapshotStateUpdated(obj("snapshot"), str("oldState"), str("newState"));
    else if (name == QLatin1String("snapshot.removed"))
        emit snapshotRemoved(o);
    else if (name == QLatin1String("volume.created"))
        emit volumeCreated(o);
    else if (name == QLatin1String("volume.state.updated"))
        emit volumeStateUpdated(obj("volume"), str("oldState"), str("newState"));
    else if (name == QLatin1String("usage.updated"))
        emit usageUpdated(o);
    else if (name == QLatin1String("audit.created"))
        emit auditCreated(o);
}

void EventClient::onClosed() {
    if (!m_wanted || m_state == State::Waiting)
        return;
    QString reason = m_socket.errorString();
    if (m_socket.error() == QAbstractSocket::UnknownSocketError || reason.isEmpty())
        reason = tr("the connection closed");
    {
        const QSignalBlocker block(&m_socket);
        m_socket.abort();
    }
    scheduleRetry(tr("Lost the event channel to the Cove service at %1 (%2).").arg(m_target.url, reason));
}

void EventClient::scheduleRetry(const QString& reason) {
    m_watchdog.stop();
    if (!m_wanted)
        return;
    const int delay = std::min(kMaxDelayMs, kFirstDelayMs << std::min(m_failures, 10));
    ++m_failures;
    m_lastReason = reason;
    setState(State::Waiting);
    m_retry.start(delay);
    emit disconnected(reason);
}

void EventClient::setState(State s) {
    if (m_state == s)
        return;
    m_state = s;
    emit stateChanged(s);
}

} // namespace cove::app
