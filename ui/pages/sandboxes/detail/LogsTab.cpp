// The stream carries Daytona's frames: stdout chunks after 01 01 01, stderr chunks after 02 02 02. Both
// are shown in one view in the order they came; output is batched into the view a few times a second.
#include "ui/pages/sandboxes/detail/LogsTab.h"

#include "app/ApiClient.h"
#include "ui/widgets/PageKit.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QStringDecoder>
#include <QTimer>
#include <QVBoxLayout>
#include <QWebSocket>

namespace cove::ui::detail {

namespace {
constexpr int kFlushMs = 150;
constexpr char kEntrypoint[] = "entrypoint";
// What a source of the list was made from: its session and its command ({id, command, exitCode}).
constexpr int kSessionRole = Qt::UserRole + 1;
constexpr int kCommandRole = Qt::UserRole + 2;

// Keeps the last `lines` lines of `text`.
void keepTail(QString& text, int lines) {
    int seen = 0;
    for (qsizetype i = text.size() - 1; i >= 0; --i) {
        if (text.at(i) == QLatin1Char('\n') && ++seen > lines) {
            text.remove(0, i + 1);
            return;
        }
    }
}
} // namespace

LogsTab::LogsTab(app::ApiClient* client, QWidget* parent)
    : DetailTab(client, parent)
    , m_sources(new QComboBox(this))
    , m_follow(new QCheckBox(this))
    , m_view(new QPlainTextEdit(this))
    , m_status(new QLabel(this))
    , m_message(kit::messageLine(this))
    , m_flush(new QTimer(this))
    , m_sourceLabel(new QLabel(this))
    , m_reload(new QPushButton(this))
    , m_clear(new QPushButton(this)) {
    m_sources->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_sourceLabel->setBuddy(m_sources);
    connect(m_sources, &QComboBox::currentIndexChanged, this, &LogsTab::connectTo);
    m_follow->setChecked(true);
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            flush();
        setStatus();
    });
    connect(m_reload, &QPushButton::clicked, this, &LogsTab::refresh);
    connect(m_clear, &QPushButton::clicked, this, &LogsTab::clear);

    m_view->setReadOnly(true);
    m_view->setMaximumBlockCount(kLineCap);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_flush->setInterval(kFlushMs);
    connect(m_flush, &QTimer::timeout, this, &LogsTab::flush);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_sourceLabel);
    bar->addWidget(m_sources, 1);
    bar->addWidget(m_follow);
    bar->addWidget(m_reload);
    bar->addWidget(m_clear);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_message);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    retranslateUi();
}

void LogsTab::retranslateUi() {
    m_sources->setAccessibleName(tr("Output of"));
    m_sourceLabel->setText(tr("&Output of:"));
    for (int i = 0; i < m_sources->count(); ++i)
        m_sources->setItemText(i, sourceText(m_sources->itemData(i, kSessionRole).toString(),
                                             m_sources->itemData(i, kCommandRole).toJsonObject()));
    m_follow->setText(tr("&Follow"));
    m_follow->setToolTip(
        tr("Untick to hold the view still; new output is kept and shown when you tick it again."));
    m_reload->setText(tr("&Reload"));
    m_reload->setToolTip(tr("Read the list of sessions and commands again (F5)"));
    m_clear->setText(tr("C&lear"));
    m_view->setAccessibleName(tr("Output"));
    m_view->setPlaceholderText(tr("No output yet."));
    if (m_statusText)
        m_status->setText(m_statusText());
}

void LogsTab::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    DetailTab::changeEvent(event);
}

QString LogsTab::sourceText(const QString& sid, const QJsonObject& c) {
    QString label = sid == QLatin1String(kEntrypoint)
                        ? tr("Entrypoint: %1").arg(c.value(QStringLiteral("command")).toString())
                        : tr("Session %1: %2").arg(sid, c.value(QStringLiteral("command")).toString());
    if (c.contains(QStringLiteral("exitCode")))
        label += tr(" (exited %1)").arg(c.value(QStringLiteral("exitCode")).toInt());
    label.replace(QLatin1Char('\n'), QLatin1Char(' '));
    if (label.size() > 120)
        label = label.left(119) + QChar(0x2026);
    return label;
}

QString LogsTab::text() const {
    return m_view->toPlainText();
}

bool LogsTab::following() const {
    return m_follow->isChecked();
}

void LogsTab::setFollowing(bool on) {
    m_follow->setChecked(on);
}

QString LogsTab::status() const {
    return m_status->text();
}

void LogsTab::clear() {
    m_view->clear();
    m_pending.clear();
}

void LogsTab::sandboxChanged() {
    disconnectStream();
    m_streamKey.clear();
    const QSignalBlocker block(m_sources);
    m_sources->clear();
    clear();
    m_message->hide();
}

