#include "ui/pages/sandboxes/detail/PreviewTab.h"

#include "app/ApiClient.h"
#include "ui/widgets/PageKit.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QEvent>
#include <QHBoxLayout>
#include <QIntValidator>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMutex>
#include <QPushButton>
#include <QVBoxLayout>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineUrlRequestInterceptor>
#include <QWebEngineView>

namespace cove::ui::detail {

namespace {
// Ports a web server in a sandbox commonly uses, offered before the sandbox says what listens.
constexpr int kCommonPorts[] = {3000, 5000, 5173, 8000, 8080, 8888};
constexpr int kFirstPort = 3000;
constexpr int kLastPort = 9999;
constexpr int kSignedSeconds = 3600;
} // namespace

// Adds the preview token (and the header that skips the one-time warning page) to requests for the
// current preview address, and to nothing else.
class PreviewInterceptor : public QWebEngineUrlRequestInterceptor {
public:
    using QWebEngineUrlRequestInterceptor::QWebEngineUrlRequestInterceptor;

    void set(const QString& prefix, const QByteArray& token) {
        QMutexLocker lock(&m_mutex);
        m_prefix = prefix;
        m_token = token;
    }
    void interceptRequest(QWebEngineUrlRequestInfo& info) override {
        QMutexLocker lock(&m_mutex);
        if (m_prefix.isEmpty() || !info.requestUrl().toString().startsWith(m_prefix))
            return;
        info.setHttpHeader("X-Daytona-Preview-Token", m_token);
        info.setHttpHeader("X-Daytona-Skip-Preview-Warning", "true");
    }

private:
    QMutex m_mutex;
    QString m_prefix;
    QByteArray m_token;
};

PreviewTab::PreviewTab(app::ApiClient* client, QWidget* parent)
    : DetailTab(client, parent)
    , m_port(new QComboBox(this))
    , m_open(new QPushButton(this))
    , m_reload(new QPushButton(this))
    , m_external(new QPushButton(this))
    , m_portLabel(new QLabel(this))
    , m_message(kit::messageLine(this))
    , m_address(new QLabel(this))
    , m_profile(new QWebEngineProfile(this)) // off the record: no cookies or cache left on disk
    , m_interceptor(new PreviewInterceptor(this))
    , m_view(new QWebEngineView(this)) {
    m_port->setEditable(true);
    m_port->setMinimumContentsLength(6);
    m_port->setInsertPolicy(QComboBox::NoInsert);
    m_port->lineEdit()->setValidator(new QIntValidator(1, 65535, m_port));
    m_portLabel->setBuddy(m_port);
    connect(m_port->lineEdit(), &QLineEdit::returnPressed, this, [this] { openPort(chosenPort()); });
    connect(m_port, &QComboBox::activated, this, [this] { openPort(chosenPort()); });
    connect(m_open, &QPushButton::clicked, this, [this] { openPort(chosenPort()); });
    connect(m_reload, &QPushButton::clicked, this, &PreviewTab::reload);
    connect(m_external, &QPushButton::clicked, this, &PreviewTab::openInBrowser);
    m_reload->setEnabled(false);
    m_external->setEnabled(false);
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_profile->setUrlRequestInterceptor(m_interceptor);
    m_view->setPage(new QWebEnginePage(m_profile, m_view));
    connect(m_view, &QWebEngineView::loadFinished, this, [this](bool ok) {
        if (!ok && !m_url.isEmpty())
            kit::showMessage(m_message, tr("The page at port %1 did not load. Is a server listening on "
                                           "0.0.0.0:%1 in the sandbox? Start it, then press Reload.")
                                            .arg(m_loadedPort));
    });

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_portLabel);
    bar->addWidget(m_port);
    bar->addWidget(m_open);
    bar->addWidget(m_reload);
    bar->addWidget(m_external);
    bar->addWidget(m_address, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_message);
    layout->addWidget(m_view, 1);
    sandboxChanged();
    retranslateUi();
}

void PreviewTab::retranslateUi() {
    m_port->setAccessibleName(tr("Port"));
    m_port->setToolTip(
        tr("A port from %1 to %2 that a server in the sandbox listens on").arg(kFirstPort).arg(kLastPort));
    for (int i = 0; i < m_port->count(); ++i)
        if (m_port->itemData(i).toBool())
            m_port->setItemData(i, tr("A server listens on this port"), Qt::ToolTipRole);
    m_portLabel->setText(tr("&Port:"));
    m_open->setText(tr("&Open"));
    m_reload->setText(tr("Re&load"));
    m_reload->setToolTip(tr("Load the page again"));
    m_external->setText(tr("Open in &browser"));
    m_external->setToolTip(tr("Open a signed link, valid for an hour, in your web browser"));
    m_view->setAccessibleName(tr("Preview"));
    if (m_url.isEmpty())
        showHint();
}

