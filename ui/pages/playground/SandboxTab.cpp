// Every call is asynchronous: first the playground sandbox is made ready (found, started or created),
// then the toolbox call. Runs use their own request so Stop can abort it and end the processes.
#include "ui/pages/playground/SandboxTab.h"

#include "app/ApiClient.h"
#include "ui/pages/playground/CodeHighlighter.h"
#include "ui/pages/playground/OutputPane.h"
#include "ui/pages/playground/PlaygroundSandbox.h"
#include "ui/pages/playground/SnippetView.h"
#include "ui/widgets/PageKit.h"

#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QToolButton>
#include <QUrl>
#include <QUuid>
#include <QVBoxLayout>

namespace cove::ui::playground {

namespace {
constexpr int kMinutesPerDay = 24 * 60;

QSpinBox* spin(int min, int max, int value, QWidget* parent) {
    auto* s = new QSpinBox(parent);
    s->setRange(min, max);
    s->setValue(value);
    return s;
}

// A group whose body folds away under its header button (titled by the caller).
QWidget* section(QToolButton* header, QWidget* body, QWidget* parent) {
    auto* box = new QWidget(parent);
    header->setParent(box);
    header->setCheckable(true);
    header->setChecked(true);
    header->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    header->setArrowType(Qt::DownArrow);
    header->setAutoRaise(true);
    QFont bold = header->font();
    bold.setBold(true);
    header->setFont(bold);
    header->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    QObject::connect(header, &QToolButton::toggled, body, [header, body](bool open) {
        header->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        body->setVisible(open);
    });
    body->setParent(box);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(header);
    layout->addWidget(body);
    return box;
}

QString query(const QString& value) {
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

// Ends every process that carries `marker` in its environment (the run and whatever it started).
QString killScript(const QString& marker) {
    return QStringLiteral("grep -lsa -- '%1' /proc/[0-9]*/environ | cut -d/ -f3 | xargs -r kill -9; true")
        .arg(marker);
}

QString fileLine(const QJsonObject& f) {
    const bool dir = f.value(QStringLiteral("isDir")).toBool();
    return QStringLiteral("%1  %2  %3  %4")
        .arg(f.value(QStringLiteral("mode")).toString(), -10)
        .arg(dir ? QString()
                 : QLocale().formattedDataSize(qint64(f.value(QStringLiteral("size")).toDouble())),
             10)
        .arg(f.value(QStringLiteral("modTime")).toString(), -25)
        .arg(f.value(QStringLiteral("name")).toString() + (dir ? QStringLiteral("/") : QString()));
}
} // namespace

SandboxTab::SandboxTab(app::ApiClient* client, PlaygroundSandbox* sandbox, QWidget* parent)
    : QWidget(parent)
    , m_client(client)
    , m_sandbox(sandbox)
    , m_language(new QComboBox(this))
    , m_snapshot(new QComboBox(this))
    , m_cpu(spin(1, 64, 1, this))
    , m_memory(spin(1, 256, 1, this))
    , m_disk(spin(1, 1024, 3, this))
    , m_autoStop(spin(0, 1 << 30, 15, this))
    , m_autoArchive(spin(0, 1 << 30, 7 * kMinutesPerDay, this))
    , m_autoDelete(spin(-1, 1 << 30, -1, this))
    , m_sandboxLine(new QLabel(this))
    , m_path(new QLineEdit(QStringLiteral("playground"), this))
    , m_createFolder(new QPushButton(this))
    , m_list(new QPushButton(this))
    , m_delete(new QPushButton(this))
    , m_gitUrl(new QLineEdit(this))
    , m_gitPath(new QLineEdit(QStringLiteral("repo"), this))
    , m_gitBranch(new QLineEdit(this))
    , m_command(new QLineEdit(QStringLiteral("uname -a && python3 --version"), this))
    , m_timeout(spin(0, 24 * 3600, 300, this))
    , m_editor(new QPlainTextEdit(this))
    , m_highlighter(new CodeHighlighter(m_editor->document()))
    , m_run(new QPushButton(this))
    , m_stop(new QPushButton(this))
    , m_progress(new QProgressBar(this))
    , m_progressText(new QLabel(this))
    , m_output(new OutputPane(this))
    , m_snippet(new SnippetView(this)) {
    m_language->addItem(QStringLiteral("Python"), QStringLiteral("python"));
    m_language->addItem(QStringLiteral("JavaScript"), QStringLiteral("javascript"));
    m_language->addItem(QStringLiteral("TypeScript"), QStringLiteral("typescript"));
    m_snapshot->addItem(QStringLiteral("cove-base"));
    m_sandboxLine->setWordWrap(true);
    m_sandboxLine->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setTabStopDistance(4 * m_editor->fontMetrics().horizontalAdvance(QLatin1Char(' ')));
    m_shownLanguage = QStringLiteral("python");
    m_editor->setPlainText(sample(m_shownLanguage));

    m_run->setDefault(false);
    m_stop->setEnabled(false);
    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(120);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_progressText->setWordWrap(true);
    auto* runShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    runShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(runShortcut, &QShortcut::activated, this, &SandboxTab::run);
    auto* enterShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), this);
    enterShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(enterShortcut, &QShortcut::activated, this, &SandboxTab::run);
    auto* stopShortcut = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_Escape), this);
    stopShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(stopShortcut, &QShortcut::activated, this, &SandboxTab::stop);
    connect(m_run, &QPushButton::clicked, this, &SandboxTab::run);
    connect(m_stop, &QPushButton::clicked, this, &SandboxTab::stop);

    // The editor, Run and Stop above; the output and the SDK code side by side below.
    auto* editorPane = new QWidget(this);
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(m_run);
    runRow->addWidget(m_stop);
    runRow->addWidget(m_progress);
    runRow->addWidget(m_progressText, 1);
    auto* editorLayout = new QVBoxLayout(editorPane);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->addLayout(runRow);
    editorLayout->addWidget(m_editor, 1);
    auto* bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(m_output);
    bottom->addWidget(m_snippet);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);
    bottom->setChildrenCollapsible(false);
    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(editorPane);
    right->addWidget(bottom);
    right->setStretchFactor(0, 2);
    right->setStretchFactor(1, 3);
    right->setSizes({320, 520});
    right->setChildrenCollapsible(false);

    auto* scroll = new QScrollArea(this);
    scroll->setWidget(buildParameters());
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(300);
    scroll->setMaximumWidth(380);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(scroll);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_language, &QComboBox::currentIndexChanged, this, &SandboxTab::languageChanged);
    for (QSpinBox* s : {m_cpu, m_memory, m_disk, m_autoStop, m_autoArchive, m_autoDelete, m_timeout})
        connect(s, &QSpinBox::valueChanged, this, &SandboxTab::paramsChanged);
    connect(m_snapshot, &QComboBox::currentTextChanged, this, &SandboxTab::paramsChanged);
    connect(this, &SandboxTab::paramsChanged, this, &SandboxTab::updateSnippet);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &SandboxTab::updateSnippet);
    for (QLineEdit* e : {m_path, m_gitUrl, m_gitPath, m_gitBranch, m_command})
        connect(e, &QLineEdit::textChanged, this, &SandboxTab::updateSnippet);
    connect(m_sandbox, &PlaygroundSandbox::sandboxChanged, this, &SandboxTab::showSandboxLine);
    // The parameters take the values of a playground sandbox found from an earlier session.
    connect(m_sandbox, &PlaygroundSandbox::foundEarlier, this, [this](const QJsonObject& dto) {
        setSnapshot(dto.value(QStringLiteral("snapshot")).toString());
        m_cpu->setValue(dto.value(QStringLiteral("cpu")).toInt(m_cpu->value()));
        m_memory->setValue(dto.value(QStringLiteral("memory")).toInt(m_memory->value()));
        m_disk->setValue(dto.value(QStringLiteral("disk")).toInt(m_disk->value()));
    });
    connect(m_sandbox, &PlaygroundSandbox::progress, this, [this](const QString& text) {
        if (m_busy && !text.isEmpty())
            m_progressText->setText(text);
    });
    retranslateUi();
    updateSnippet();
}

