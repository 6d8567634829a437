// Registries come from /api/docker-registry; adding, changing and deleting go through the same API.
#include "ui/pages/registries/RegistriesPage.h"

#include "app/RegistryModel.h"
#include "ui/widgets/PageKit.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace cove::ui {

namespace {

// As the service bounds them (domain/Config.h, RegistryLimits).
constexpr int kMaxNameLength = 255;
constexpr int kMaxUrlLength = 267;
constexpr int kMaxPasswordLength = 4096;

} // namespace

RegistryDialog::RegistryDialog(const app::Registry* existing, QWidget* parent)
    : QDialog(parent)
    , m_editing(existing != nullptr)
    , m_name(new QLineEdit(this))
    , m_url(new QLineEdit(this))
    , m_username(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_project(new QLineEdit(this)) {
    setWindowTitle(m_editing ? tr("Edit registry") : tr("Add registry"));
    m_name->setObjectName(QStringLiteral("registryName"));
    m_url->setObjectName(QStringLiteral("registryUrl"));
    m_username->setObjectName(QStringLiteral("registryUsername"));
    m_password->setObjectName(QStringLiteral("registryPassword"));
    m_project->setObjectName(QStringLiteral("registryProject"));
    m_name->setMaxLength(kMaxNameLength);
    m_url->setMaxLength(kMaxUrlLength);
    m_password->setMaxLength(kMaxPasswordLength);
    m_password->setEchoMode(QLineEdit::Password);
    m_name->setPlaceholderText(tr("e.g. Team registry"));
    m_url->setPlaceholderText(tr("e.g. registry.example.com:5000 or docker.io"));
    m_project->setPlaceholderText(tr("optional, e.g. team"));
    m_password->setPlaceholderText(m_editing ? tr("unchanged unless you type a new one")
                                             : tr("password or access token"));
    if (existing) {
        m_name->setText(existing->name);
        m_url->setText(existing->url);
        m_username->setText(existing->username);
        m_project->setText(existing->project);
    }
    auto* form = new QFormLayout;
    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("&URL"), m_url);
    form->addRow(tr("&Username"), m_username);
    form->addRow(tr("&Password"), m_password);
    form->addRow(tr("Pro&ject"), m_project);
    auto* hint = new QLabel(tr("Snapshots whose image is in this registry (for example "
                               "registry.example.com:5000/team/app:1.0) are pulled with these credentials. "
                               "The password is stored encrypted and never shown again; changing the URL "
                               "needs it again."),
                            this);
    hint->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(m_editing ? tr("Save") : tr("Add"));
    for (auto* field : {m_name, m_url, m_username, m_password})
        connect(field, &QLineEdit::textChanged, this, &RegistryDialog::updateOk);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(hint);
    layout->addWidget(buttons);
    setMinimumWidth(480);
    updateOk();
}

void RegistryDialog::updateOk() {
    const bool filled = !m_name->text().trimmed().isEmpty() && !m_url->text().trimmed().isEmpty() &&
                        !m_username->text().trimmed().isEmpty();
    m_ok->setEnabled(filled && (m_editing || !m_password->text().isEmpty()));
}

app::RegistryFields RegistryDialog::fields() const {
    return {m_name->text().trimmed(), m_url->text().trimmed(), m_username->text().trimmed(),
            m_password->text(), m_project->text().trimmed()};
}

RegistriesPage::RegistriesPage(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_api(client)
    , m_model(new app::RegistryModel(this))
    , m_view(new QTableView(this))
    , m_proxy(kit::setUpTable(m_view, m_model))
    , m_title(kit::pageTitle(QString(), this))
    , m_intro(kit::pageIntro(QString(), this))
    , m_add(new QPushButton(this))
    , m_edit(new QPushButton(this))
    , m_delete(new QPushButton(this))
    , m_message(kit::messageLine(this)) {
    m_add->setShortcut(QKeySequence::New);
    connect(m_add, &QPushButton::clicked, this, &RegistriesPage::addRegistry);
    m_edit->setEnabled(false);
    connect(m_edit, &QPushButton::clicked, this, &RegistriesPage::editSelected);
    m_delete->setEnabled(false);
    connect(m_delete, &QPushButton::clicked, this, &RegistriesPage::deleteSelected);
    connect(m_view, &QTableView::doubleClicked, this, &RegistriesPage::editSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const bool selected = m_view->selectionModel()->hasSelection();
        m_edit->setEnabled(selected);
        m_delete->setEnabled(selected);
    });
    auto* del = new QShortcut(QKeySequence::Delete, m_view);
    connect(del, &QShortcut::activated, this, &RegistriesPage::deleteSelected);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);
    kit::pageLayout(this, m_title, m_intro, buttons, m_message, m_view);
    retranslateUi();
}

void RegistriesPage::retranslateUi() {
    m_title->setText(tr("Registries"));
    m_intro->setText(tr("Private container registries: snapshots whose image is in one of them are pulled "
                        "with its credentials. Passwords are stored encrypted and never shown."));
    m_view->setAccessibleName(tr("Registries"));
    m_add->setText(tr("&Add registry…"));
    m_edit->setText(tr("&Edit…"));
    m_delete->setText(tr("&Delete…"));
    m_model->retranslate();
}

void RegistriesPage::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

QString RegistriesPage::message() const {
    return m_message->isVisible() ? m_message->text() : QString();
}

void RegistriesPage::refresh() {
    m_api.list(this, [this](const app::Result<QList<app::Registry>>& r) {
        if (!r.ok()) {
            kit::showMessage(m_message, r.error().text);
            return;
        }
        m_model->setRecords(r.value());
        const bool selected = m_view->selectionModel()->hasSelection(); // a new list selects nothing
        m_edit->setEnabled(selected);
        m_delete->setEnabled(selected);
    });
}

void RegistriesPage::addRegistry() {
    RegistryDialog dialog(nullptr, this);
    kit::submit(
        dialog, m_message, tr("The registry was not added: %1"),
        [this](const app::RegistryFields& fields, auto done) { m_api.create(fields, this, done); },
        [this] { refresh(); });
}

void RegistriesPage::editSelected() {
    const int row = kit::selectedRow(m_view, m_proxy);
    if (row < 0)
        return;
    const app::Registry existing = m_model->at(row);
    RegistryDialog dialog(&existing, this);
    kit::submit(
        dialog, m_message, tr("The registry was not changed: %1"),
        [this, id = existing.id](const app::RegistryFields& fields, auto done) {
            m_api.update(id, fields, this, done);
        },
        [this] { refresh(); });
}

void RegistriesPage::deleteSelected() {
    const int row = kit::selectedRow(m_view, m_proxy);
    if (row < 0)
        return;
    const QString name = m_model->at(row).name;
    const QString id = m_model->at(row).id;
    if (!kit::confirm(this, tr("Delete registry"),
                      tr("Delete the registry \"%1\" and its stored credentials? Snapshots already pulled "
                         "from it stay.")
                          .arg(name)))
        return;
    kit::showMessage(m_message, {});
    m_api.remove(id, this, [this, name](const app::Result<app::Done>& r) {
        if (!r.ok())
            kit::showMessage(m_message,
                             tr("The registry \"%1\" was not deleted: %2").arg(name, r.error().text));
        refresh();
    });
}

} // namespace cove::ui