void PreviewTab::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    DetailTab::changeEvent(event);
}

void PreviewTab::showHint() {
    m_view->setHtml(
        QStringLiteral("<p style='font-family:sans-serif;color:#666'>%1</p>")
            .arg(tr("Choose a port and press Open to see what the sandbox serves there.").toHtmlEscaped()));
}

PreviewTab::~PreviewTab() {
    // The page must go before the profile it uses.
    delete m_view;
}

QString PreviewTab::message() const {
    return m_message->isHidden() ? QString() : m_message->text();
}

int PreviewTab::chosenPort() const {
    return m_port->currentText().trimmed().toInt();
}

void PreviewTab::sandboxChanged() {
    m_url.clear();
    m_loadedPort = 0;
    m_interceptor->set({}, {});
    showHint();
    m_port->clear();
    for (int p : kCommonPorts)
        m_port->addItem(QString::number(p));
    m_address->clear();
    m_message->hide();
    m_reload->setEnabled(false);
    m_external->setEnabled(false);
}

void PreviewTab::refresh() {
    if (m_id.isEmpty())
        return;
    const QString id = m_id;
    m_client->get(toolboxPath(QStringLiteral("/port")), this, [this, id](const app::ApiResult& r) {
        if (id != m_id || !r.ok)
            return; // the common ports stay; opening one explains what is wrong
        const QString typed = m_port->currentText();
        QList<int> listening;
        for (const QJsonValue& v : r.json.object().value(QStringLiteral("ports")).toArray())
            if (v.toInt() >= kFirstPort && v.toInt() <= kLastPort)
                listening << v.toInt();
        for (int i = m_port->count() - 1; i >= 0; --i)
            if (m_port->itemData(i).toBool())
                m_port->removeItem(i);
        // Listening ports first, marked; the common ones after.
        for (int i = int(listening.size()) - 1; i >= 0; --i) {
            const QString text = QString::number(listening.at(i));
            if (const int old = m_port->findText(text); old >= 0)
                m_port->removeItem(old);
            m_port->insertItem(0, text, true);
            m_port->setItemData(0, tr("A server listens on this port"), Qt::ToolTipRole);
        }
        m_port->setEditText(m_loadedPort ? QString::number(m_loadedPort) : typed);
    });
}

void PreviewTab::openPort(int port) {
    if (m_id.isEmpty())
        return;
    if (port < kFirstPort || port > kLastPort) {
        kit::showMessage(
            m_message,
            tr("Previews reach ports %1 to %2; choose a port in that range.").arg(kFirstPort).arg(kLastPort));
        return;
    }
    const QString id = m_id;
    m_client->get(QStringLiteral("/api/sandbox/%1/ports/%2/preview-url").arg(id).arg(port), this,
                  [this, id, port](const app::ApiResult& r) {
                      if (id != m_id)
                          return;
                      if (!r.ok) {
                          kit::showMessage(m_message, tr("No preview of port %1: %2").arg(port).arg(r.error));
                          return;
                      }
                      m_message->hide();
                      const QJsonObject o = r.json.object();
                      // The preview's own origin (by host name) where there is one: coved redirects
                      // browsers there, as the path form shares coved's origin.
                      m_url = o.value(QStringLiteral("hostUrl")).toString();
                      if (m_url.isEmpty())
                          m_url = o.value(QStringLiteral("url")).toString();
                      m_loadedPort = port;
                      m_interceptor->set(m_url, o.value(QStringLiteral("token")).toString().toUtf8());
                      m_address->setText(m_url);
                      m_reload->setEnabled(true);
                      m_external->setEnabled(true);
                      m_view->load(QUrl(m_url));
                      emit urlResolved(m_url);
                  });
}

void PreviewTab::reload() {
    if (!m_url.isEmpty()) {
        m_message->hide();
        m_view->reload();
    }
}

void PreviewTab::openInBrowser() {
    if (m_loadedPort == 0)
        return;
    const QString id = m_id;
    m_client->get(QStringLiteral("/api/sandbox/%1/ports/%2/signed-preview-url?expiresInSeconds=%3")
                      .arg(id)
                      .arg(m_loadedPort)
                      .arg(kSignedSeconds),
                  this, [this, id](const app::ApiResult& r) {
                      if (id != m_id)
                          return;
                      if (!r.ok) {
                          kit::showMessage(m_message, tr("No signed link: %1").arg(r.error));
                          return;
                      }
                      const QString url = r.json.object().value(QStringLiteral("url")).toString();
                      emit externalUrlOpened(url);
                      if (!QDesktopServices::openUrl(QUrl(url)))
                          kit::showMessage(m_message, tr("No web browser could be started. Open this link "
                                                         "yourself: %1")
                                                          .arg(url));
                  });
}

} // namespace cove::ui::detail
