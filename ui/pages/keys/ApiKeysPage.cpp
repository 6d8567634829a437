// Keys come from /api/api-keys; making and revoking go through the same API the SDKs use.
#include "ui/pages/keys/ApiKeysPage.h"

#include "app/ApiClient.h"
#include "ui/widgets/JsonTableModel.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QTableView>
#include <QVBoxLayout>

namespace cove::ui {

QList<QPair<QString, QString>> CreateKeyDialog::scopes() {
    // Made on each call: the descriptions follow the current language.
    return {
        {QStringLiteral("write:sandboxes"), tr("Create, start, stop and change sandboxes")},
        {QStringLiteral("delete:sandboxes"), tr("Delete sandboxes")},
        {QStringLiteral("write:snapshots"), tr("Create snapshots")},
        {QStringLiteral("delete:snapshots"), tr("Delete snapshots")},
        {QStringLiteral("read:volumes"), tr("Read volumes")},
        {QStringLiteral("write:volumes"), tr("Create volumes")},
        {QStringLiteral("delete:volumes"), tr("Delete volumes")},
        {QStringLiteral("read:audit_logs"), tr("Read the audit log")},
    };
}

QList<CreateKeyDialog::Preset> CreateKeyDialog::presets() {
    return {
        {tr("Everything"),
         {QStringLiteral("write:sandboxes"), QStringLiteral("delete:sandboxes"),
          QStringLiteral("write:snapshots"), QStringLiteral("delete:snapshots"),
          QStringLiteral("read:volumes"), QStringLiteral("write:volumes"), QStringLiteral("delete:volumes"),
          QStringLiteral("read:audit_logs")}},
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

QJsonObject CreateKeyDialog::request() const {
    QJsonArray permissions;
    for (auto* box : m_scopes)
        if (box->isChecked())
            permissions.append(box->property("scope").toString());
    QJsonObject body{{QStringLiteral("name"), m_name->text()}, {QStringLiteral("permissions"), permissions}};
    if (m_expires->isChecked())
        body.insert(QStringLiteral("expiresAt"), m_expiresAt->dateTime().toUTC().toString(Qt::ISODate));
    return body;
}

ApiKeysPage::ApiKeysPage(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_client(client)
    , m_model(new JsonTableModel(
          {
              {tr("Name"),
               [](const QJsonObject& k, int role) -> QVariant {
                   return role == Qt::DisplayRole ? k.value(QStringLiteral("name")).toVariant() : QVariant();
               }},
              {tr("Key"),
               [](const QJsonObject& k, int role) -> QVariant {
                   return role == Qt::DisplayRole ? k.value(QStringLiteral("value")).toVariant() : QVariant();
               }},
              {tr("Permissions"),
               [](const QJsonObject& k, int role) -> QVariant {
                   if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
                       return {};
                   QStringList scopes;
                   for (const auto& s : k.value(QStringLiteral("permissions")).toArray())
                       scopes << s.toString();
                   // The admin key holds every scope there is; say so rather than list fifteen.
                   if (role == Qt::DisplayRole && scopes.size() > CreateKeyDialog::scopes().size())
                       return tr("all (%n scopes)", nullptr, int(scopes.size()));
                   return scopes.isEmpty() ? tr("none") : scopes.join(QStringLiteral(", "));
               }},
              {tr("Created"),
               [](const QJsonObject& k, int role) -> QVariant {
                   return role == Qt::DisplayRole ? JsonTableModel::when(k.value(QStringLiteral("createdAt")))
                                                  : QVariant();
               }},
              {tr("Last used"),
               [](const QJsonObject& k, int role) -> QVariant {
                   return role == Qt::DisplayRole
                              ? JsonTableModel::when(k.value(QStringLiteral("lastUsedAt")))
                              : QVariant();
               }},
              {tr("Expires"),
               [](const QJsonObject& k, int role) -> QVariant {
                   if (role != Qt::DisplayRole)
                       return {};
                   return k.value(QStringLiteral("expiresAt")).isNull()
                              ? tr("never")
                              : JsonTableModel::when(k.value(QStringLiteral("expiresAt")));
               }},
          },
          this))
    , m_view(new QTableView(this))
    , m_revoke(new QPushButton(tr("&Revoke…"), this))
    , m_message(new QLabel(this)) {
    auto* title = new QLabel(tr("API Keys"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.5);
    f.setBold(true);
    title->setFont(f);
    auto* intro = new QLabel(tr("Keys let scripts and agents use this service with the Daytona SDKs "
                                "(DAYTONA_API_KEY). A key's value is shown once, when it is made."),
                             this);
    intro->setWordWrap(true);

    auto* create = new QPushButton(tr("&Create key…"), this);
    create->setShortcut(QKeySequence::New);
    connect(create, &QPushButton::clicked, this, &ApiKeysPage::createKey);
    m_revoke->setEnabled(false);
    connect(m_revoke, &QPushButton::clicked, this, &ApiKeysPage::revokeSelected);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(create);
    buttons->addWidget(m_revoke);
    buttons->addStretch(1);

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Interactive);
    m_view->horizontalHeader()->resizeSection(2, 340);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setWordWrap(false);
    m_view->setAccessibleName(tr("API keys"));
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_revoke->setEnabled(m_view->selectionModel()->hasSelection()); });
    auto* del = new QShortcut(QKeySequence::Delete, m_view);
    connect(del, &QShortcut::activated, this, &ApiKeysPage::revokeSelected);

    m_message->setWordWrap(true);
    m_message->hide();

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addLayout(buttons);
    layout->addWidget(m_message);
    layout->addWidget(m_view, 1);
}

void ApiKeysPage::refresh() {
    m_client->get(QStringLiteral("/api/api-keys"), this, [this](const app::ApiResult& r) {
        if (!r.ok) {
            m_message->setText(r.error);
            m_message->show();
            return;
        }
        m_message->hide();
        m_model->setRows(r.json.array());
    });
}

void ApiKeysPage::createKey() {
    CreateKeyDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_client->post(QStringLiteral("/api/api-keys"), dialog.request(), this, [this](const app::ApiResult& r) {
        if (!r.ok) {
            m_message->setText(r.error);
            m_message->show();
            return;
        }
        const QString name = r.json.object().value(QStringLiteral("name")).toString();
        const QString value = r.json.object().value(QStringLiteral("value")).toString();
        emit keyCreated(name, value);
        refresh();
        // Shown once: the service keeps only a hash.
        QDialog shown(this);
        shown.setWindowTitle(tr("API key created"));
        auto* text = new QLabel(tr("Copy the key \"%1\" now. It will not be shown again.").arg(name), &shown);
        auto* field = new QLineEdit(value, &shown);
        field->setReadOnly(true);
        field->setMinimumWidth(560);
        field->selectAll();
        auto* copy = new QPushButton(tr("&Copy"), &shown);
        connect(copy, &QPushButton::clicked, &shown, [value] { QApplication::clipboard()->setText(value); });
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
    });
}

void ApiKeysPage::revokeSelected() {
    const auto rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const QString name = m_model->rowAt(rows.first().row()).value(QStringLiteral("name")).toString();
    if (QMessageBox::question(
            this, tr("Revoke API key"),
            tr("Revoke the key \"%1\"? Scripts and agents using it stop working at once.").arg(name),
            QMessageBox::Cancel | QMessageBox::Yes, QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    m_client->del(QStringLiteral("/api/api-keys/") + QString::fromUtf8(QUrl::toPercentEncoding(name)), this,
                  [this](const app::ApiResult& r) {
                      if (!r.ok) {
                          m_message->setText(r.error);
                          m_message->show();
                      }
                      refresh();
                  });
}

} // namespace cove::ui
