// Snapshots come from /api/snapshots (paged; the page asks for the most the service gives at once);
// everything else goes through the same API the SDKs use.
#include "ui/pages/snapshots/SnapshotsPage.h"

#include "app/Sandbox.h"
#include "app/SnapshotModel.h"
#include "ui/widgets/PageKit.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHideEvent>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace cove::ui {

namespace {

constexpr int kPollMs = 2000;
constexpr int kPageSize = 200; // the service's largest page
constexpr int kTailLines = 8;  // the last lines of a build's log shown under its progress bar

} // namespace

CreateSnapshotDialog::CreateSnapshotDialog(QWidget* parent)
    : QDialog(parent)
    , m_name(new QLineEdit(this))
    , m_fromImage(new QRadioButton(tr("From an &image"), this))
    , m_image(new QLineEdit(this))
    , m_fromDockerfile(new QRadioButton(tr("From a &Dockerfile"), this))
    , m_dockerfile(new QPlainTextEdit(this))
    , m_entrypoint(new QLineEdit(this))
    , m_cpu(new QSpinBox(this))
    , m_memory(new QSpinBox(this))
    , m_disk(new QSpinBox(this)) {
    setWindowTitle(tr("Create snapshot"));
    m_entrypoint->setPlaceholderText(tr("the image's own, e.g. sleep infinity"));
    m_entrypoint->setToolTip(tr("The command sandboxes made from the snapshot run first, with its "
                                "arguments; put a word that holds spaces in double quotes."));
    for (auto [spin, suffix, most] : {std::tuple{m_cpu, tr(" vCPU"), app::kMostCpu},
                                      {m_memory, tr(" GiB"), app::kMostMemoryGiB},
                                      {m_disk, tr(" GiB"), app::kMostDiskGiB}}) {
        spin->setRange(0, most);
        spin->setSuffix(suffix);
        spin->setSpecialValueText(tr("service default"));
    }
    m_name->setPlaceholderText(tr("e.g. python-ml"));
    m_name->setMaxLength(255);
    m_image->setPlaceholderText(tr("e.g. python:3.12-slim"));
    m_dockerfile->setPlaceholderText(QStringLiteral("FROM python:3.12-slim\nRUN pip install numpy"));
    m_dockerfile->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_dockerfile->setTabChangesFocus(true);
    auto* group = new QButtonGroup(this);
    group->addButton(m_fromImage);
    group->addButton(m_fromDockerfile);
    m_fromImage->setChecked(true);
    m_dockerfile->setEnabled(false);
    connect(m_fromImage, &QRadioButton::toggled, this, [this](bool on) {
        m_image->setEnabled(on);
        m_dockerfile->setEnabled(!on);
        updateOk();
    });

    auto* form = new QFormLayout;
    form->addRow(tr("&Name"), m_name);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_fromImage);
    layout->addWidget(m_image);
    layout->addWidget(m_fromDockerfile);
    layout->addWidget(m_dockerfile, 1);
    auto* settings = new QFormLayout;
    settings->addRow(tr("&Entrypoint"), m_entrypoint);
    settings->addRow(tr("C&PU"), m_cpu);
    settings->addRow(tr("&Memory"), m_memory);
    settings->addRow(tr("Dis&k"), m_disk);
    layout->addLayout(settings);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Create"));
    m_ok->setEnabled(false);
    connect(m_name, &QLineEdit::textChanged, this, &CreateSnapshotDialog::updateOk);
    connect(m_image, &QLineEdit::textChanged, this, &CreateSnapshotDialog::updateOk);
    connect(m_dockerfile, &QPlainTextEdit::textChanged, this, &CreateSnapshotDialog::updateOk);
    connect(m_entrypoint, &QLineEdit::textChanged, this, &CreateSnapshotDialog::updateOk);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(600, 480);
}

void CreateSnapshotDialog::updateOk() {
    const QString name = m_name->text();
    const bool source = m_fromImage->isChecked() ? !m_image->text().trimmed().isEmpty()
                                                 : !m_dockerfile->toPlainText().trimmed().isEmpty();
    // A quote left open would be closed silently by the split: refused instead.
    const bool entrypoint = m_entrypoint->text().count(QLatin1Char('"')) % 2 == 0;
    m_ok->setEnabled(!name.trimmed().isEmpty() && name.trimmed() == name && source && entrypoint);
}

app::CreateSnapshotRequest CreateSnapshotDialog::request() const {
    app::CreateSnapshotRequest r;
    r.name = m_name->text();
    if (m_fromImage->isChecked())
        r.image = m_image->text().trimmed();
    else
        r.dockerfile = m_dockerfile->toPlainText();
    r.entrypoint = QProcess::splitCommand(m_entrypoint->text());
    const auto given = [](const QSpinBox* spin) {
        return spin->value() > 0 ? std::optional<int>(spin->value()) : std::nullopt;
    };
    r.cpu = given(m_cpu);
    r.memory = given(m_memory);
    r.disk = given(m_disk);
    return r;
}

