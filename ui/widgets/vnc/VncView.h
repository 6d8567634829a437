// The desktop of a sandbox, live: a VncClient through coved's computer-use tunnel, drawn scaled to fit or
// 1:1, with mouse, keyboard (special keys and Ctrl+Alt+Del included), the clipboard both ways, a
// view-only switch and reconnect. When the sandbox's desktop is not running it says so and offers to
// start it; an image without a desktop is explained.
#pragma once

#include "ui/widgets/vnc/VncClient.h"

#include <QHash>
#include <QWidget>

class QAbstractButton;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QScrollArea;
class QStackedWidget;
class QToolButton;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class VncCanvas;

class VncView : public QWidget {
    Q_OBJECT
public:
    explicit VncView(app::ApiClient* client, QWidget* parent = nullptr);
    ~VncView() override;

    void setSandbox(const QString& id);
    QString sandboxId() const { return m_id; }
    VncClient* vnc() const { return m_vnc; }
    QWidget* canvas() const;
    QString statusText() const;
    QString messageText() const;
    QPushButton* startButton() const { return m_start; }
    bool scaledToFit() const;
    bool viewOnly() const;
    // Where a point of the remote screen is drawn in canvas() coordinates.
    QPoint canvasPointFor(QPoint remote) const;
    // Puts a button (such as "Open in a Window") on the view's toolbar.
    void addToolButton(QAbstractButton* button);

public slots:
    // Asks coved for the desktop's VNC password and opens the tunnel; explains what stops it.
    void connectToDesktop();
    void disconnectFromDesktop();
    // Starts the sandbox's desktop processes, then connects.
    void startDesktop();
    void setScaledToFit(bool on);
    void setViewOnly(bool on);
    void sendCtrlAltDel();

signals:
    void stateChanged(cove::ui::VncClient::State state);

protected:
    void changeEvent(QEvent* event) override;

private:
    // What the message page says; kept as a kind plus its detail, so a new language can say it again.
    enum class Message {
        NoSandbox,
        NotConnected,
        Connecting,
        NotRunning,
        Unreachable,
        Starting,
        StartFailed,
        Disconnected,
        CannotShow
    };
    void retranslateUi();
    // Shows the message page with `message`; `detail` is the reason, in the words it came in.
    void showMessage(Message message, const QString& detail = {});
    void updateMessage();
    void onState(VncClient::State state);
    void updateStatus();

    app::ApiClient* m_client;
    VncClient* m_vnc;
    QString m_id;
    QLabel* m_status;
    QHBoxLayout* m_toolbar;
    QToolButton* m_fit;
    QToolButton* m_viewOnly;
    QToolButton* m_ctrlAltDel;
    QToolButton* m_reconnect;
    QStackedWidget* m_pages;
    QLabel* m_message;
    QPushButton* m_start;
    QPushButton* m_retry;
    QScrollArea* m_scroll;
    VncCanvas* m_canvas;
    Message m_shown = Message::NoSandbox;
    QString m_shownDetail;
    QString m_remoteClipboard; // the last text the desktop sent: not echoed back
    int m_attempt = 0;         // answers to an older connect are ignored
};

// Draws the frame and turns mouse and keys into RFB input.
class VncCanvas : public QWidget {
    Q_OBJECT
public:
    explicit VncCanvas(VncClient* vnc, QWidget* parent);
    void setScaled(bool on);
    bool scaled() const { return m_scaled; }
    void setViewOnly(bool on);
    bool viewOnly() const { return m_viewOnly; }
    QRect target() const; // where the frame is drawn
    QPoint toRemote(QPoint local) const;
    void releaseAll();

protected:
    void paintEvent(QPaintEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void wheelEvent(QWheelEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;
    void keyReleaseEvent(QKeyEvent* e) override;
    void focusOutEvent(QFocusEvent* e) override;
    bool event(QEvent* e) override;
    bool focusNextPrevChild(bool) override { return false; } // Tab belongs to the desktop

private:
    void sendMouse(QMouseEvent* e);
    bool live() const;

    VncClient* m_vnc;
    bool m_scaled = true;
    bool m_viewOnly = false;
    int m_buttons = 0;
    QHash<quint32, quint32> m_pressed; // the keysym sent per key, so releases match presses
};

} // namespace cove::ui