void SandboxTab::retranslateUi() {
    m_cpu->setSuffix(tr(" vCPU"));
    m_memory->setSuffix(tr(" GiB"));
    m_disk->setSuffix(tr(" GiB"));
    for (QSpinBox* s : {m_autoStop, m_autoArchive, m_autoDelete})
        s->setSuffix(tr(" min"));
    m_timeout->setSuffix(tr(" s"));
    m_autoStop->setSpecialValueText(tr("never"));
    m_autoArchive->setSpecialValueText(tr("as soon as it stops"));
    m_autoDelete->setSpecialValueText(tr("never"));
    m_autoStop->setToolTip(
        tr("Minutes without activity before the playground sandbox stops; 0 keeps it running."));
    m_autoArchive->setToolTip(tr("Minutes stopped before the sandbox is archived."));
    m_autoDelete->setToolTip(tr("Minutes stopped before the sandbox is deleted; -1 never, 0 as it stops."));
    m_timeout->setSpecialValueText(tr("none"));
    m_timeout->setToolTip(
        tr("Seconds a run or command may take before the sandbox ends it; 0 for no limit."));
    m_editor->setAccessibleName(tr("Code"));
    m_run->setText(tr("&Run"));
    m_run->setToolTip(tr("Run the code in the playground sandbox (Ctrl+Return)"));
    m_stop->setText(tr("&Stop"));
    m_stop->setToolTip(tr("Stop the run: end its request and its processes (Shift+Esc)"));

    m_managementHeader->setText(tr("Management"));
    kit::setFormLabel(m_language, tr("&Language"));
    kit::setFormLabel(m_snapshot, tr("S&napshot"));
    kit::setFormLabel(m_cpu, tr("C&PU"));
    kit::setFormLabel(m_memory, tr("M&emory"));
    kit::setFormLabel(m_disk, tr("Dis&k"));
    kit::setFormLabel(m_autoStop, tr("Auto-s&top after"));
    kit::setFormLabel(m_autoArchive, tr("Auto-&archive after"));
    kit::setFormLabel(m_autoDelete, tr("Auto-d&elete after"));
    showSandboxLine();

    m_filesHeader->setText(tr("File system"));
    m_path->setPlaceholderText(tr("relative to the home folder, or absolute"));
    kit::setFormLabel(m_path, tr("Pat&h"));
    m_createFolder->setText(tr("Create f&older"));
    m_list->setText(tr("L&ist"));
    m_delete->setText(tr("&Delete…"));

    m_gitHeader->setText(tr("Git"));
    m_gitUrl->setPlaceholderText(tr("e.g. https://github.com/octocat/Hello-World.git"));
    m_gitBranch->setPlaceholderText(tr("default branch"));
    kit::setFormLabel(m_gitUrl, tr("Repository &URL"));
    kit::setFormLabel(m_gitPath, tr("Clone &into"));
    kit::setFormLabel(m_gitBranch, tr("&Branch"));
    m_clone->setText(tr("&Clone"));
    m_gitStatus->setText(tr("Stat&us"));
    m_branches->setText(tr("Branc&hes"));

    m_processHeader->setText(tr("Process && code execution"));
    kit::setFormLabel(m_command, tr("Co&mmand"));
    kit::setFormLabel(m_timeout, tr("T&imeout"));
    m_execute->setText(tr("Run c&ommand"));
    m_codeRun->setText(tr("Run &code (Ctrl+Return)"));
}

