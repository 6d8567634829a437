// Which action is offered follows Daytona's state rules; the service still has the last word and says why
// when it refuses. The status line is kept as what makes it, so a new language can say it again.
#include "ui/pages/sandboxes/detail/SandboxActions.h"

#include "ui/pages/sandboxes/detail/ActionDialogs.h"
#include "ui/widgets/PageKit.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace cove::ui::detail {

namespace {

using app::SandboxState;

// A typed reply passed on as the answer the progress waits for.
auto passOn(std::function<void(const app::ApiError*)> answer) {
    return [answer = std::move(answer)](const auto& r) { answer(r.ok() ? nullptr : &r.error()); };
}

bool oneOf(SandboxState s, std::initializer_list<SandboxState> states) {
    return std::find(states.begin(), states.end(), s) != states.end();
}

} // namespace

SandboxActions::SandboxActions(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_api(client)
    , m_pause(kit::action(this))
    , m_resume(kit::action(this))
    , m_recover(kit::action(this))
    , m_fork(kit::action(this))
    , m_backup(kit::action(this))
    , m_snapshot(kit::action(this))
    , m_resize(kit::action(this))
    , m_labels(kit::action(this))
    , m_public(kit::action(this))
    , m_lifecycle(kit::action(this))
    , m_network(kit::action(this))
    , m_pauseButton(kit::toolButton(m_pause, this))
    , m_resumeButton(kit::toolButton(m_resume, this))
    , m_recoverButton(kit::toolButton(m_recover, this))
    , m_more(new QToolButton(this))
    , m_progress(kit::busyBar(this))
    , m_status(new kit::StatusLine(this))
    , m_message(kit::messageLine(this)) {
    m_public->setCheckable(true);
    connect(m_pause, &QAction::triggered, this, &SandboxActions::pause);
    connect(m_resume, &QAction::triggered, this, &SandboxActions::resume);
    connect(m_recover, &QAction::triggered, this, &SandboxActions::recover);
    connect(m_fork, &QAction::triggered, this, &SandboxActions::fork);
    connect(m_backup, &QAction::triggered, this, &SandboxActions::backup);
    connect(m_snapshot, &QAction::triggered, this, &SandboxActions::snapshot);
    connect(m_public, &QAction::triggered, this, &SandboxActions::togglePublic);
    connect(m_resize, &QAction::triggered, this, [this] {
        openDialog(new ResizeDialog(m_api, m_sandbox, this), [] { return tr("The sandbox was resized."); });
    });
    connect(m_labels, &QAction::triggered, this, [this] {
        openDialog(new LabelsDialog(m_api, m_sandbox, this), [] { return tr("The labels were saved."); });
    });
    connect(m_lifecycle, &QAction::triggered, this, [this] {
        openDialog(new LifecycleDialog(m_api, m_sandbox, this),
                   [] { return tr("The lifecycle settings were saved."); });
    });
    connect(m_network, &QAction::triggered, this, [this] {
        openDialog(new NetworkDialog(m_api, m_sandbox, this),
                   [] { return tr("The network settings were saved."); });
    });

    auto* menu = new QMenu(m_more);
    menu->addActions({m_fork, m_backup, m_snapshot});
    menu->addSeparator();
    menu->addActions({m_resize, m_labels, m_public, m_lifecycle, m_network});
    m_more->setMenu(menu);
    m_more->setPopupMode(QToolButton::InstantPopup);
    m_more->setToolButtonStyle(Qt::ToolButtonTextOnly);

    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    for (QToolButton* b : {m_pauseButton, m_resumeButton, m_recoverButton, m_more})
        row->addWidget(b);
    row->addWidget(m_progress);
    row->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_status);
    layout->addWidget(m_message);
    retranslateUi();
    updateActions();
}

