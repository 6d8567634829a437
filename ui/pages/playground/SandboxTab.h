// The Playground's Sandbox tab: parameter groups on the left (Management, File system, Git, Process &
// code execution), the code editor with Run and Stop, the output, and the SDK code for the last action.
#pragma once

#include "ui/pages/playground/SdkSnippet.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QNetworkReply>
#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace cove::app {
class ApiClient;
}

namespace cove::ui::playground {

class CodeHighlighter;
class OutputPane;
class PlaygroundSandbox;
class SnippetView;

class SandboxTab : public QWidget {
    Q_OBJECT
public:
    SandboxTab(app::ApiClient* client, PlaygroundSandbox* sandbox, QWidget* parent = nullptr);

    SandboxParams params() const;
    // The sample a language's editor starts with.
    static QString sample(const QString& language);

    QComboBox* languageBox() const { return m_language; }
    QComboBox* snapshotBox() const { return m_snapshot; }
    QSpinBox* timeoutBox() const { return m_timeout; }
    QSpinBox* cpuBox() const { return m_cpu; }
    QPlainTextEdit* editor() const { return m_editor; }
    CodeHighlighter* highlighter() const { return m_highlighter; }
    QPushButton* runButton() const { return m_run; }
    QPushButton* stopButton() const { return m_stop; }
    QLineEdit* pathEdit() const { return m_path; }
    QLineEdit* commandEdit() const { return m_command; }
    QPushButton* createFolderButton() const { return m_createFolder; }
    QPushButton* listButton() const { return m_list; }
    OutputPane* output() const { return m_output; }
    SnippetView* snippet() const { return m_snippet; }
    bool isBusy() const { return m_busy; }
    // The run under way sends its request (the sandbox is ready).
    bool isRunning() const { return m_reply != nullptr; }

public slots:
    void run();
    void stop();
    void runCommand();
    void createFolder();
    void listFiles();
    void deleteFile();
    void gitClone();
    void gitStatus();
    void gitBranches();
    // Picks a snapshot (the VNC tab asks for the desktop one).
    void setSnapshot(const QString& name);
    void loadSnapshots();

signals:
    void paramsChanged();

protected:
    void changeEvent(QEvent* event) override;

private:
    QWidget* buildParameters();
    void retranslateUi();
    // Which playground sandbox the parameters make, if there is one yet.
    void showSandboxLine();
    void languageChanged();
    void updateSnippet();
    ActionArgs args() const;
    void setBusy(bool on, const QString& text = {});
    // Makes the sandbox ready, then sends a code-run or an execute that Stop can end.
    void startRun(Action action, const QString& rest, QJsonObject body, const QString& what);
    void runFinished();
    // Makes the sandbox ready, then one toolbox call whose answer `show` turns into the output.
    using Show = std::function<void(const QJsonDocument&)>;
    void toolboxCall(Action action, const QByteArray& verb, const QString& rest, const QJsonObject& body,
                     const QString& what, Show show);
    bool needPath(const QString& what);

    app::ApiClient* m_client;
    PlaygroundSandbox* m_sandbox;
    QComboBox* m_language;
    QComboBox* m_snapshot;
    QSpinBox* m_cpu;
    QSpinBox* m_memory;
    QSpinBox* m_disk;
    QSpinBox* m_autoStop;
    QSpinBox* m_autoArchive;
    QSpinBox* m_autoDelete;
    QLabel* m_sandboxLine;
    // The headers of the parameter groups and the buttons inside them.
    QToolButton* m_managementHeader = nullptr;
    QToolButton* m_filesHeader = nullptr;
    QToolButton* m_gitHeader = nullptr;
    QToolButton* m_processHeader = nullptr;
    QPushButton* m_clone = nullptr;
    QPushButton* m_gitStatus = nullptr;
    QPushButton* m_branches = nullptr;
    QPushButton* m_execute = nullptr;
    QPushButton* m_codeRun = nullptr;
    QLineEdit* m_path;
    QPushButton* m_createFolder;
    QPushButton* m_list;
    QPushButton* m_delete;
    QLineEdit* m_gitUrl;
    QLineEdit* m_gitPath;
    QLineEdit* m_gitBranch;
    QLineEdit* m_command;
    QSpinBox* m_timeout;
    QPlainTextEdit* m_editor;
    CodeHighlighter* m_highlighter;
    QPushButton* m_run;
    QPushButton* m_stop;
    QProgressBar* m_progress;
    QLabel* m_progressText;
    OutputPane* m_output;
    SnippetView* m_snippet;

    Action m_action = Action::CodeRun;
    QString m_shownLanguage;
    bool m_busy = false;
    bool m_stopping = false;
    QPointer<QNetworkReply> m_reply;
    QString m_marker; // the environment mark of the run under way's processes
    QElapsedTimer m_clock;
};

} // namespace cove::ui::playground