void SandboxTab::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void SandboxTab::showSandboxLine() {
    m_sandboxLine->setText(
        m_sandbox->id().isEmpty()
            ? tr("No playground sandbox yet: the first Run creates one.")
            : tr("Playground sandbox: %1 (from %2)").arg(m_sandbox->id(), m_sandbox->snapshot()));
}

QWidget* SandboxTab::buildParameters() {
    auto* panel = new QWidget(this);
    auto* layout = new QVBoxLayout(panel);

    auto* management = new QWidget(panel);
    auto* m = new QFormLayout(management);
    for (QWidget* field : std::initializer_list<QWidget*>{m_language, m_snapshot, m_cpu, m_memory, m_disk,
                                                          m_autoStop, m_autoArchive, m_autoDelete})
        kit::addFormRow(m, field);
    m->addRow(m_sandboxLine);
    m_managementHeader = new QToolButton(panel);
    layout->addWidget(section(m_managementHeader, management, panel));

    auto* files = new QWidget(panel);
    auto* f = new QFormLayout(files);
    kit::addFormRow(f, m_path);
    auto* fileButtons = new QHBoxLayout;
    fileButtons->addWidget(m_createFolder);
    fileButtons->addWidget(m_list);
    fileButtons->addWidget(m_delete);
    f->addRow(fileButtons);
    connect(m_createFolder, &QPushButton::clicked, this, &SandboxTab::createFolder);
    connect(m_list, &QPushButton::clicked, this, &SandboxTab::listFiles);
    connect(m_delete, &QPushButton::clicked, this, &SandboxTab::deleteFile);
    m_filesHeader = new QToolButton(panel);
    layout->addWidget(section(m_filesHeader, files, panel));

    auto* git = new QWidget(panel);
    auto* g = new QFormLayout(git);
    for (QLineEdit* field : {m_gitUrl, m_gitPath, m_gitBranch})
        kit::addFormRow(g, field);
    m_clone = new QPushButton(git);
    m_gitStatus = new QPushButton(git);
    m_branches = new QPushButton(git);
    auto* gitButtons = new QHBoxLayout;
    gitButtons->addWidget(m_clone);
    gitButtons->addWidget(m_gitStatus);
    gitButtons->addWidget(m_branches);
    g->addRow(gitButtons);
    connect(m_clone, &QPushButton::clicked, this, &SandboxTab::gitClone);
    connect(m_gitStatus, &QPushButton::clicked, this, &SandboxTab::gitStatus);
    connect(m_branches, &QPushButton::clicked, this, &SandboxTab::gitBranches);
    m_gitHeader = new QToolButton(panel);
    layout->addWidget(section(m_gitHeader, git, panel));

    auto* process = new QWidget(panel);
    auto* p = new QFormLayout(process);
    kit::addFormRow(p, m_command);
    kit::addFormRow(p, m_timeout);
    m_execute = new QPushButton(process);
    m_codeRun = new QPushButton(process);
    auto* processButtons = new QHBoxLayout;
    processButtons->addWidget(m_execute);
    processButtons->addWidget(m_codeRun);
    p->addRow(processButtons);
    connect(m_execute, &QPushButton::clicked, this, &SandboxTab::runCommand);
    connect(m_codeRun, &QPushButton::clicked, this, &SandboxTab::run);
    connect(m_command, &QLineEdit::returnPressed, this, &SandboxTab::runCommand);
    m_processHeader = new QToolButton(panel);
    layout->addWidget(section(m_processHeader, process, panel));
    layout->addStretch(1);
    return panel;
}