void SandboxActions::retranslateUi() {
    m_pause->setText(tr("Pa&use"));
    m_pause->setToolTip(tr("Freeze the sandbox's processes; Resume lets them go on where they were."));
    m_resume->setText(tr("Res&ume"));
    m_recover->setText(tr("Reco&ver"));
    m_recover->setToolTip(tr("Restart the sandbox's container after an error; its files stay."));
    m_fork->setText(tr("&Fork…"));
    m_fork->setToolTip(tr("Make a new, started sandbox with a copy of this one's files."));
    m_backup->setText(tr("&Back up"));
    m_snapshot->setText(tr("Create &snapshot…"));
    m_resize->setText(tr("&Resize…"));
    m_labels->setText(tr("&Labels…"));
    m_public->setText(tr("&Public previews"));
    m_public->setToolTip(tr("Whether the sandbox's preview URLs open without its token."));
    m_lifecycle->setText(tr("Life&cycle…"));
    m_network->setText(tr("&Network…"));
    m_more->setText(tr("Act&ions"));
    m_more->setAccessibleName(tr("Sandbox actions"));
    m_status->retranslate();
}

void SandboxActions::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

QString SandboxActions::status() const {
    return m_status->shown();
}

QString SandboxActions::message() const {
    return m_message->isHidden() ? QString() : m_message->text();
}

void SandboxActions::setSandbox(const app::Sandbox& sandbox) {
    if (sandbox.id != m_sandbox.id) {
        m_status->say(nullptr);
        kit::showMessage(m_message, {});
    }
    m_sandbox = sandbox;
    updateActions();
}

void SandboxActions::updateActions() {
    const SandboxState s = m_sandbox.state;
    const bool known = !m_sandbox.id.isEmpty() && !m_busy;
    const bool running = oneOf(s, {SandboxState::Started});
    const bool settled = oneOf(s, {SandboxState::Started, SandboxState::Stopped});
    m_pause->setEnabled(known && running);
    m_resume->setEnabled(known && s == SandboxState::Paused);
    m_recover->setEnabled(known && s == SandboxState::Error);
    // Pause when started, Resume when paused, Recover after an error; one of them, or Pause greyed.
    m_resumeButton->setVisible(s == SandboxState::Paused);
    m_recoverButton->setVisible(s == SandboxState::Error);
    m_pauseButton->setVisible(s != SandboxState::Paused && s != SandboxState::Error);
    m_fork->setEnabled(known &&
                       oneOf(s, {SandboxState::Started, SandboxState::Stopped, SandboxState::Paused}));
    m_backup->setEnabled(known &&
                         oneOf(s, {SandboxState::Started, SandboxState::Stopped, SandboxState::Paused}));
    m_snapshot->setEnabled(known && settled);
    m_resize->setEnabled(known && settled);
    const bool exists = known && !oneOf(s, {SandboxState::Destroyed, SandboxState::Destroying});
    for (QAction* a : {m_labels, m_public, m_lifecycle, m_network})
        a->setEnabled(exists);
    m_public->setChecked(m_sandbox.isPublic);
    m_more->setEnabled(!m_sandbox.id.isEmpty());
}

void SandboxActions::run(const std::function<QString()>& doing, const std::function<QString()>& done,
                         const Call& call) {
    m_busy = true;
    updateActions();
    m_progress->show();
    kit::showMessage(m_message, {});
    m_status->say(doing);
    const QString id = m_sandbox.id;
    call([this, done, id](const app::ApiError* error) {
        m_busy = false;
        m_progress->hide();
        updateActions();
        if (error) {
            m_status->say(nullptr);
            kit::showMessage(m_message, error->unreachable()
                                            ? tr("%1 Try again when the service is back.").arg(error->text)
                                            : error->text);
        } else {
            m_status->say(done);
        }
        if (id == m_sandbox.id)
            emit changed();
    });
}

