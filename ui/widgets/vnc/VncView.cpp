// The password comes from GET /toolbox/{id}/computeruse/vnc/password (a fresh one per desktop start);
// the stream from the WebSocket /toolbox/{id}/computeruse/vnc, both through coved with the app's key.
#include "ui/widgets/vnc/VncView.h"

#include "app/ApiClient.h"

#include <QClipboard>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace cove::ui {

namespace {
constexpr int kWheelUp = 1 << 3;
constexpr int kWheelDown = 1 << 4;
constexpr quint32 kControl = 0xffe3, kAlt = 0xffe9, kDelete = 0xffff;
// The toolbox's answer to the VNC password while the sandbox's desktop is not running (409 Conflict).
constexpr int kDesktopNotRunning = 409;

int buttonsOf(Qt::MouseButtons b) {
    return (b & Qt::LeftButton ? 1 : 0) | (b & Qt::MiddleButton ? 2 : 0) | (b & Qt::RightButton ? 4 : 0);
}
} // namespace

// --- the canvas ---

VncCanvas::VncCanvas(VncClient* vnc, QWidget* parent)
    : QWidget(parent)
    , m_vnc(vnc) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    connect(vnc, &VncClient::frameUpdated, this, [this](QRect r) {
        const QRect t = target();
        const QSize size = m_vnc->frameSize();
        if (size.isEmpty() || t.isEmpty())
            return;
        const double sx = double(t.width()) / size.width(), sy = double(t.height()) / size.height();
        update(QRect(t.x() + int(r.x() * sx), t.y() + int(r.y() * sy), int(r.width() * sx) + 2,
                     int(r.height() * sy) + 2));
    });
    connect(vnc, &VncClient::frameResized, this, [this](QSize size) {
        if (!m_scaled)
            resize(size);
        update();
    });
}

bool VncCanvas::live() const {
    return m_vnc->state() == VncClient::State::Connected && !m_viewOnly;
}

void VncCanvas::setScaled(bool on) {
    m_scaled = on;
    if (!on && !m_vnc->frameSize().isEmpty())
        resize(m_vnc->frameSize());
    update();
}

void VncCanvas::setViewOnly(bool on) {
    if (on)
        releaseAll();
    m_viewOnly = on;
}

QRect VncCanvas::target() const {
    const QSize frame = m_vnc->frameSize();
    if (frame.isEmpty())
        return {};
    if (!m_scaled)
        return QRect(QPoint(0, 0), frame);
    const QSize fitted = frame.scaled(size(), Qt::KeepAspectRatio);
    return QRect(QPoint((width() - fitted.width()) / 2, (height() - fitted.height()) / 2), fitted);
}

QPoint VncCanvas::toRemote(QPoint local) const {
    const QRect t = target();
    const QSize frame = m_vnc->frameSize();
    if (t.isEmpty())
        return {};
    const int x = (local.x() - t.x()) * frame.width() / t.width();
    const int y = (local.y() - t.y()) * frame.height() / t.height();
    return {std::clamp(x, 0, frame.width() - 1), std::clamp(y, 0, frame.height() - 1)};
}

void VncCanvas::paintEvent(QPaintEvent* e) {
    QPainter p(this);
    const QRect t = target();
    const QRegion outside = QRegion(rect()) - QRegion(t);
    for (const QRect& r : outside)
        p.fillRect(r, palette().color(QPalette::Dark));
    if (t.isEmpty())
        return;
    p.setRenderHint(QPainter::SmoothPixmapTransform, t.size() != m_vnc->frameSize());
    p.setClipRegion(e->region());
    m_vnc->withFrame([&](const QImage& frame) { p.drawImage(t, frame); });
}

void VncCanvas::sendMouse(QMouseEvent* e) {
    if (!live())
        return;
    m_buttons = buttonsOf(e->buttons());
    m_vnc->sendPointer(toRemote(e->position().toPoint()), m_buttons);
}

void VncCanvas::mousePressEvent(QMouseEvent* e) {
    setFocus(Qt::MouseFocusReason);
    sendMouse(e);
}
void VncCanvas::mouseReleaseEvent(QMouseEvent* e) {
    sendMouse(e);
}
void VncCanvas::mouseMoveEvent(QMouseEvent* e) {
    sendMouse(e);
}

