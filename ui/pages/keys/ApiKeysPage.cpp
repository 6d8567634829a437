// Keys are listed, made and revoked through KeysApi, the same API the SDKs use.
#include "ui/pages/keys/ApiKeysPage.h"

#include "app/ApiKeyModel.h"
#include "ui/widgets/PageKit.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace cove::ui {

QList<QPair<QString, QString>> CreateKeyDialog::scopes() {
    // Made on each call: the descriptions follow the current language.
    const QStringList what = {
        tr("Create, start, stop and change sandboxes"),
        tr("Delete sandboxes"),
        tr("Create snapshots"),
        tr("Delete snapshots"),
        tr("Read volumes"),
        tr("Create volumes"),
        tr("Delete volumes"),
        tr("Read the audit log"),
    };
    static_assert(app::kGrantableScopes.size() == 8, "every grantable scope has its description here");
    QList<QPair<QString, QString>> out;
    for (std::size_t i = 0; i < app::kGrantableScopes.size(); ++i)
        out.append({QLatin1String(app::kGrantableScopes[i]), what[qsizetype(i)]});
    return out;
}

QList<CreateKeyDialog::Preset> CreateKeyDialog::presets() {
    return {
        {tr("Everything"),
         {QStringLiteral("write:sandboxes"), QStringLiteral("delete:sandboxes"),
          QStringLiteral("write:snapshots"), QStringLiteral("delete:snapshots"),
          QStringLiteral("read:volumes"), QStringLiteral("write:volumes"), QStringLiteral("delete:volumes"),
          QStringLiteral("read:audit_logs"), QStringLiteral("manage:secrets")}},
        {tr("An agent's sandboxes (create, use, delete)"),
         {QStringLiteral("write:sandboxes"), QStringLiteral("delete:sandboxes"),
          QStringLiteral("read:volumes")}},
        {tr("Read only"), {QStringLiteral("read:volumes"), QStringLiteral("read:audit_logs")}},
    };
}

CreateKeyDialog::CreateKeyDialog(QWidget* parent)
    : QDialog(parent)
    , m_name(new QLineEdit(this))
    , m_preset(new QComboBox(this))
    , m_expires(new QCheckBox(tr("Expires"), this))
    , m_expiresAt(new QDateTimeEdit(QDateTime::currentDateTime().addDays(30), this)) {
    setWindowTitle(tr("Create API key"));
    m_name->setPlaceholderText(tr("e.g. ci-agent"));
    m_name->setMaxLength(64);
    auto* form = new QFormLayout;
    form->addRow(tr("&Name"), m_name);
    for (const Preset& p : presets())
        m_preset->addItem(p.name, p.scopes);
    m_preset->addItem(tr("Custom"), QStringList());
    form->addRow(tr("&Preset"), m_preset);
    // The scopes grouped by what they concern, as the service names them (verb:resource).
    auto* scopeBox = new QGroupBox(tr("Permissions (grant only what the key needs)"), this);
    auto* scopeLayout = new QGridLayout(scopeBox);
    QMap<QString, QGroupBox*> groups;
    const QMap<QString, QString> groupTitle{{QStringLiteral("sandboxes"), tr("Sandboxes")},
                                            {QStringLiteral("snapshots"), tr("Snapshots")},
                                            {QStringLiteral("volumes"), tr("Volumes")},
                                            {QStringLiteral("audit_logs"), tr("Audit Logs")}};
    for (const auto& [scope, what] : scopes()) {
        const QString resource = scope.section(QLatin1Char(':'), 1);
        QGroupBox*& group = groups[resource];
        if (!group) {
            group = new QGroupBox(groupTitle.value(resource, resource), scopeBox);
            new QVBoxLayout(group);
            const int n = int(groups.size()) - 1;
            scopeLayout->addWidget(group, n / 2, n % 2);
        }
        auto* box = new QCheckBox(what, group);
        box->setToolTip(scope);
        box->setProperty("scope", scope);
        m_scopes << box;
        group->layout()->addWidget(box);
        connect(box, &QCheckBox::toggled, this, &CreateKeyDialog::matchPreset);
    }
    connect(m_preset, &QComboBox::activated, this, [this](int index) {
        const QStringList wanted = m_preset->itemData(index).toStringList();
        if (index == m_preset->count() - 1)
            return; // Custom: the boxes stay as they are
        for (auto* box : m_scopes)
            box->setChecked(wanted.contains(box->property("scope").toString()));
    });
    setPreset(1); // what an agent needs, nothing more
    m_expiresAt->setCalendarPopup(true);
    m_expiresAt->setMinimumDateTime(QDateTime::currentDateTime().addSecs(60));
    m_expiresAt->setEnabled(false);
    connect(m_expires, &QCheckBox::toggled, m_expiresAt, &QWidget::setEnabled);
    auto* expiry = new QHBoxLayout;
    expiry->addWidget(m_expires);
    expiry->addWidget(m_expiresAt, 1);
    form->addRow(tr("Expiry"), expiry);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Create"));
    m_ok->setEnabled(false);
    connect(m_name, &QLineEdit::textChanged, this,
            [this](const QString& t) { m_ok->setEnabled(!t.trimmed().isEmpty() && t.trimmed() == t); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(scopeBox);
    layout->addWidget(buttons);
}

void CreateKeyDialog::setPreset(int index) {
    m_preset->setCurrentIndex(index);
    emit m_preset->activated(index);
}

int CreateKeyDialog::presetIndex() const {
    return m_preset->currentIndex();
}

void CreateKeyDialog::matchPreset() {
    QStringList checked;
    for (auto* box : m_scopes)
        if (box->isChecked())
            checked << box->property("scope").toString();
    checked.sort();
    int match = m_preset->count() - 1;
    for (int i = 0; i + 1 < m_preset->count(); ++i) {
        QStringList scopes = m_preset->itemData(i).toStringList();
        scopes.sort();
        if (scopes == checked)
            match = i;
    }
    m_preset->setCurrentIndex(match);
}

app::CreateKeyRequest CreateKeyDialog::request() const {
    app::CreateKeyRequest r;
    r.name = m_name->text();
    for (auto* box : m_scopes)
        if (box->isChecked())
            r.permissions << box->property("scope").toString();
    if (m_expires->isChecked())
        r.expiresAt = m_expiresAt->dateTime().toUTC().toString(Qt::ISODate);
    return r;
}

ApiKeysPage::ApiKeysPage(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_api(client)
    , m_model(new app::ApiKeyModel(this))
    , m_view(new QTableView(this))
    , m_proxy(kit::setUpTable(m_view, m_model))
    , m_title(kit::pageTitle(QString(), this))
    , m_intro(kit::pageIntro(QString(), this))
    , m_create(new QPushButton(this))
    , m_revoke(new QPushButton(this))
    , m_message(kit::messageLine(this)) {
    m_create->setShortcut(QKeySequence::New);
    connect(m_create, &QPushButton::clicked, this, &ApiKeysPage::createKey);
    m_revoke->setEnabled(false);
    connect(m_revoke, &QPushButton::clicked, this, &ApiKeysPage::revokeSelected);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_create);
    buttons->addWidget(m_revoke);
    buttons->addStretch(1);

    m_view->horizontalHeader()->setSectionResizeMode(app::ApiKeyModel::Permissions, QHeaderView::Interactive);
    m_view->horizontalHeader()->resizeSection(app::ApiKeyModel::Permissions, 340);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_revoke->setEnabled(m_view->selectionModel()->hasSelection()); });
    auto* del = new QShortcut(QKeySequence::Delete, m_view);
    connect(del, &QShortcut::activated, this, &ApiKeysPage::revokeSelected);

    kit::pageLayout(this, m_title, m_intro, buttons, m_message, m_view);
    retranslateUi();
}

