// A sandbox's terminal in the dashboard: coved's web terminal page (xterm.js) in a QWebEngineView, with
// a short-lived token asked for over the API and injected into the page (never put in its URL).
#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QWebEngineView;
class QToolButton;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class TerminalView : public QWidget {
    Q_OBJECT
public:
    explicit TerminalView(app::ApiClient* client, QWidget* parent = nullptr);

    // Opens a new shell in the sandbox (asks coved for a token, then loads the page).
    void openSandbox(const QString& sandboxId);
    QString sandboxId() const { return m_sandboxId; }
    // Shows or hides the Detach button (a detached view has nowhere further to go).
    void setDetachable(bool on);
    QWebEngineView* webView() const { return m_view; }

public slots:
    // A new shell in the same sandbox, with a fresh token.
    void newSession();
    void copySelection();
    void paste();
    // Moves this view, with its live session, into a window of its own.
    void detach();

signals:
    // The view left its parent for a TerminalWindow.
    void detached(const QString& sandboxId);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void requestToken(bool reload);
    void injectConfig(const QString& token, const QString& socketUrl);
    void watchFocusProxy();
    void showContextMenu(const QPoint& pos);

    app::ApiClient* m_client;
    QWebEngineView* m_view;
    QLabel* m_message;
    QToolButton* m_detach;
    QAction* m_newSessionAction;
    QAction* m_copyAction;
    QAction* m_pasteAction;
    QAction* m_detachAction;
    QString m_sandboxId;
    bool m_loaded = false;
};

} // namespace cove::ui
