// The terminal opens when its tab is shown for a known playground sandbox, or on request (which makes
// the sandbox first); a replaced sandbox gets a new shell the next time the tab is shown.
#include "ui/pages/playground/PlaygroundPage.h"

#include "ui/pages/playground/PlaygroundSandbox.h"
#include "ui/pages/playground/SandboxTab.h"
#include "ui/pages/playground/VncTab.h"
#include "ui/widgets/PageKit.h"
#include "ui/widgets/TerminalView.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace cove::ui::playground {

PlaygroundPage::PlaygroundPage(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_client(client)
    , m_sandbox(new PlaygroundSandbox(client, this))
    , m_tabs(new QTabWidget(this))
    , m_sandboxTab(new SandboxTab(client, m_sandbox, m_tabs))
    , m_terminalTab(new QWidget(m_tabs))
    , m_terminal(new TerminalView(client, m_terminalTab))
    , m_terminalMessage(new QLabel(m_terminalTab))
    , m_openTerminal(new QPushButton(m_terminalTab))
    , m_vnc(new VncTab(m_sandbox, m_sandboxTab, m_tabs))
    , m_title(kit::pageTitle(QString(), this))
    , m_intro(kit::pageIntro(QString(), this)) {
    m_terminalMessage->setWordWrap(true);
    m_terminal->setDetachable(false);
    connect(m_openTerminal, &QPushButton::clicked, this, &PlaygroundPage::openTerminal);
    auto* head = new QHBoxLayout;
    head->addWidget(m_terminalMessage, 1);
    head->addWidget(m_openTerminal);
    auto* terminalLayout = new QVBoxLayout(m_terminalTab);
    terminalLayout->setContentsMargins(0, 0, 0, 0);
    terminalLayout->addLayout(head);
    terminalLayout->addWidget(m_terminal, 1);

    for (QWidget* tab : {static_cast<QWidget*>(m_sandboxTab), m_terminalTab, static_cast<QWidget*>(m_vnc)})
        m_tabs->addTab(tab, QString()); // named by retranslateUi
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_terminalTab)
            terminalShown();
    });
    connect(m_sandbox, &PlaygroundSandbox::sandboxChanged, this, [this] {
        if (isVisible() && m_tabs->currentWidget() == m_terminalTab)
            terminalShown();
    });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_intro);
    layout->addWidget(m_tabs, 1);
    retranslateUi();
}

void PlaygroundPage::retranslateUi() {
    m_title->setText(tr("Playground"));
    m_intro->setText(tr("Try sandboxes without writing a program: run code and commands, work "
                        "with files and Git, open a terminal or a desktop. Everything runs in "
                        "one playground sandbox that stops by itself when left alone."));
    m_tabs->setTabText(0, tr("Sand&box"));
    m_tabs->setTabText(1, tr("&Terminal"));
    m_tabs->setTabText(2, tr("&VNC"));
    m_openTerminal->setText(m_terminalFor.isEmpty() ? tr("&Open a terminal") : tr("&Open a new terminal"));
    showTerminalMessage();
}

void PlaygroundPage::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void PlaygroundPage::showTerminalMessage() {
    if (m_preparing)
        m_terminalMessage->setText(tr("Preparing the playground sandbox…"));
    else if (!m_terminalError.isEmpty())
        m_terminalMessage->setText(m_terminalError);
    else if (!m_terminalFor.isEmpty())
        m_terminalMessage->setText(
            tr("A shell in the playground sandbox %1. Open a new one with the button.").arg(m_terminalFor));
    else
        m_terminalMessage->setText(tr("A shell in the playground sandbox. It is created with the Management "
                                      "parameters of the Sandbox tab when there is none yet."));
}

void PlaygroundPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh();
}

void PlaygroundPage::refresh() {
    m_sandboxTab->loadSnapshots();
    m_sandbox->lookUp();
}

void PlaygroundPage::terminalShown() {
    const QString id = m_sandbox->id();
    if (id.isEmpty() || id == m_terminalFor)
        return;
    openTerminal();
}

void PlaygroundPage::openTerminal() {
    m_openTerminal->setEnabled(false);
    m_preparing = true;
    m_terminalError.clear();
    showTerminalMessage();
    m_sandbox->ensure(m_sandboxTab->params(), [this](const QString& error, const QJsonObject&) {
        m_openTerminal->setEnabled(true);
        m_preparing = false;
        m_terminalError = error;
        if (error.isEmpty())
            m_terminalFor = m_sandbox->id();
        retranslateUi();
        if (!error.isEmpty())
            return;
        m_terminal->openSandbox(m_terminalFor);
    });
}

} // namespace cove::ui::playground