SnapshotsPage::SnapshotsPage(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_api(client)
    , m_model(new app::SnapshotModel(this))
    , m_view(new QTableView(this))
    , m_proxy(kit::setUpTable(m_view, m_model))
    , m_title(kit::pageTitle(QString(), this))
    , m_intro(kit::pageIntro(QString(), this))
    , m_create(new QPushButton(this))
    , m_activate(new QPushButton(this))
    , m_deactivate(new QPushButton(this))
    , m_delete(new QPushButton(this))
    , m_log(new QPushButton(this))
    , m_message(kit::messageLine(this))
    , m_poll(new QTimer(this))
    , m_building(new QWidget(this))
    , m_buildTitle(new QLabel(m_building))
    , m_buildTail(new QPlainTextEdit(m_building)) {
    auto* bar = new QProgressBar(m_building);
    bar->setRange(0, 0); // a build's length is unknown: a busy indicator
    bar->setTextVisible(false);
    m_buildTail->setReadOnly(true);
    m_buildTail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_buildTail->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_buildTail->setFixedHeight(m_buildTail->fontMetrics().lineSpacing() * (kTailLines + 1));
    auto* buildLayout = new QVBoxLayout(m_building);
    buildLayout->setContentsMargins(0, 0, 0, 0);
    buildLayout->addWidget(m_buildTitle);
    buildLayout->addWidget(bar);
    buildLayout->addWidget(m_buildTail);
    m_building->hide();
    m_create->setShortcut(QKeySequence::New);
    connect(m_create, &QPushButton::clicked, this, &SnapshotsPage::createSnapshot);
    connect(m_activate, &QPushButton::clicked, this, &SnapshotsPage::activateSelected);
    connect(m_deactivate, &QPushButton::clicked, this, &SnapshotsPage::deactivateSelected);
    connect(m_delete, &QPushButton::clicked, this, &SnapshotsPage::deleteSelected);
    connect(m_log, &QPushButton::clicked, this, &SnapshotsPage::showBuildLog);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {m_create, m_activate, m_deactivate, m_delete, m_log})
        buttons->addWidget(b);
    buttons->addStretch(1);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SnapshotsPage::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &SnapshotsPage::updateButtons);
    auto* del = new QShortcut(QKeySequence::Delete, m_view);
    connect(del, &QShortcut::activated, this, &SnapshotsPage::deleteSelected);
    updateButtons();

    m_poll->setInterval(kPollMs);
    connect(m_poll, &QTimer::timeout, this, &SnapshotsPage::refresh);

    auto* layout = kit::pageLayout(this, m_title, m_intro, buttons, m_message, m_view);
    layout->insertWidget(layout->indexOf(m_view), m_building);
    retranslateUi();
}

void SnapshotsPage::retranslateUi() {
    m_title->setText(tr("Snapshots"));
    m_intro->setText(tr("Snapshots are the images sandboxes start from. The defaults cove-base and "
                        "cove-desktop are ready to use; an inactive snapshot cannot start new sandboxes."));
    m_view->setAccessibleName(tr("Snapshots"));
    m_create->setText(tr("&Create snapshot…"));
    m_activate->setText(tr("&Activate"));
    m_deactivate->setText(tr("De&activate"));
    m_delete->setText(tr("&Delete…"));
    m_log->setText(tr("Build &log"));
    m_model->retranslate();
    const int row = m_model->rowOf(m_buildingId);
    showBuilding(row < 0 ? nullptr : &m_model->at(row));
}

void SnapshotsPage::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

QString SnapshotsPage::buildProgress() const {
    return !m_building->isHidden() ? m_buildTitle->text() + QLatin1Char('\n') + m_buildTail->toPlainText()
                                   : QString();
}