void VncCanvas::wheelEvent(QWheelEvent* e) {
    if (!live())
        return;
    const QPoint at = toRemote(e->position().toPoint());
    const int steps = e->angleDelta().y() / 120;
    const int wheel = steps > 0 ? kWheelUp : kWheelDown;
    for (int i = 0; i < std::max(1, std::abs(steps)) && e->angleDelta().y() != 0; ++i) {
        m_vnc->sendPointer(at, m_buttons | wheel);
        m_vnc->sendPointer(at, m_buttons);
    }
    e->accept();
}

void VncCanvas::keyPressEvent(QKeyEvent* e) {
    if (!live())
        return QWidget::keyPressEvent(e);
    const quint32 keysym = keysymFor(e->key(), e->text(), e->modifiers());
    if (keysym == 0)
        return;
    const quint32 key = e->nativeScanCode() ? e->nativeScanCode() : quint32(e->key());
    m_pressed.insert(key, keysym);
    m_vnc->sendKey(keysym, true);
}

void VncCanvas::keyReleaseEvent(QKeyEvent* e) {
    const quint32 key = e->nativeScanCode() ? e->nativeScanCode() : quint32(e->key());
    const auto it = m_pressed.find(key);
    if (it == m_pressed.end())
        return;
    const quint32 keysym = it.value();
    m_pressed.erase(it);
    if (m_vnc->state() == VncClient::State::Connected)
        m_vnc->sendKey(keysym, false);
}

void VncCanvas::releaseAll() {
    // Keys held when focus leaves would stay down on the desktop.
    if (m_vnc->state() == VncClient::State::Connected) {
        for (const quint32 keysym : std::as_const(m_pressed))
            m_vnc->sendKey(keysym, false);
    }
    m_pressed.clear();
}

void VncCanvas::focusOutEvent(QFocusEvent* e) {
    releaseAll();
    QWidget::focusOutEvent(e);
}

bool VncCanvas::event(QEvent* e) {
    // While connected, every key is the desktop's: the app's shortcuts do not take them.
    if (e->type() == QEvent::ShortcutOverride && live()) {
        e->accept();
        return true;
    }
    return QWidget::event(e);
}

// --- the view ---

VncView::VncView(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_client(client)
    , m_vnc(new VncClient(this))
    , m_status(new QLabel(this))
    , m_toolbar(new QHBoxLayout)
    , m_fit(new QToolButton(this))
    , m_viewOnly(new QToolButton(this))
    , m_ctrlAltDel(new QToolButton(this))
    , m_reconnect(new QToolButton(this))
    , m_pages(new QStackedWidget(this))
    , m_message(new QLabel(this))
    , m_start(new QPushButton(this))
    , m_retry(new QPushButton(this))
    , m_scroll(new QScrollArea(this))
    , m_canvas(new VncCanvas(m_vnc, m_scroll)) {
    m_fit->setCheckable(true);
    m_fit->setChecked(true);
    connect(m_fit, &QToolButton::toggled, this, &VncView::setScaledToFit);
    m_viewOnly->setCheckable(true);
    connect(m_viewOnly, &QToolButton::toggled, this, &VncView::setViewOnly);
    connect(m_ctrlAltDel, &QToolButton::clicked, this, &VncView::sendCtrlAltDel);
    connect(m_reconnect, &QToolButton::clicked, this, &VncView::connectToDesktop);
    m_toolbar->setContentsMargins(0, 0, 0, 0);
    for (QToolButton* b : {m_fit, m_viewOnly, m_ctrlAltDel, m_reconnect})
        m_toolbar->addWidget(b);
    m_toolbar->addStretch(1);
    m_toolbar->addWidget(m_status);

    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_start, &QPushButton::clicked, this, &VncView::startDesktop);
    connect(m_retry, &QPushButton::clicked, this, &VncView::connectToDesktop);
    auto* messagePage = new QWidget(this);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_start);
    buttons->addWidget(m_retry);
    buttons->addStretch(1);
    auto* messageLayout = new QVBoxLayout(messagePage);
    messageLayout->addStretch(1);
    messageLayout->addWidget(m_message);
    messageLayout->addLayout(buttons);
    messageLayout->addStretch(2);

    m_scroll->setWidget(m_canvas);
    m_scroll->setWidgetResizable(true);
    m_scroll->setAlignment(Qt::AlignCenter);
    m_pages->addWidget(messagePage);
    m_pages->addWidget(m_scroll);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_toolbar);
    layout->addWidget(m_pages, 1);

    connect(m_vnc, &VncClient::stateChanged, this, &VncView::onState);
    connect(m_vnc, &VncClient::frameResized, this, &VncView::updateStatus);
    // The clipboard both ways; what the desktop sent is not sent back to it.
    connect(m_vnc, &VncClient::clipboardReceived, this, [this](const QString& text) {
        m_remoteClipboard = text;
        QGuiApplication::clipboard()->setText(text);
    });
    connect(QGuiApplication::clipboard(), &QClipboard::dataChanged, this, [this] {
        const QString text = QGuiApplication::clipboard()->text();
        if (m_vnc->state() == VncClient::State::Connected && !viewOnly() && text != m_remoteClipboard)
            m_vnc->sendClipboard(text);
    });
    retranslateUi();
    showMessage(Message::NoSandbox);
}