void SandboxActions::openDialog(ActionDialog* dialog, const std::function<QString()>& done) {
    if (m_dialog)
        m_dialog->close();
    m_dialog = dialog;
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, done] {
        kit::showMessage(m_message, {});
        m_status->say(done);
        // What the service answered holds at once, so the next dialog opens on it; the page's read
        // that follows brings the rest.
        if (const app::Sandbox* s = dialog->answeredSandbox(); s && s->id == m_sandbox.id)
            setSandbox(*s);
        emit changed();
    });
    dialog->open();
}

void SandboxActions::pause() {
    run([] { return tr("Pausing…"); }, [] { return tr("The sandbox is paused."); },
        [this, id = m_sandbox.id](const auto& answer) { m_api.pause(id, this, passOn(answer)); });
}

void SandboxActions::resume() {
    run([] { return tr("Resuming…"); }, [] { return tr("The sandbox runs again."); },
        [this, id = m_sandbox.id](const auto& answer) { m_api.start(id, this, passOn(answer)); });
}

void SandboxActions::recover() {
    run([] { return tr("Recovering: restarting the container…"); },
        [] { return tr("The sandbox was recovered and runs again."); },
        [this, id = m_sandbox.id](const auto& answer) { m_api.recover(id, this, passOn(answer)); });
}

void SandboxActions::backup() {
    run([] { return tr("Backing up…"); }, [] { return tr("The sandbox was backed up."); },
        [this, id = m_sandbox.id](const auto& answer) { m_api.backup(id, this, passOn(answer)); });
}

void SandboxActions::togglePublic(bool on) {
    m_public->setChecked(m_sandbox.isPublic); // until the service has said yes
    if (on && !kit::confirm(this, tr("Public previews"),
                            tr("Anyone who has a preview URL of \"%1\" can then open it, without the "
                               "sandbox's token. Make its previews public?")
                                .arg(m_sandbox.name)))
        return;
    run([on] { return on ? tr("Making the previews public…") : tr("Making the previews private…"); },
        [on] { return on ? tr("The previews are public.") : tr("The previews need the sandbox's token."); },
        [this, id = m_sandbox.id, on](const auto& answer) { m_api.setPublic(id, on, this, passOn(answer)); });
}

void SandboxActions::fork() {
    const QString id = m_sandbox.id;
    auto* dialog = new NameDialog(
        tr("Fork sandbox"),
        tr("The fork is a new sandbox with a copy of \"%1\"'s files, started. The two go their own ways "
           "from then on; the Overview shows which came from which.")
            .arg(m_sandbox.name),
        tr("&Fork"), false, kMaxSandboxName,
        [this, id](const QString& name, const NameDialog::Answer& answer) {
            m_api.fork(id, name, m_dialog, [this, answer](const app::Result<app::Sandbox>& r) {
                passOn(answer)(r);
                if (!r.ok())
                    return;
                const app::Sandbox made = r.value();
                if (QMessageBox::question(this, tr("Sandbox forked"),
                                          tr("The fork \"%1\" was made. Open it now?").arg(made.name),
                                          QMessageBox::Open | QMessageBox::Close,
                                          QMessageBox::Open) == QMessageBox::Open)
                    emit openSandbox(made.id);
            });
        },
        this);
    openDialog(dialog, [] { return tr("The sandbox was forked."); });
}

void SandboxActions::snapshot() {
    const QString id = m_sandbox.id;
    auto* dialog = new NameDialog(
        tr("Create snapshot"),
        tr("A snapshot of \"%1\"'s files, for new sandboxes to start from. The sandbox shows "
           "\"Snapshotting\" meanwhile; the Snapshots page lists the snapshot.")
            .arg(m_sandbox.name),
        tr("&Create"), true, kMaxSnapshotName,
        [this, id](const QString& name, const NameDialog::Answer& answer) {
            m_api.createSnapshot(id, name, m_dialog, passOn(answer));
        },
        this);
    openDialog(dialog,
               [] { return tr("The snapshot is being made; the Snapshots page shows its progress."); });
}

} // namespace cove::ui::detail