QString SandboxTab::sample(const QString& language) {
    if (language == QLatin1String("javascript"))
        return QStringLiteral("// Runs with Node.js in the sandbox.\n"
                              "const squares = Array.from({ length: 10 }, (_, i) => i * i)\n"
                              "console.log('Squares:', squares.join(', '))\n"
                              "console.log('Node', process.version, 'on', process.platform)\n");
    if (language == QLatin1String("typescript"))
        return QStringLiteral(
            "// Type-checked, then run with Node.js in the sandbox.\n"
            "interface Point {\n"
            "  x: number\n"
            "  y: number\n"
            "}\n"
            "const points: Point[] = [{ x: 3, y: 4 }, { x: 5, y: 12 }]\n"
            "const distance = (p: Point): number => Math.hypot(p.x, p.y)\n"
            "for (const p of points) console.log(`(${p.x}, ${p.y}) is ${distance(p)} from the origin`)\n");
    return QStringLiteral("# A chart with matplotlib: the Playground shows it under the output.\n"
                          "import math\n"
                          "import matplotlib.pyplot as plt\n"
                          "\n"
                          "xs = [i / 10 for i in range(63)]\n"
                          "plt.plot(xs, [math.sin(x) for x in xs], label=\"sin\")\n"
                          "plt.plot(xs, [math.cos(x) for x in xs], label=\"cos\")\n"
                          "plt.title(\"Waves\")\n"
                          "plt.legend()\n"
                          "plt.show()\n"
                          "print(\"Plotted\", len(xs), \"points\")\n");
}

