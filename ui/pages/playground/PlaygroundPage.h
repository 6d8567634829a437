// The Playground page: try a sandbox without writing a program. A Sandbox tab (parameters, code editor,
// Run, output, SDK code), a Terminal tab and a VNC tab, all on one playground sandbox.
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTabWidget;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {
class TerminalView;
}

namespace cove::ui::playground {

class PlaygroundSandbox;
class SandboxTab;
class VncTab;

class PlaygroundPage : public QWidget {
    Q_OBJECT
public:
    explicit PlaygroundPage(app::ApiClient* client, QWidget* parent = nullptr);

    QTabWidget* tabs() const { return m_tabs; }
    SandboxTab* sandboxTab() const { return m_sandboxTab; }
    VncTab* vncTab() const { return m_vnc; }
    TerminalView* terminal() const { return m_terminal; }
    PlaygroundSandbox* sandbox() const { return m_sandbox; }

public slots:
    // Reads the snapshots and looks for an existing playground sandbox.
    void refresh();
    // Makes the playground sandbox ready and opens a shell in it.
    void openTerminal();

protected:
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void showTerminalMessage();

    void terminalShown();

    app::ApiClient* m_client;
    PlaygroundSandbox* m_sandbox;
    QTabWidget* m_tabs;
    SandboxTab* m_sandboxTab;
    QWidget* m_terminalTab;
    TerminalView* m_terminal;
    QLabel* m_terminalMessage;
    QPushButton* m_openTerminal;
    VncTab* m_vnc;
    QLabel* m_title;
    QLabel* m_intro;
    QString m_terminalFor;
    bool m_preparing = false; // the sandbox for the terminal is being made
    QString m_terminalError;  // why the last terminal could not open, in the service's words
};

} // namespace cove::ui::playground
