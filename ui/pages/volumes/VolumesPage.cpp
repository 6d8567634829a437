// Volumes come from /api/volumes (a bare array); making and deleting go through the same API the SDKs use.
#include "ui/pages/volumes/VolumesPage.h"

#include "app/VolumeModel.h"
#include "ui/pages/sandboxes/detail/FilesTab.h"
#include "ui/widgets/PageKit.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace cove::ui {

CreateVolumeDialog::CreateVolumeDialog(QWidget* parent)
    : QDialog(parent)
    , m_name(new QLineEdit(this)) {
    setWindowTitle(tr("Create volume"));
    m_name->setPlaceholderText(tr("e.g. datasets"));
    m_name->setMaxLength(255);
    auto* form = new QFormLayout;
    form->addRow(tr("&Name"), m_name);
    auto* hint = new QLabel(tr("Sandboxes mount a volume by name or ID; its files outlive them."), this);
    hint->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    QPushButton* ok = buttons->button(QDialogButtonBox::Ok);
    ok->setText(tr("Create"));
    ok->setEnabled(false);
    connect(m_name, &QLineEdit::textChanged, this,
            [ok](const QString& t) { ok->setEnabled(!t.trimmed().isEmpty() && t.trimmed() == t); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(hint);
    layout->addWidget(buttons);
    setMinimumWidth(420);
}

QString CreateVolumeDialog::name() const {
    return m_name->text();
}

VolumesPage::VolumesPage(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_api(client)
    , m_model(new app::VolumeModel(this))
    , m_view(new QTableView(this))
    , m_proxy(kit::setUpTable(m_view, m_model))
    , m_title(kit::pageTitle(QString(), this))
    , m_intro(kit::pageIntro(QString(), this))
    , m_create(new QPushButton(this))
    , m_delete(new QPushButton(this))
    , m_message(kit::messageLine(this))
    , m_filesPane(new QWidget(this))
    , m_filesTitle(new QLabel(m_filesPane))
    , m_files(new detail::FilesTab(client, m_filesPane, detail::FilesTab::Target::Volume)) {
    m_create->setShortcut(QKeySequence::New);
    connect(m_create, &QPushButton::clicked, this, &VolumesPage::createVolume);
    m_delete->setEnabled(false);
    connect(m_delete, &QPushButton::clicked, this, &VolumesPage::deleteSelected);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_create);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        m_delete->setEnabled(m_view->selectionModel()->hasSelection());
        showFilesOfSelection();
    });

    QFont titleFont = m_filesTitle->font();
    titleFont.setBold(true);
    m_filesTitle->setFont(titleFont);
    auto* filesLayout = new QVBoxLayout(m_filesPane);
    filesLayout->setContentsMargins(0, 0, 0, 0);
    filesLayout->addWidget(m_filesTitle);
    filesLayout->addWidget(m_files, 1);
    m_filesPane->hide();
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("volumeSplitter"));
    splitter->addWidget(m_view);
    splitter->addWidget(m_filesPane);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    auto* del = new QShortcut(QKeySequence::Delete, m_view);
    connect(del, &QShortcut::activated, this, &VolumesPage::deleteSelected);

    kit::pageLayout(this, m_title, m_intro, buttons, m_message, splitter);
    retranslateUi();
}

void VolumesPage::retranslateUi() {
    m_title->setText(tr("Volumes"));
    m_intro->setText(
        tr("Volumes keep files beyond the life of a sandbox. A volume in use by a sandbox cannot "
           "be deleted until that sandbox is gone."));
    m_view->setAccessibleName(tr("Volumes"));
    m_create->setText(tr("&Create volume…"));
    m_delete->setText(tr("&Delete…"));
    m_model->retranslate();
    showFilesOfSelection();
}

void VolumesPage::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

bool VolumesPage::selectVolume(const QString& id) {
    const int row = m_model->rowOf(id);
    if (row >= 0)
        m_view->selectRow(m_proxy->mapFromSource(m_model->index(row, 0)).row());
    return row >= 0;
}

void VolumesPage::showFilesOfSelection() {
    if (m_relisting)
        return;
    const int row = kit::selectedRow(m_view, m_proxy);
    const QString id = row < 0 ? QString() : m_model->at(row).id;
    m_filesPane->setVisible(!id.isEmpty());
    if (id.isEmpty()) {
        m_files->setVolume({});
        return;
    }
    m_filesTitle->setText(tr("Files in %1").arg(m_model->at(row).name));
    if (m_files->sandboxId() != id)
        m_files->setVolume(id);
}

QString VolumesPage::message() const {
    return m_message->isVisible() ? m_message->text() : QString();
}

void VolumesPage::refresh() {
    m_api.list(this, [this](const app::Result<QList<app::Volume>>& r) {
        if (!r.ok()) {
            kit::showMessage(m_message, r.error().text);
            return;
        }
        // A new list keeps the volume whose files are shown selected, and the browser where it was.
        const QString shown = m_files->sandboxId();
        m_relisting = true;
        m_model->setRecords(r.value());
        if (!shown.isEmpty())
            selectVolume(shown);
        m_relisting = false;
        showFilesOfSelection();
    });
}

void VolumesPage::createVolume() {
    CreateVolumeDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    kit::showMessage(m_message, {});
    m_api.create(dialog.name(), this, [this](const app::Result<app::Volume>& r) {
        if (!r.ok())
            kit::showMessage(m_message, tr("The volume was not created: %1").arg(r.error().text));
        refresh();
    });
}

void VolumesPage::deleteSelected() {
    const int row = kit::selectedRow(m_view, m_proxy);
    if (row < 0)
        return;
    const QString name = m_model->at(row).name;
    const QString id = m_model->at(row).id;
    if (!kit::confirm(this, tr("Delete volume"),
                      tr("Delete the volume \"%1\" and every file in it? This cannot be undone.").arg(name)))
        return;
    kit::showMessage(m_message, {});
    m_api.remove(id, this, [this, name](const app::Result<app::Done>& r) {
        if (!r.ok())
            kit::showMessage(m_message,
                             tr("The volume \"%1\" was not deleted: %2").arg(name, r.error().text));
        refresh();
    });
}

} // namespace cove::ui