void VncView::retranslateUi() {
    m_fit->setText(tr("Scale to &fit"));
    m_fit->setToolTip(tr("Scale the desktop to the view, or show it pixel for pixel (1:1)"));
    m_viewOnly->setText(tr("&View only"));
    m_viewOnly->setToolTip(tr("Watch without sending mouse or keys"));
    m_ctrlAltDel->setText(tr("Ctrl+Alt+&Del"));
    m_ctrlAltDel->setToolTip(tr("Send Ctrl+Alt+Del to the desktop"));
    m_reconnect->setText(tr("Re&connect"));
    m_start->setText(tr("&Start desktop"));
    m_retry->setText(tr("&Reconnect"));
    m_canvas->setAccessibleName(VncCanvas::tr("Remote desktop"));
    updateMessage();
    updateStatus();
}

void VncView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

VncView::~VncView() {
    m_vnc->close();
}

QWidget* VncView::canvas() const {
    return m_canvas;
}

QString VncView::statusText() const {
    return m_status->text();
}

QString VncView::messageText() const {
    return m_pages->currentIndex() == 0 ? m_message->text() : QString();
}

bool VncView::scaledToFit() const {
    return m_canvas->scaled();
}

bool VncView::viewOnly() const {
    return m_canvas->viewOnly();
}

QPoint VncView::canvasPointFor(QPoint remote) const {
    const QRect t = m_canvas->target();
    const QSize frame = m_vnc->frameSize();
    if (t.isEmpty())
        return {};
    // The middle of the canvas pixel that shows the remote pixel.
    return {t.x() + int((remote.x() + 0.5) * t.width() / frame.width()),
            t.y() + int((remote.y() + 0.5) * t.height() / frame.height())};
}

void VncView::addToolButton(QAbstractButton* button) {
    m_toolbar->insertWidget(4, button);
}

void VncView::setSandbox(const QString& id) {
    if (id == m_id)
        return;
    disconnectFromDesktop();
    m_id = id;
    showMessage(id.isEmpty() ? Message::NoSandbox : Message::NotConnected);
}

void VncView::showMessage(Message message, const QString& detail) {
    m_shown = message;
    m_shownDetail = detail;
    updateMessage();
    m_pages->setCurrentIndex(0);
    updateStatus();
}

void VncView::updateMessage() {
    QString text;
    bool offerStart = false;
    bool offerReconnect = false;
    switch (m_shown) {
    case Message::NoSandbox:
        text = tr("No sandbox chosen.");
        break;
    case Message::NotConnected:
        text = tr("Not connected.");
        offerReconnect = true;
        break;
    case Message::Connecting:
        text = tr("Connecting to the desktop…");
        break;
    case Message::NotRunning:
        text = tr("The desktop of this sandbox is not running. Start it to see and use it here.");
        offerStart = true;
        break;
    case Message::Unreachable:
        text = tr("Cannot reach the desktop: %1").arg(m_shownDetail);
        offerReconnect = true;
        break;
    case Message::Starting:
        text = tr("Starting the desktop…");
        break;
    case Message::StartFailed:
        text = tr("The desktop did not start: %1").arg(m_shownDetail);
        offerStart = true;
        break;
    case Message::Disconnected:
        text = tr("Disconnected: %1").arg(m_shownDetail);
        offerReconnect = true;
        break;
    case Message::CannotShow:
        text = tr("Cannot show the desktop: %1").arg(m_shownDetail);
        offerReconnect = true;
        break;
    }
    m_message->setText(text);
    m_start->setVisible(offerStart);
    m_retry->setVisible(offerReconnect);
}

