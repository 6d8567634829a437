// Snapshots come from /api/snapshots (paged; the page asks for the most the service gives at once);
// everything else goes through the same API the SDKs use.
#include "ui/pages/snapshots/SnapshotsPage.h"

#include "app/ApiClient.h"
#include "ui/widgets/PageKit.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHideEvent>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace cove::ui {

namespace {

constexpr int kPollMs = 2000;
constexpr int kPageSize = 200; // the service's largest page
constexpr int kTailLines = 8;  // the last lines of a build's log shown under its progress bar

bool settling(const QString& state) {
    return state == QLatin1String("pending") || state == QLatin1String("pulling") ||
           state == QLatin1String("building");
}

QString snapshotPath(const QJsonObject& s) {
    return QStringLiteral("/api/snapshots/") + s.value(QStringLiteral("id")).toString();
}

} // namespace

CreateSnapshotDialog::CreateSnapshotDialog(QWidget* parent)
    : QDialog(parent)
    , m_name(new QLineEdit(this))
    , m_fromImage(new QRadioButton(tr("From an &image"), this))
    , m_image(new QLineEdit(this))
    , m_fromDockerfile(new QRadioButton(tr("From a &Dockerfile"), this))
    , m_dockerfile(new QPlainTextEdit(this)) {
    setWindowTitle(tr("Create snapshot"));
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
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Create"));
    m_ok->setEnabled(false);
    connect(m_name, &QLineEdit::textChanged, this, &CreateSnapshotDialog::updateOk);
    connect(m_image, &QLineEdit::textChanged, this, &CreateSnapshotDialog::updateOk);
    connect(m_dockerfile, &QPlainTextEdit::textChanged, this, &CreateSnapshotDialog::updateOk);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(560, 420);
}

void CreateSnapshotDialog::updateOk() {
    const QString name = m_name->text();
    const bool source = m_fromImage->isChecked() ? !m_image->text().trimmed().isEmpty()
                                                 : !m_dockerfile->toPlainText().trimmed().isEmpty();
    m_ok->setEnabled(!name.trimmed().isEmpty() && name.trimmed() == name && source);
}

QJsonObject CreateSnapshotDialog::request() const {
    QJsonObject body{{QStringLiteral("name"), m_name->text()}};
    if (m_fromImage->isChecked())
        body.insert(QStringLiteral("imageName"), m_image->text().trimmed());
    else
        body.insert(QStringLiteral("buildInfo"),
                    QJsonObject{{QStringLiteral("dockerfileContent"), m_dockerfile->toPlainText()}});
    return body;
}

QString SnapshotsPage::stateText(const QString& state) {
    static const QHash<QString, QString> names{
        {QStringLiteral("active"), tr("Active")},
        {QStringLiteral("inactive"), tr("Inactive")},
        {QStringLiteral("pending"), tr("Pending")},
        {QStringLiteral("pulling"), tr("Pulling")},
        {QStringLiteral("building"), tr("Building")},
        {QStringLiteral("error"), tr("Error")},
        {QStringLiteral("build_failed"), tr("Build failed")},
        {QStringLiteral("removing"), tr("Removing")},
    };
    return names.value(state, state);
}