void LogsTab::refresh() {
    if (m_loading || m_id.isEmpty())
        return;
    m_loading = true;
    const QString id = m_id;
    m_client->get(toolboxPath(QStringLiteral("/process/session")), this, [this, id](const app::ApiResult& r) {
        m_loading = false;
        if (id != m_id)
            return;
        if (!r.ok) {
            kit::showMessage(m_message, tr("Cannot read the sandbox's sessions: %1 Start the sandbox, then "
                                           "press Reload.")
                                            .arg(r.error));
            return;
        }
        m_message->hide();
        const QString current = m_sources->currentData().toString();
        const QSignalBlocker block(m_sources);
        m_sources->clear();
        int entrypoint = -1;
        for (const QJsonValue& sv : r.json.array()) {
            const QJsonObject s = sv.toObject();
            const QString sid = s.value(QStringLiteral("sessionId")).toString();
            for (const QJsonValue& cv : s.value(QStringLiteral("commands")).toArray()) {
                const QJsonObject c = cv.toObject();
                m_sources->addItem(sourceText(sid, c),
                                   sid + QLatin1Char('/') + c.value(QStringLiteral("id")).toString());
                m_sources->setItemData(m_sources->count() - 1, sid, kSessionRole);
                m_sources->setItemData(m_sources->count() - 1, c, kCommandRole);
                if (sid == QLatin1String(kEntrypoint) && entrypoint < 0)
                    entrypoint = m_sources->count() - 1;
            }
        }
        if (m_sources->count() == 0) {
            disconnectStream();
            m_streamKey.clear();
            setStatus([] {
                return tr("Nothing has run in this sandbox yet: its image has no entrypoint and no session "
                          "command was started.");
            });
            return;
        }
        int index = m_sources->findData(current);
        if (index < 0)
            index = entrypoint >= 0 ? entrypoint : 0;
        m_sources->setCurrentIndex(index);
        connectTo(index);
    });
}

void LogsTab::connectTo(int index) {
    const QString key = m_sources->itemData(index).toString();
    if (key.isEmpty() || (key == m_streamKey && m_socket))
        return;
    disconnectStream();
    clear();
    m_streamKey = key;
    const QString sid = key.section(QLatin1Char('/'), 0, 0);
    const QString cid = key.section(QLatin1Char('/'), 1);
    const QString path = toolboxPath(QStringLiteral("/process/session/%1/command/%2/logs?follow=true")
                                         .arg(QString::fromLatin1(QUrl::toPercentEncoding(sid)),
                                              QString::fromLatin1(QUrl::toPercentEncoding(cid))));
    QNetworkRequest req = m_client->request(path);
    QUrl url = req.url();
    url.setScheme(url.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    req.setUrl(url);

    auto* socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    auto decoder = std::make_shared<QStringDecoder>(QStringDecoder::Utf8);
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, decoder](const QByteArray& frame) {
        QByteArray data = frame;
        data.replace(QByteArrayLiteral("\x01\x01\x01"), QByteArray());
        data.replace(QByteArrayLiteral("\x02\x02\x02"), QByteArray());
        received(decoder->decode(data));
    });
    connect(socket, &QWebSocket::textMessageReceived, this,
            [this](const QString& message) { received(message); });
    connect(socket, &QWebSocket::connected, this, [this] { setStatus(); });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        if (socket != m_socket)
            return;
        flush();
        if (socket->closeCode() == QWebSocketProtocol::CloseCodeNormal)
            setStatus([] { return tr("The command has ended; this is all of its output."); });
        else
            setStatus([error = socket->errorString()] {
                return tr("The log stream was interrupted (%1). Press Reload to connect again.").arg(error);
            });
        m_flush->stop();
        socket->deleteLater();
        m_socket = nullptr;
    });
    setStatus([] { return tr("Connecting…"); });
    m_flush->start();
    socket->open(req);
}

void LogsTab::disconnectStream() {
    if (m_socket) {
        QWebSocket* s = m_socket;
        m_socket = nullptr;
        s->disconnect(this);
        s->abort();
        s->deleteLater();
    }
    m_flush->stop();
}

void LogsTab::received(const QString& text) {
    m_pending += text;
    // Held output is capped like the view, so a paused view of a chatty command stays small.
    if (m_pending.size() > 64 * 1024)
        keepTail(m_pending, kLineCap);
}

void LogsTab::flush() {
    if (m_pending.isEmpty() || !m_follow->isChecked()) {
        if (!m_follow->isChecked())
            setStatus();
        return;
    }
    keepTail(m_pending, kLineCap);
    QTextCursor end(m_view->document());
    end.movePosition(QTextCursor::End);
    end.insertText(m_pending);
    m_pending.clear();
    m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum());
}

void LogsTab::setStatus(std::function<QString()> text) {
    if (text)
        m_statusText = std::move(text);
    else if (!m_follow->isChecked())
        m_statusText = [this] {
            return m_pending.isEmpty()
                       ? tr("Paused: new output is kept and shown when you tick Follow.")
                       : tr("Paused: new output waiting (%1 lines).").arg(m_pending.count(QLatin1Char('\n')));
        };
    else if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_statusText = [] { return tr("Following live output (the last %1 lines are kept).").arg(kLineCap); };
    if (m_statusText)
        m_status->setText(m_statusText());
}

} // namespace cove::ui::detail