SandboxParams SandboxTab::params() const {
    SandboxParams p;
    p.language = m_language->currentData().toString();
    p.snapshot = m_snapshot->currentText().trimmed();
    p.cpu = m_cpu->value();
    p.memory = m_memory->value();
    p.disk = m_disk->value();
    p.autoStop = m_autoStop->value();
    p.autoArchive = m_autoArchive->value();
    p.autoDelete = m_autoDelete->value();
    return p;
}

void SandboxTab::setSnapshot(const QString& name) {
    if (m_snapshot->findText(name) < 0)
        m_snapshot->addItem(name);
    m_snapshot->setCurrentText(name);
}

void SandboxTab::loadSnapshots() {
    m_client->get(QStringLiteral("/api/snapshots?page=1&limit=200"), this, [this](const app::ApiResult& r) {
        if (!r.ok)
            return; // the combo keeps what it has; a run reports the service's words
        const QString current = m_snapshot->currentText();
        QStringList names;
        for (const auto& v : r.json.object().value(QStringLiteral("items")).toArray()) {
            const QJsonObject s = v.toObject();
            if (s.value(QStringLiteral("state")).toString() == QLatin1String("active"))
                names << s.value(QStringLiteral("name")).toString();
        }
        if (names.isEmpty())
            return;
        names.sort();
        const QSignalBlocker block(m_snapshot);
        m_snapshot->clear();
        m_snapshot->addItems(names);
        if (m_snapshot->findText(current) < 0)
            m_snapshot->addItem(current);
        m_snapshot->setCurrentText(current);
    });
}

void SandboxTab::languageChanged() {
    const QString language = m_language->currentData().toString();
    // The sample follows the language unless the user changed it.
    const QString code = m_editor->toPlainText();
    if (code.trimmed().isEmpty() || code == sample(m_shownLanguage))
        m_editor->setPlainText(sample(language));
    m_shownLanguage = language;
    m_highlighter->setLanguage(language);
    emit paramsChanged();
}

ActionArgs SandboxTab::args() const {
    ActionArgs a;
    a.code = m_editor->toPlainText();
    a.command = m_command->text();
    a.timeout = m_timeout->value();
    a.path = m_action == Action::GitClone || m_action == Action::GitStatus || m_action == Action::GitBranches
                 ? m_gitPath->text()
                 : m_path->text();
    a.url = m_gitUrl->text();
    a.branch = m_gitBranch->text();
    return a;
}

void SandboxTab::updateSnippet() {
    m_snippet->show(params(), m_action, args());
}

void SandboxTab::setBusy(bool on, const QString& text) {
    m_busy = on;
    m_progress->setVisible(on);
    m_progressText->setText(text);
    m_run->setEnabled(!on);
    m_stop->setEnabled(on && (m_action == Action::CodeRun || m_action == Action::Command));
}

void SandboxTab::run() {
    if (m_busy)
        return;
    const QString code = m_editor->toPlainText();
    if (code.trimmed().isEmpty()) {
        m_output->showError(tr("Nothing to run"), tr("Write some code in the editor first."));
        return;
    }
    QJsonObject body{{QStringLiteral("code"), code}, {QStringLiteral("language"), params().language}};
    startRun(Action::CodeRun, QStringLiteral("/process/code-run"), body, tr("Running the code…"));
}

void SandboxTab::runCommand() {
    if (m_busy)
        return;
    const QString command = m_command->text().trimmed();
    if (command.isEmpty()) {
        m_output->showError(tr("No command"), tr("Type a command, e.g. ls -la, first."));
        m_command->setFocus();
        return;
    }
    startRun(Action::Command, QStringLiteral("/process/execute"), {{QStringLiteral("command"), command}},
             tr("Running the command…"));
}