SnapshotsPage::SnapshotsPage(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_client(client)
    , m_model(new JsonTableModel(
          {
              kit::textColumn(tr("Name"), QStringLiteral("name")),
              kit::textColumn(tr("Image"), QStringLiteral("imageName")),
              {tr("State"),
               [](const QJsonObject& s, int role) -> QVariant {
                   const QString state = s.value(QStringLiteral("state")).toString();
                   if (role == Qt::DisplayRole)
                       return stateText(state);
                   if (role == kit::kSortRole)
                       return state;
                   if (role == Qt::ToolTipRole)
                       return s.value(QStringLiteral("errorReason")).toVariant();
                   return {};
               }},
              {tr("Resources"),
               [](const QJsonObject& s, int role) -> QVariant {
                   const int cpu = s.value(QStringLiteral("cpu")).toInt();
                   if (role == kit::kSortRole)
                       return cpu;
                   if (role != Qt::DisplayRole)
                       return {};
                   return tr("%1 vCPU · %2 GiB · %3 GiB")
                       .arg(cpu)
                       .arg(s.value(QStringLiteral("mem")).toInt())
                       .arg(s.value(QStringLiteral("disk")).toInt());
               }},
              {tr("Size"),
               [](const QJsonObject& s, int role) -> QVariant {
                   const QJsonValue size = s.value(QStringLiteral("size")); // GB, as Daytona gives it
                   if (role == kit::kSortRole)
                       return size.toDouble(-1);
                   if (role == Qt::TextAlignmentRole)
                       return QVariant(Qt::AlignRight | Qt::AlignVCenter);
                   if (role != Qt::DisplayRole)
                       return {};
                   return size.isDouble() ? QLocale().formattedDataSize(qint64(size.toDouble() * 1e9), 2,
                                                                        QLocale::DataSizeSIFormat)
                                          : QStringLiteral("—");
               }},
              kit::dateColumn(tr("Created"), QStringLiteral("createdAt")),
          },
          this))
    , m_view(new QTableView(this))
    , m_proxy(kit::setUpTable(m_view, m_model, tr("Snapshots")))
    , m_activate(new QPushButton(tr("&Activate"), this))
    , m_deactivate(new QPushButton(tr("De&activate"), this))
    , m_delete(new QPushButton(tr("&Delete…"), this))
    , m_log(new QPushButton(tr("Build &log"), this))
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
    auto* create = new QPushButton(tr("&Create snapshot…"), this);
    create->setShortcut(QKeySequence::New);
    connect(create, &QPushButton::clicked, this, &SnapshotsPage::createSnapshot);
    connect(m_activate, &QPushButton::clicked, this, &SnapshotsPage::activateSelected);
    connect(m_deactivate, &QPushButton::clicked, this, &SnapshotsPage::deactivateSelected);
    connect(m_delete, &QPushButton::clicked, this, &SnapshotsPage::deleteSelected);
    connect(m_log, &QPushButton::clicked, this, &SnapshotsPage::showBuildLog);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {create, m_activate, m_deactivate, m_delete, m_log})
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

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(kit::pageTitle(tr("Snapshots"), this));
    layout->addWidget(kit::pageIntro(tr("Snapshots are the images sandboxes start from. The defaults "
                                        "cove-base and cove-desktop are ready to use; an inactive snapshot "
                                        "cannot start new sandboxes."),
                                     this));
    layout->addLayout(buttons);
    layout->addWidget(m_message);
    layout->addWidget(m_building);
    layout->addWidget(m_view, 1);
}

QString SnapshotsPage::buildProgress() const {
    return !m_building->isHidden() ? m_buildTitle->text() + QLatin1Char('\n') + m_buildTail->toPlainText()
                                   : QString();
}

void SnapshotsPage::showBuilding(const QJsonObject& s) {
    if (s.isEmpty()) {
        m_building->hide();
        return;
    }
    const QString name = s.value(QStringLiteral("name")).toString();
    m_buildTitle->setText(s.value(QStringLiteral("general")).toBool()
                              ? tr("Building the default snapshot \"%1\" (the first start takes a few "
                                   "minutes; sandboxes of it can be made once it is active)")
                                    .arg(name)
                              : tr("Building the snapshot \"%1\"").arg(name));
    m_building->show();
    m_client->get(snapshotPath(s) + QStringLiteral("/build-logs"), this, [this](const app::ApiResult& r) {
        if (!r.ok)
            return;
        QStringList lines = QString::fromUtf8(r.body).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        if (lines.size() > kTailLines)
            lines = lines.mid(lines.size() - kTailLines);
        m_buildTail->setPlainText(lines.join(QLatin1Char('\n')));
    });
}

QString SnapshotsPage::message() const {
    return m_message->isVisible() ? m_message->text() : QString();
}