void ApiKeysPage::retranslateUi() {
    m_title->setText(tr("API Keys"));
    m_intro->setText(tr("Keys let scripts and agents use this service with the Daytona SDKs "
                        "(DAYTONA_API_KEY). A key's value is shown once, when it is made."));
    m_create->setText(tr("&Create key…"));
    m_revoke->setText(tr("&Revoke…"));
    m_view->setAccessibleName(tr("API keys"));
    m_model->retranslate();
}

void ApiKeysPage::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ApiKeysPage::refresh() {
    m_api.list(this, [this](const app::Result<QList<app::ApiKey>>& r) {
        if (!r.ok())
            return kit::showMessage(m_message, r.error().text);
        kit::showMessage(m_message, QString());
        m_model->setRecords(r.value());
    });
}

void ApiKeysPage::createKey() {
    CreateKeyDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_api.create(dialog.request(), this, [this](const app::Result<app::ApiKey>& r) {
        if (!r.ok())
            return kit::showMessage(m_message, r.error().text);
        emit keyCreated(r.value().name, r.value().value);
        refresh();
        showKeyOnce(r.value());
    });
}

void ApiKeysPage::showKeyOnce(const app::ApiKey& key) {
    // Shown once: the service keeps only a hash.
    QDialog shown(this);
    shown.setWindowTitle(tr("API key created"));
    auto* text = new QLabel(tr("Copy the key \"%1\" now. It will not be shown again.").arg(key.name), &shown);
    auto* field = new QLineEdit(key.value, &shown);
    field->setReadOnly(true);
    field->setMinimumWidth(560);
    field->selectAll();
    auto* copy = new QPushButton(tr("&Copy"), &shown);
    connect(copy, &QPushButton::clicked, &shown,
            [value = key.value] { QApplication::clipboard()->setText(value); });
    auto* done = new QDialogButtonBox(QDialogButtonBox::Close, &shown);
    connect(done, &QDialogButtonBox::rejected, &shown, &QDialog::reject);
    auto* row = new QHBoxLayout;
    row->addWidget(field, 1);
    row->addWidget(copy);
    auto* layout = new QVBoxLayout(&shown);
    layout->addWidget(text);
    layout->addLayout(row);
    layout->addWidget(done);
    shown.exec();
}

void ApiKeysPage::revokeSelected() {
    const int row = kit::selectedRow(m_view, m_proxy);
    if (row < 0)
        return;
    const QString name = m_model->at(row).name;
    if (!kit::confirm(
            this, tr("Revoke API key"),
            tr("Revoke the key \"%1\"? Scripts and agents using it stop working at once.").arg(name)))
        return;
    m_api.revoke(name, this, [this](const app::Result<app::Done>& r) {
        kit::showMessage(m_message, r.ok() ? QString() : r.error().text);
        refresh();
    });
}

} // namespace cove::ui