void SandboxTab::startRun(Action action, const QString& rest, QJsonObject body, const QString& what) {
    m_action = action;
    updateSnippet();
    m_stopping = false;
    m_marker = QStringLiteral("COVE_PLAYGROUND_RUN=") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    body.insert(QStringLiteral("timeout"), m_timeout->value());
    body.insert(QStringLiteral("envs"), QJsonObject{{m_marker.section(QLatin1Char('='), 0, 0),
                                                     m_marker.section(QLatin1Char('='), 1)}});
    setBusy(true, tr("Preparing the playground sandbox…"));
    m_output->showBusy(what);
    QPointer<SandboxTab> self(this);
    m_sandbox->ensure(params(), [self, rest, body, what](const QString& error, const QJsonObject&) {
        if (!self)
            return;
        if (self->m_stopping) {
            self->setBusy(false);
            self->m_output->showText(tr("Stopped"), tr("The run was stopped before it started."));
            return;
        }
        if (!error.isEmpty()) {
            self->setBusy(false);
            self->m_output->showError(tr("The playground sandbox is not ready"), error);
            return;
        }
        QNetworkRequest req =
            self->m_client->request(QStringLiteral("/toolbox/%1%2").arg(self->m_sandbox->id(), rest));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        req.setTransferTimeout(0); // a run may be silent for as long as its own timeout allows
        self->m_progressText->setText(what);
        self->m_clock.start();
        self->m_reply =
            self->m_client->network()->post(req, QJsonDocument(body).toJson(QJsonDocument::Compact));
        self->m_reply->setParent(self);
        connect(self->m_reply, &QNetworkReply::finished, self, &SandboxTab::runFinished);
    });
}

void SandboxTab::runFinished() {
    QNetworkReply* reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    const qint64 elapsed = m_clock.elapsed();
    setBusy(false);
    if (m_stopping)
        return; // stop() reports
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray data = reply->readAll();
    if (status == 200) {
        const QJsonObject o = QJsonDocument::fromJson(data).object();
        m_output->showRun(
            o.value(QStringLiteral("exitCode")).toInt(), elapsed,
            o.value(QStringLiteral("result")).toString(),
            o.value(QStringLiteral("artifacts")).toObject().value(QStringLiteral("charts")).toArray());
        return;
    }
    const QString error = m_client->errorText(status, data, reply->url().path(), reply->errorString());
    m_output->showError(status == 408 ? tr("Timed out after %1 s").arg(m_timeout->value())
                                      : tr("The run failed"),
                        status == 408 ? error + QLatin1Char('\n') +
                                            tr("Raise the Timeout under Process & code "
                                               "execution, or set it to none.")
                                      : error);
}

void SandboxTab::stop() {
    if (!m_busy || (m_action != Action::CodeRun && m_action != Action::Command))
        return;
    m_stopping = true;
    m_stop->setEnabled(false);
    if (!m_reply) {
        m_progressText->setText(tr("Stopping once the sandbox is ready…"));
        return; // the sandbox is still being made ready; the run will not be sent
    }
    const qint64 elapsed = m_clock.elapsed();
    m_reply->abort(); // runFinished() clears the busy state
    m_output->showBusy(tr("Stopping: ending the run's processes…"));
    QPointer<SandboxTab> self(this);
    m_client->post(QStringLiteral("/toolbox/%1/process/execute").arg(m_sandbox->id()),
                   {{QStringLiteral("command"), killScript(m_marker)}, {QStringLiteral("timeout"), 30}}, this,
                   [self, elapsed](const app::ApiResult& r) {
                       if (!self)
                           return;
                       if (r.ok)
                           self->m_output->showText(
                               tr("Stopped after %1 s").arg(QLocale().toString(elapsed / 1000.0, 'f', 1)),
                               tr("The run was stopped and its processes were ended."));
                       else
                           self->m_output->showError(
                               tr("Stopped, but its processes may still run"),
                               tr("The request was ended, but ending its processes failed: "
                                  "%1")
                                   .arg(r.error));
                   });
}

void SandboxTab::toolboxCall(Action action, const QByteArray& verb, const QString& rest,
                             const QJsonObject& body, const QString& what, Show show) {
    if (m_busy)
        return;
    m_action = action;
    updateSnippet();
    setBusy(true, tr("Preparing the playground sandbox…"));
    m_output->showBusy(what);
    m_sandbox->toolbox(params(), verb, rest, body, this, [this, show](const app::ApiResult& r) {
        setBusy(false);
        if (!r.ok)
            m_output->showError(tr("That did not work"), r.error);
        else
            show(r.json);
    });
}