void SnapshotsPage::showBuilding(const app::Snapshot* s) {
    m_buildingId = s ? s->id : QString();
    if (!s) {
        m_building->hide();
        return;
    }
    const QString name = s->name;
    m_buildTitle->setText(s->general ? tr("Building the default snapshot \"%1\" (the first start takes a few "
                                          "minutes; sandboxes of it can be made once it is active)")
                                           .arg(name)
                                     : tr("Building the snapshot \"%1\"").arg(name));
    m_building->show();
    m_api.buildLogs(s->id, this, [this](const app::Result<QByteArray>& r) {
        if (!r.ok())
            return;
        QStringList lines = QString::fromUtf8(r.value()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        if (lines.size() > kTailLines)
            lines = lines.mid(lines.size() - kTailLines);
        m_buildTail->setPlainText(lines.join(QLatin1Char('\n')));
    });
}

QString SnapshotsPage::message() const {
    return m_message->isVisible() ? m_message->text() : QString();
}

const app::Snapshot* SnapshotsPage::selected() const {
    const int row = kit::selectedRow(m_view, m_proxy);
    return row < 0 ? nullptr : &m_model->at(row);
}

void SnapshotsPage::updateButtons() {
    const app::Snapshot* s = selected();
    const QString state = s ? s->state : QString();
    m_activate->setEnabled(state == QLatin1String("inactive"));
    m_deactivate->setEnabled(state == QLatin1String("active"));
    m_delete->setEnabled(!state.isEmpty());
    m_log->setEnabled(!state.isEmpty());
}

void SnapshotsPage::refresh() {
    m_api.list(kPageSize, this, [this](const app::Result<QList<app::Snapshot>>& r) {
        if (!r.ok()) {
            kit::showMessage(m_message, r.error().text);
            m_poll->stop();
            return;
        }
        // Keep the selection across the reload: it is what the toolbar acts on.
        const app::Snapshot* kept = selected();
        const QString keep = kept ? kept->id : QString();
        m_model->setRecords(r.value());
        bool busy = false;
        const app::Snapshot* building = nullptr; // a default's build first: what a fresh install waits for
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const app::Snapshot& s = m_model->at(row);
            busy = busy || s.settling();
            if (s.state == QLatin1String("building") && (!building || s.general))
                building = &s;
            if (!keep.isEmpty() && s.id == keep)
                m_view->selectRow(m_proxy->mapFromSource(m_model->index(row, 0)).row());
        }
        showBuilding(building);
        if (busy && isVisible())
            m_poll->start();
        else
            m_poll->stop();
    });
}

void SnapshotsPage::hideEvent(QHideEvent* event) {
    m_poll->stop();
    QWidget::hideEvent(event);
}

void SnapshotsPage::createSnapshot() {
    if (m_createDialog)
        return m_createDialog->activateWindow();
    m_createDialog = new CreateSnapshotDialog(this);
    m_createDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_createDialog, &QDialog::accepted, this, [this] {
        kit::showMessage(m_message, {});
        m_api.create(m_createDialog->request(), this, [this](const app::Result<app::Snapshot>& r) {
            if (!r.ok())
                kit::showMessage(m_message, tr("The snapshot was not created: %1").arg(r.error().text));
            refresh();
        });
    });
    m_createDialog->open();
}

void SnapshotsPage::changeSelected(bool activate) {
    const app::Snapshot* s = selected();
    if (!s)
        return;
    kit::showMessage(m_message, {});
    const auto answered = [this](const app::Result<app::Done>& r) {
        if (!r.ok())
            kit::showMessage(m_message, r.error().text);
        refresh();
    };
    if (activate)
        m_api.activate(s->id, this, answered);
    else
        m_api.deactivate(s->id, this, answered);
}

void SnapshotsPage::activateSelected() {
    changeSelected(true);
}

void SnapshotsPage::deactivateSelected() {
    changeSelected(false);
}

void SnapshotsPage::deleteSelected() {
    const app::Snapshot* s = selected();
    if (!s)
        return;
    const QString name = s->name;
    const QString id = s->id;
    if (!kit::confirm(this, tr("Delete snapshot"),
                      tr("Delete the snapshot \"%1\"? Sandboxes can no longer be made from it.").arg(name)))
        return;
    kit::showMessage(m_message, {});
    m_api.remove(id, this, [this, name](const app::Result<app::Done>& r) {
        if (!r.ok())
            kit::showMessage(m_message,
                             tr("The snapshot \"%1\" was not deleted: %2").arg(name, r.error().text));
        refresh();
    });
}

void SnapshotsPage::showBuildLog() {
    const app::Snapshot* s = selected();
    if (!s)
        return;
    const QString name = s->name;
    m_api.buildLogs(s->id, this, [this, name](const app::Result<QByteArray>& r) {
        if (!r.ok()) {
            kit::showMessage(m_message, r.error().text);
            return;
        }
        QDialog shown(this);
        shown.setWindowTitle(tr("Build log of \"%1\"").arg(name));
        auto* text = new QPlainTextEdit(&shown);
        text->setReadOnly(true);
        text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        text->setLineWrapMode(QPlainTextEdit::NoWrap);
        text->setPlainText(r.value().isEmpty() ? tr("This snapshot has no build log: it was not built here.")
                                               : QString::fromUtf8(r.value()));
        text->moveCursor(QTextCursor::End);
        auto* done = new QDialogButtonBox(QDialogButtonBox::Close, &shown);
        connect(done, &QDialogButtonBox::rejected, &shown, &QDialog::reject);
        auto* layout = new QVBoxLayout(&shown);
        layout->addWidget(text, 1);
        layout->addWidget(done);
        shown.resize(760, 480);
        shown.exec();
    });
}

} // namespace cove::ui