QJsonObject SnapshotsPage::selected() const {
    const int row = kit::selectedRow(m_view, m_proxy);
    return row < 0 ? QJsonObject() : m_model->rowAt(row);
}

void SnapshotsPage::updateButtons() {
    const QString state = selected().value(QStringLiteral("state")).toString();
    m_activate->setEnabled(state == QLatin1String("inactive"));
    m_deactivate->setEnabled(state == QLatin1String("active"));
    m_delete->setEnabled(!state.isEmpty());
    m_log->setEnabled(!state.isEmpty());
}

void SnapshotsPage::refresh() {
    const QString path = QStringLiteral("/api/snapshots?page=1&limit=%1").arg(kPageSize);
    m_client->get(path, this, [this](const app::ApiResult& r) {
        if (!r.ok) {
            kit::showMessage(m_message, r.error);
            m_poll->stop();
            return;
        }
        // Keep the selection across the reload: it is what the toolbar acts on.
        const QString keep = selected().value(QStringLiteral("id")).toString();
        const QJsonArray items = r.json.object().value(QStringLiteral("items")).toArray();
        m_model->setRows(items);
        bool busy = false;
        QJsonObject building; // a default snapshot's build first: it is what a fresh install waits for
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const QJsonObject s = m_model->rowAt(row);
            const QString state = s.value(QStringLiteral("state")).toString();
            busy = busy || settling(state);
            if (state == QLatin1String("building") &&
                (building.isEmpty() || s.value(QStringLiteral("general")).toBool()))
                building = s;
            if (!keep.isEmpty() && s.value(QStringLiteral("id")).toString() == keep)
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
    CreateSnapshotDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    kit::showMessage(m_message, {});
    m_client->post(QStringLiteral("/api/snapshots"), dialog.request(), this, [this](const app::ApiResult& r) {
        if (!r.ok)
            kit::showMessage(m_message, tr("The snapshot was not created: %1").arg(r.error));
        refresh();
    });
}

void SnapshotsPage::changeSelected(const QString& action) {
    const QJsonObject s = selected();
    if (s.isEmpty())
        return;
    kit::showMessage(m_message, {});
    m_client->post(snapshotPath(s) + QLatin1Char('/') + action, {}, this, [this](const app::ApiResult& r) {
        if (!r.ok)
            kit::showMessage(m_message, r.error);
        refresh();
    });
}

void SnapshotsPage::activateSelected() {
    changeSelected(QStringLiteral("activate"));
}

void SnapshotsPage::deactivateSelected() {
    changeSelected(QStringLiteral("deactivate"));
}

void SnapshotsPage::deleteSelected() {
    const QJsonObject s = selected();
    if (s.isEmpty())
        return;
    const QString name = s.value(QStringLiteral("name")).toString();
    if (!kit::confirm(this, tr("Delete snapshot"),
                      tr("Delete the snapshot \"%1\"? Sandboxes can no longer be made from it.").arg(name)))
        return;
    kit::showMessage(m_message, {});
    m_client->del(snapshotPath(s), this, [this, name](const app::ApiResult& r) {
        if (!r.ok)
            kit::showMessage(m_message, tr("The snapshot \"%1\" was not deleted: %2").arg(name, r.error));
        refresh();
    });
}

void SnapshotsPage::showBuildLog() {
    const QJsonObject s = selected();
    if (s.isEmpty())
        return;
    const QString name = s.value(QStringLiteral("name")).toString();
    m_client->get(
        snapshotPath(s) + QStringLiteral("/build-logs"), this, [this, name](const app::ApiResult& r) {
            if (!r.ok) {
                kit::showMessage(m_message, r.error);
                return;
            }
            QDialog shown(this);
            shown.setWindowTitle(tr("Build log of \"%1\"").arg(name));
            auto* text = new QPlainTextEdit(&shown);
            text->setReadOnly(true);
            text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
            text->setLineWrapMode(QPlainTextEdit::NoWrap);
            text->setPlainText(r.body.isEmpty() ? tr("This snapshot has no build log: it was not built here.")
                                                : QString::fromUtf8(r.body));
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