void VncView::connectToDesktop() {
    if (m_id.isEmpty())
        return;
    m_vnc->close();
    const int attempt = ++m_attempt;
    const QString id = m_id;
    showMessage(Message::Connecting);
    m_client->get(QStringLiteral("/toolbox/%1/computeruse/vnc/password").arg(id), this,
                  [this, attempt, id](const app::ApiResult& r) {
                      if (attempt != m_attempt || id != m_id)
                          return;
                      if (!r.ok) {
                          if (r.status == kDesktopNotRunning)
                              showMessage(Message::NotRunning);
                          else
                              showMessage(Message::Unreachable, r.error);
                          return;
                      }
                      QNetworkRequest tunnel =
                          m_client->request(QStringLiteral("/toolbox/%1/computeruse/vnc").arg(id));
                      QUrl url = tunnel.url();
                      url.setScheme(url.scheme() == QLatin1String("https") ? QStringLiteral("wss")
                                                                           : QStringLiteral("ws"));
                      tunnel.setUrl(url);
                      m_vnc->open(tunnel, r.json.object().value(QStringLiteral("password")).toString());
                  });
}

void VncView::disconnectFromDesktop() {
    ++m_attempt;
    m_canvas->releaseAll();
    m_vnc->close();
    if (!m_id.isEmpty())
        showMessage(Message::NotConnected);
}

void VncView::startDesktop() {
    if (m_id.isEmpty())
        return;
    const int attempt = ++m_attempt;
    const QString id = m_id;
    showMessage(Message::Starting);
    m_client->post(QStringLiteral("/toolbox/%1/computeruse/start").arg(id), {}, this,
                   [this, attempt, id](const app::ApiResult& r) {
                       if (attempt != m_attempt || id != m_id)
                           return;
                       if (!r.ok) {
                           showMessage(Message::StartFailed, r.error);
                           return;
                       }
                       connectToDesktop();
                   });
}

void VncView::setScaledToFit(bool on) {
    m_fit->setChecked(on);
    m_scroll->setWidgetResizable(on);
    m_canvas->setScaled(on);
}

void VncView::setViewOnly(bool on) {
    m_viewOnly->setChecked(on);
    m_canvas->setViewOnly(on);
    m_ctrlAltDel->setEnabled(!on);
}

void VncView::sendCtrlAltDel() {
    if (m_vnc->state() != VncClient::State::Connected || viewOnly())
        return;
    for (const quint32 k : {kControl, kAlt, kDelete})
        m_vnc->sendKey(k, true);
    for (const quint32 k : {kDelete, kAlt, kControl})
        m_vnc->sendKey(k, false);
}

void VncView::onState(VncClient::State state) {
    switch (state) {
    case VncClient::State::Connected:
        m_pages->setCurrentIndex(1);
        m_canvas->setFocus(Qt::OtherFocusReason);
        break;
    case VncClient::State::Disconnected:
        showMessage(Message::Disconnected, m_vnc->errorText());
        break;
    case VncClient::State::Failed:
        showMessage(Message::CannotShow, m_vnc->errorText());
        break;
    default:
        break;
    }
    updateStatus();
    emit stateChanged(state);
}

void VncView::updateStatus() {
    const bool connected = m_vnc->state() == VncClient::State::Connected;
    const QSize size = m_vnc->frameSize();
    m_status->setText(connected ? tr("Connected · %1×%2").arg(size.width()).arg(size.height())
                      : m_vnc->state() == VncClient::State::Connecting ? tr("Connecting…")
                                                                       : tr("Not connected"));
    m_ctrlAltDel->setEnabled(connected && !viewOnly());
    m_reconnect->setEnabled(!m_id.isEmpty());
}

} // namespace cove::ui
