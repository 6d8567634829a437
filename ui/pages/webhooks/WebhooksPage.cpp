// Endpoints and deliveries are read and changed through /api/webhooks, the routes any client can use.
#include "ui/pages/webhooks/WebhooksPage.h"

#include "app/ApiClient.h"
#include "ui/widgets/JsonTableModel.h"
#include "ui/widgets/PageKit.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace cove::ui {

QStringList WebhookEndpointDialog::eventTypes() {
    return {QStringLiteral("sandbox.created"),     QStringLiteral("sandbox.state.updated"),
            QStringLiteral("snapshot.created"),    QStringLiteral("snapshot.state.updated"),
            QStringLiteral("snapshot.removed"),    QStringLiteral("volume.created"),
            QStringLiteral("volume.state.updated")};
}

WebhookEndpointDialog::WebhookEndpointDialog(const QJsonObject& endpoint, QWidget* parent)
    : QDialog(parent)
    , m_url(new QLineEdit(endpoint.value(QStringLiteral("url")).toString(), this))
    , m_description(new QLineEdit(endpoint.value(QStringLiteral("description")).toString(), this))
    , m_enabled(new QCheckBox(tr("&Enabled"), this))
    , m_allowLocal(
          new QCheckBox(tr("Allow &local and private addresses (this computer, the local network)"), this)) {
    setWindowTitle(endpoint.isEmpty() ? tr("Add webhook endpoint") : tr("Edit webhook endpoint"));
    m_url->setPlaceholderText(tr("https://example.com/hooks/cove"));
    m_url->setMinimumWidth(480);
    m_enabled->setChecked(endpoint.value(QStringLiteral("enabled")).toBool(true));
    m_allowLocal->setChecked(endpoint.value(QStringLiteral("allowLocal")).toBool(false));
    m_allowLocal->setToolTip(tr("Off, deliveries go to public https:// addresses only. On, they may also go "
                                "over plain http:// to loopback, private networks and this computer's "
                                "addresses; never to sandboxes."));
    auto* form = new QFormLayout;
    form->addRow(tr("Endpoint &URL"), m_url);
    form->addRow(tr("&Description"), m_description);
    form->addRow(QString(), m_enabled);
    form->addRow(QString(), m_allowLocal);
    auto* events = new QGroupBox(tr("Events (none ticked: every event)"), this);
    auto* grid = new QGridLayout(events);
    const QJsonArray chosen = endpoint.value(QStringLiteral("eventTypes")).toArray();
    const QStringList types = eventTypes();
    for (int i = 0; i < types.size(); ++i) {
        auto* box = new QCheckBox(types[i], events);
        box->setChecked(chosen.contains(types[i]));
        m_events << box;
        grid->addWidget(box, i / 2, i % 2);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    QPushButton* ok = buttons->button(QDialogButtonBox::Ok);
    ok->setText(endpoint.isEmpty() ? tr("Add") : tr("Save"));
    const auto check = [this, ok] {
        const QString u = m_url->text().trimmed();
        ok->setEnabled(u.startsWith(QStringLiteral("https://")) ||
                       (u.startsWith(QStringLiteral("http://")) && m_allowLocal->isChecked()));
    };
    connect(m_url, &QLineEdit::textChanged, this, check);
    connect(m_allowLocal, &QCheckBox::toggled, this, check);
    check();
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(events);
    layout->addWidget(buttons);
}

QJsonObject WebhookEndpointDialog::request() const {
    QJsonArray events;
    for (auto* box : m_events)
        if (box->isChecked())
            events.append(box->text());
    return {{QStringLiteral("url"), m_url->text().trimmed()},
            {QStringLiteral("description"), m_description->text()},
            {QStringLiteral("enabled"), m_enabled->isChecked()},
            {QStringLiteral("allowLocal"), m_allowLocal->isChecked()},
            {QStringLiteral("eventTypes"), events}};
}

namespace {

QVector<JsonTableModel::Column> endpointColumns() {
    return {
        kit::textColumn(WebhooksPage::tr("URL"), QStringLiteral("url")),
        kit::textColumn(WebhooksPage::tr("Description"), QStringLiteral("description")),
        {WebhooksPage::tr("Events"),
         [](const QJsonObject& row, int role) -> QVariant {
             if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
                 return {};
             QStringList types;
             for (const auto& t : row.value(QStringLiteral("eventTypes")).toArray())
                 types << t.toString();
             return types.isEmpty() ? WebhooksPage::tr("all") : types.join(QStringLiteral(", "));
         }},
        {WebhooksPage::tr("Enabled"),
         [](const QJsonObject& row, int role) -> QVariant {
             if (role != Qt::DisplayRole)
                 return {};
             return row.value(QStringLiteral("enabled")).toBool() ? WebhooksPage::tr("yes")
                                                                  : WebhooksPage::tr("no");
         }},
        {WebhooksPage::tr("Local addresses"),
         [](const QJsonObject& row, int role) -> QVariant {
             if (role != Qt::DisplayRole)
                 return {};
             return row.value(QStringLiteral("allowLocal")).toBool() ? WebhooksPage::tr("allowed")
                                                                     : WebhooksPage::tr("refused");
         }},
        kit::dateColumn(WebhooksPage::tr("Created"), QStringLiteral("createdAt")),
    };
}

QString statusText(const QString& status) {
    if (status == QLatin1String("succeeded"))
        return WebhooksPage::tr("delivered");
    if (status == QLatin1String("pending"))
        return WebhooksPage::tr("pending");
    if (status == QLatin1String("failed"))
        return WebhooksPage::tr("failed");
    return status;
}

QVector<JsonTableModel::Column> deliveryColumns() {
    return {
        kit::dateColumn(WebhooksPage::tr("Time"), QStringLiteral("createdAt")),
        kit::textColumn(WebhooksPage::tr("Event"), QStringLiteral("eventType")),
        {WebhooksPage::tr("Status"),
         [](const QJsonObject& row, int role) -> QVariant {
             return role == Qt::DisplayRole
                        ? QVariant(statusText(row.value(QStringLiteral("status")).toString()))
                        : QVariant();
         }},
        kit::textColumn(WebhooksPage::tr("Attempts"), QStringLiteral("attempts")),
        {WebhooksPage::tr("Last answer"),
         [](const QJsonObject& row, int role) -> QVariant {
             if (role != Qt::DisplayRole)
                 return {};
             const QJsonValue code = row.value(QStringLiteral("lastStatusCode"));
             return code.isNull() ? QStringLiteral("—") : QString::number(code.toInt());
         }},
        {WebhooksPage::tr("Next retry"),
         [](const QJsonObject& row, int role) -> QVariant {
             return role == Qt::DisplayRole
                        ? QVariant(JsonTableModel::when(row.value(QStringLiteral("nextAttemptAt"))))
                        : QVariant();
         }},
        {WebhooksPage::tr("Error"),
         [](const QJsonObject& row, int role) -> QVariant {
             if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
                 return {};
             if (role == Qt::ToolTipRole) {
                 // Every attempt: when, its answer, how long it took.
                 QStringList lines;
                 for (const auto& a : row.value(QStringLiteral("attemptLog")).toArray()) {
                     const QJsonObject o = a.toObject();
                     const QJsonValue code = o.value(QStringLiteral("statusCode"));
                     lines << WebhooksPage::tr("#%1 %2: %3 in %4 ms %5")
                                  .arg(o.value(QStringLiteral("attempt")).toInt())
                                  .arg(JsonTableModel::when(o.value(QStringLiteral("timestamp"))),
                                       code.isNull() ? QStringLiteral("—") : QString::number(code.toInt()))
                                  .arg(o.value(QStringLiteral("durationMs")).toInt())
                                  .arg(o.value(QStringLiteral("error")).toString());
                 }
                 return lines.join(QLatin1Char('\n'));
             }
             return row.value(QStringLiteral("lastError")).toString();
         }},
    };
}

QString idPath(const QString& id) {
    return QStringLiteral("/api/webhooks/endpoints/") + QString::fromLatin1(QUrl::toPercentEncoding(id));
}

} // namespace

WebhooksPage::WebhooksPage(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_client(client)
    , m_endpoints(new JsonTableModel(endpointColumns(), this))
    , m_deliveries(new JsonTableModel(deliveryColumns(), this))
    , m_endpointView(new QTableView(this))
    , m_deliveryView(new QTableView(this))
    , m_endpointProxy(kit::setUpTable(m_endpointView, m_endpoints))
    , m_title(kit::pageTitle(QString(), this))
    , m_intro(kit::pageIntro(QString(), this))
    , m_logTitle(new QLabel(this))
    , m_add(new QPushButton(this))
    , m_edit(new QPushButton(this))
    , m_delete(new QPushButton(this))
    , m_test(new QPushButton(this))
    , m_secret(new QPushButton(this))
    , m_message(kit::messageLine(this)) {
    kit::setUpTable(m_deliveryView, m_deliveries);
    m_endpointView->setObjectName(QStringLiteral("webhookEndpoints"));
    m_deliveryView->setObjectName(QStringLiteral("webhookDeliveries"));
    m_add->setShortcut(QKeySequence::New);
    connect(m_add, &QPushButton::clicked, this, &WebhooksPage::addEndpoint);
    connect(m_edit, &QPushButton::clicked, this, &WebhooksPage::editSelected);
    connect(m_delete, &QPushButton::clicked, this, &WebhooksPage::deleteSelected);
    connect(m_test, &QPushButton::clicked, this, &WebhooksPage::sendTest);
    connect(m_secret, &QPushButton::clicked, this, &WebhooksPage::revealSecret);
    const auto selectionChanged = [this] {
        const bool any = m_endpointView->selectionModel()->hasSelection();
        for (auto* b : {m_edit, m_delete, m_test, m_secret})
            b->setEnabled(any);
        refreshDeliveries();
    };
    connect(m_endpointView->selectionModel(), &QItemSelectionModel::selectionChanged, this, selectionChanged);
    for (auto* b : {m_edit, m_delete, m_test, m_secret})
        b->setEnabled(false);
    m_endpointView->horizontalHeader()->resizeSection(0, 320);
    m_deliveryView->horizontalHeader()->setStretchLastSection(true);
    auto* buttons = new QHBoxLayout;
    for (auto* b : {m_add, m_edit, m_delete, m_test, m_secret})
        buttons->addWidget(b);
    buttons->addStretch(1);

    auto* log = new QWidget(this);
    auto* logLayout = new QVBoxLayout(log);
    logLayout->setContentsMargins(0, 0, 0, 0);
    logLayout->addWidget(m_logTitle);
    logLayout->addWidget(m_deliveryView, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("webhooksSplitter"));
    split->addWidget(m_endpointView);
    split->addWidget(log);
    split->setChildrenCollapsible(false);

    kit::pageLayout(this, m_title, m_intro, buttons, m_message, split);
    retranslateUi();
}

void WebhooksPage::retranslateUi() {
    m_title->setText(tr("Webhooks"));
    m_intro->setText(
        tr("Cove sends sandbox, snapshot and volume events to your endpoints as signed HTTP "
           "requests (Svix-style, as Daytona does), retrying failed deliveries for up to a day."));
    m_logTitle->setText(tr("Delivery log (of the selected endpoint, or of all)"));
    m_add->setText(tr("&Add endpoint…"));
    m_edit->setText(tr("&Edit…"));
    m_delete->setText(tr("&Delete…"));
    m_test->setText(tr("Send &test"));
    m_secret->setText(tr("Signing &secret…"));
    m_endpointView->setAccessibleName(tr("Webhook endpoints"));
    m_deliveryView->setAccessibleName(tr("Webhook deliveries"));
}

void WebhooksPage::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

QJsonObject WebhooksPage::selected() const {
    const int row = kit::selectedRow(m_endpointView, m_endpointProxy);
    return row < 0 ? QJsonObject() : m_endpoints->rowAt(row);
}

void WebhooksPage::refresh() {
    m_client->get(QStringLiteral("/api/webhooks/endpoints"), this, [this](const app::ApiResult& r) {
        if (!r.ok)
            return kit::showMessage(m_message, r.error);
        kit::showMessage(m_message, QString());
        const QString keep = selected().value(QStringLiteral("id")).toString();
        m_endpoints->setRows(r.json.array());
        for (int row = 0; row < m_endpoints->rowCount(); ++row)
            if (m_endpoints->rowAt(row).value(QStringLiteral("id")).toString() == keep)
                m_endpointView->selectRow(m_endpointProxy->mapFromSource(m_endpoints->index(row, 0)).row());
        refreshDeliveries();
    });
}

void WebhooksPage::refreshDeliveries() {
    QString path = QStringLiteral("/api/webhooks/deliveries?limit=200");
    const QString id = selected().value(QStringLiteral("id")).toString();
    if (!id.isEmpty())
        path += QStringLiteral("&endpointId=") + QString::fromLatin1(QUrl::toPercentEncoding(id));
    m_client->get(path, this, [this](const app::ApiResult& r) {
        if (r.ok)
            m_deliveries->setRows(r.json.array());
    });
}

void WebhooksPage::addEndpoint() {
    WebhookEndpointDialog dialog({}, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_client->post(
        QStringLiteral("/api/webhooks/endpoints"), dialog.request(), this, [this](const app::ApiResult& r) {
            if (!r.ok)
                return kit::showMessage(m_message, r.error);
            refresh();
            const QJsonObject o = r.json.object();
            showSecret(o.value(QStringLiteral("id")).toString(), o.value(QStringLiteral("secret")).toString(),
                       tr("Receivers check each delivery's signature with this secret. Copy it now; "
                          "\"Signing secret…\" shows it again."));
        });
}

void WebhooksPage::editSelected() {
    const QJsonObject e = selected();
    if (e.isEmpty())
        return;
    WebhookEndpointDialog dialog(e, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_client->send("PATCH", idPath(e.value(QStringLiteral("id")).toString()),
                   QJsonDocument(dialog.request()).toJson(QJsonDocument::Compact), {}, this,
                   [this](const app::ApiResult& r) {
                       kit::showMessage(m_message, r.ok ? QString() : r.error);
                       refresh();
                   });
}

void WebhooksPage::deleteSelected() {
    const QJsonObject e = selected();
    if (e.isEmpty())
        return;
    if (!kit::confirm(this, tr("Delete webhook endpoint"),
                      tr("Delete the endpoint %1? Its pending deliveries are dropped.")
                          .arg(e.value(QStringLiteral("url")).toString())))
        return;
    m_client->del(idPath(e.value(QStringLiteral("id")).toString()), this, [this](const app::ApiResult& r) {
        kit::showMessage(m_message, r.ok ? QString() : r.error);
        refresh();
    });
}

void WebhooksPage::postToSelected(const QString& suffix, std::function<void(const app::ApiResult&)> done) {
    const QJsonObject e = selected();
    if (e.isEmpty())
        return;
    m_client->post(idPath(e.value(QStringLiteral("id")).toString()) + suffix, {}, this, std::move(done));
}

void WebhooksPage::sendTest() {
    postToSelected(QStringLiteral("/test"), [this](const app::ApiResult& r) {
        kit::showMessage(
            m_message,
            r.ok ? tr("Test message %1 queued.").arg(r.json.object().value(QStringLiteral("id")).toString())
                 : r.error);
        refreshDeliveries();
    });
}

void WebhooksPage::revealSecret() {
    postToSelected(QStringLiteral("/secret"), [this](const app::ApiResult& r) {
        if (!r.ok)
            return kit::showMessage(m_message, r.error);
        const QJsonObject o = r.json.object();
        showSecret(o.value(QStringLiteral("id")).toString(), o.value(QStringLiteral("secret")).toString(),
                   tr("Receivers check each delivery's signature with this secret."));
    });
}

void WebhooksPage::showSecret(const QString& id, const QString& secret, const QString& text) {
    emit secretShown(id, secret);
    QDialog shown(this);
    shown.setWindowTitle(tr("Signing secret"));
    auto* label = new QLabel(text, &shown);
    label->setWordWrap(true);
    auto* field = new QLineEdit(secret, &shown);
    field->setReadOnly(true);
    field->setMinimumWidth(480);
    auto* copy = new QPushButton(tr("&Copy"), &shown);
    connect(copy, &QPushButton::clicked, &shown, [secret] { QApplication::clipboard()->setText(secret); });
    auto* rotate = new QPushButton(tr("&Rotate"), &shown);
    connect(rotate, &QPushButton::clicked, &shown, [this, id, field, &shown] {
        if (!kit::confirm(&shown, tr("Rotate signing secret"),
                          tr("Make a new secret? Receivers must use it from the next delivery on.")))
            return;
        m_client->post(idPath(id) + QStringLiteral("/secret/rotate"), {}, field,
                       [this, field](const app::ApiResult& r) {
                           if (r.ok)
                               field->setText(r.json.object().value(QStringLiteral("secret")).toString());
                           else
                               kit::showMessage(m_message, r.error);
                       });
    });
    auto* done = new QDialogButtonBox(QDialogButtonBox::Close, &shown);
    connect(done, &QDialogButtonBox::rejected, &shown, &QDialog::reject);
    auto* row = new QHBoxLayout;
    row->addWidget(field, 1);
    row->addWidget(copy);
    row->addWidget(rotate);
    auto* layout = new QVBoxLayout(&shown);
    layout->addWidget(label);
    layout->addLayout(row);
    layout->addWidget(done);
    shown.exec();
}

} // namespace cove::ui