bool SandboxTab::needPath(const QString& what) {
    if (!m_path->text().trimmed().isEmpty())
        return true;
    m_output->showError(what, tr("Type a path first, e.g. projects/demo."));
    m_path->setFocus();
    return false;
}

void SandboxTab::createFolder() {
    if (!needPath(tr("No folder to create")))
        return;
    const QString path = m_path->text().trimmed();
    toolboxCall(Action::CreateFolder, "POST",
                QStringLiteral("/files/folder?path=%1&mode=755").arg(query(path)), {},
                tr("Creating the folder %1…").arg(path), [this, path](const QJsonDocument&) {
                    m_output->showText(tr("Created the folder %1").arg(path), QString());
                });
}

void SandboxTab::listFiles() {
    const QString path = m_path->text().trimmed();
    toolboxCall(Action::ListFiles, "GET", QStringLiteral("/files?path=%1").arg(query(path)), {},
                tr("Listing %1…").arg(path.isEmpty() ? tr("the home folder") : path),
                [this, path](const QJsonDocument& doc) {
                    QStringList lines;
                    for (const auto& v : doc.array())
                        lines << fileLine(v.toObject());
                    m_output->showText(tr("%n entry(s) in %1", nullptr, int(lines.size()))
                                           .arg(path.isEmpty() ? tr("the home folder") : path),
                                       lines.join(QLatin1Char('\n')));
                });
}

void SandboxTab::deleteFile() {
    if (!needPath(tr("Nothing to delete")))
        return;
    const QString path = m_path->text().trimmed();
    if (!kit::confirm(this, tr("Delete"),
                      tr("Delete %1 in the playground sandbox, with everything in it?").arg(path)))
        return;
    toolboxCall(
        Action::DeleteFile, "DELETE", QStringLiteral("/files?path=%1&recursive=true").arg(query(path)), {},
        tr("Deleting %1…").arg(path),
        [this, path](const QJsonDocument&) { m_output->showText(tr("Deleted %1").arg(path), QString()); });
}

void SandboxTab::gitClone() {
    const QString url = m_gitUrl->text().trimmed();
    const QString path = m_gitPath->text().trimmed();
    if (url.isEmpty() || path.isEmpty()) {
        m_output->showError(tr("Nothing to clone"),
                            tr("Type the repository URL and the folder to clone into."));
        (url.isEmpty() ? m_gitUrl : m_gitPath)->setFocus();
        return;
    }
    QJsonObject body{{QStringLiteral("url"), url}, {QStringLiteral("path"), path}};
    if (!m_gitBranch->text().trimmed().isEmpty())
        body.insert(QStringLiteral("branch"), m_gitBranch->text().trimmed());
    toolboxCall(Action::GitClone, "POST", QStringLiteral("/git/clone"), body, tr("Cloning %1…").arg(url),
                [this, url, path](const QJsonDocument&) {
                    m_output->showText(tr("Cloned %1 into %2").arg(url, path), QString());
                });
}

void SandboxTab::gitStatus() {
    const QString path = m_gitPath->text().trimmed();
    toolboxCall(Action::GitStatus, "GET", QStringLiteral("/git/status?path=%1").arg(query(path)), {},
                tr("Reading the status of %1…").arg(path), [this, path](const QJsonDocument& doc) {
                    m_output->showText(tr("Git status of %1").arg(path),
                                       QString::fromUtf8(doc.toJson(QJsonDocument::Indented)));
                });
}

void SandboxTab::gitBranches() {
    const QString path = m_gitPath->text().trimmed();
    toolboxCall(Action::GitBranches, "GET", QStringLiteral("/git/branches?path=%1").arg(query(path)), {},
                tr("Listing the branches of %1…").arg(path), [this, path](const QJsonDocument& doc) {
                    QStringList names;
                    for (const auto& v : doc.object().value(QStringLiteral("branches")).toArray())
                        names << v.toString();
                    m_output->showText(tr("Branches of %1").arg(path), names.join(QLatin1Char('\n')));
                });
}

} // namespace cove::ui::playground
