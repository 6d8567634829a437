// Reads GET /api/audit (scope read:audit_logs) with the page's filters; exports with ?format=csv.
#include "ui/pages/audit/AuditLogPage.h"

#include "app/ApiClient.h"
#include "ui/Appearance.h"
#include "ui/widgets/JsonTableModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QTableView>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace cove::ui {

namespace {

QVariant text(const QJsonObject& row, const char* key, int role) {
    return role == Qt::DisplayRole ? row.value(QLatin1String(key)).toVariant() : QVariant();
}

} // namespace

AuditLogPage::AuditLogPage(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_client(client)
    , m_model(new JsonTableModel(
          {
              {tr("Time"),
               [](const QJsonObject& r, int role) -> QVariant {
                   return role == Qt::DisplayRole ? JsonTableModel::when(r.value(QStringLiteral("createdAt")))
                                                  : QVariant();
               }},
              {tr("Actor"),
               [](const QJsonObject& r, int role) -> QVariant {
                   if (role == Qt::ToolTipRole && !r.value(QStringLiteral("actorApiKeyPrefix")).isNull())
                       return r.value(QStringLiteral("actorApiKeyPrefix")).toString() + QStringLiteral("…") +
                              r.value(QStringLiteral("actorApiKeySuffix")).toString();
                   return text(r, "actorEmail", role);
               }},
              {tr("Action"), [](const QJsonObject& r, int role) { return text(r, "action", role); }},
              {tr("Target"),
               [](const QJsonObject& r, int role) -> QVariant {
                   if (role != Qt::DisplayRole)
                       return {};
                   const QString id = r.value(QStringLiteral("targetId")).toString();
                   return r.value(QStringLiteral("targetType")).toString() +
                          (id.isEmpty() ? QString() : QStringLiteral(" (") + id + QLatin1Char(')'));
               }},
              {tr("Outcome"),
               [](const QJsonObject& r, int role) -> QVariant {
                   const int status = r.value(QStringLiteral("statusCode")).toInt();
                   if (role == Qt::ForegroundRole) {
                       // Red for refusals and failures, green for success; lighter on a dark theme.
                       const bool dark = appearance::isDark();
                       if (status >= 400)
                           return dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xc2, 0x30, 0x30);
                       return dark ? QColor(0x7e, 0xe7, 0x87) : QColor(0x1a, 0x7f, 0x37);
                   }
                   if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
                       return {};
                   const QString message = r.value(QStringLiteral("errorMessage")).toString();
                   const QString kind =
                       status >= 400 ? AuditLogPage::tr("Error") : AuditLogPage::tr("Success");
                   return kind + QStringLiteral(" (") + QString::number(status) + QLatin1Char(')') +
                          (message.isEmpty() ? QString() : QStringLiteral(": ") + message);
               }},
              {tr("Source"), [](const QJsonObject& r, int role) { return text(r, "source", role); }},
          },
          this))
    , m_view(new QTableView(this))
    , m_action(new QComboBox(this))
    , m_outcome(new QComboBox(this))
    , m_target(new QLineEdit(this))
    , m_more(new QPushButton(tr("Load &more"), this))
    , m_live(new QCheckBox(tr("&Live"), this))
    , m_count(new QLabel(this))
    , m_message(new QLabel(this)) {
    auto* title = new QLabel(tr("Audit Logs"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.5);
    f.setBold(true);
    title->setFont(f);

    m_action->setEditable(true);
    m_action->addItem(tr("All actions"), QString());
    for (const char* a :
         {"create", "delete", "start", "stop", "archive", "update", "replace_labels", "update_quota",
          "authenticate", "toolbox_execute_command", "toolbox_upload_file", "toolbox_download_file"})
        m_action->addItem(QLatin1String(a), QLatin1String(a));
    m_action->setAccessibleName(tr("Action"));
    m_outcome->addItem(tr("All outcomes"), QString());
    m_outcome->addItem(tr("Success"), QStringLiteral("success"));
    m_outcome->addItem(tr("Error"), QStringLiteral("error"));
    m_outcome->setAccessibleName(tr("Outcome"));
    m_target->setPlaceholderText(tr("Target ID"));
    m_target->setClearButtonEnabled(true);
    auto* exportButton = new QPushButton(tr("&Export…"), this);
    auto* exportMenu = new QMenu(exportButton);
    exportMenu->addAction(tr("As &CSV…"), this, [this] { exportLog(QStringLiteral("csv")); });
    exportMenu->addAction(tr("As &JSON…"), this, [this] { exportLog(QStringLiteral("json")); });
    exportButton->setMenu(exportMenu);
    m_live->setToolTip(tr("Show new entries as they happen"));
    m_live->setChecked(true);
    connect(m_action, &QComboBox::currentTextChanged, this, &AuditLogPage::refresh);
    connect(m_outcome, &QComboBox::currentIndexChanged, this, &AuditLogPage::refresh);
    connect(m_target, &QLineEdit::editingFinished, this, &AuditLogPage::refresh);
    connect(m_more, &QPushButton::clicked, this, &AuditLogPage::loadMore);
    auto* filters = new QHBoxLayout;
    filters->addWidget(m_action);
    filters->addWidget(m_outcome);
    filters->addWidget(m_target, 1);
    filters->addWidget(m_live);
    filters->addWidget(exportButton);

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(4, QHeaderView::Stretch);
    m_view->setAccessibleName(tr("Audit log"));
    m_view->setToolTip(tr("Double-click or press Enter for the whole entry"));
    connect(m_view, &QTableView::activated, this,
            [this](const QModelIndex& index) { showDetails(index.row()); });

    m_message->setWordWrap(true);
    m_message->hide();
    auto* footer = new QHBoxLayout;
    footer->addWidget(m_count, 1);
    footer->addWidget(m_more);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(filters);
    layout->addWidget(m_message);
    layout->addWidget(m_view, 1);
    layout->addLayout(footer);
}

QString AuditLogPage::query() const {
    QUrlQuery q;
    const QString action = m_action->currentIndex() == 0 && m_action->currentText() == m_action->itemText(0)
                               ? QString()
                               : m_action->currentText().trimmed();
    if (!action.isEmpty())
        q.addQueryItem(QStringLiteral("action"), action);
    if (!m_outcome->currentData().toString().isEmpty())
        q.addQueryItem(QStringLiteral("outcome"), m_outcome->currentData().toString());
    if (!m_target->text().trimmed().isEmpty())
        q.addQueryItem(QStringLiteral("targetId"), m_target->text().trimmed());
    return q.toString(QUrl::FullyEncoded);
}

void AuditLogPage::refresh() {
    load(false);
}

void AuditLogPage::loadMore() {
    load(true);
}

void AuditLogPage::load(bool append) {
    QString path = QStringLiteral("/api/audit?limit=200");
    if (!query().isEmpty())
        path += QLatin1Char('&') + query();
    if (append && !m_nextToken.isEmpty())
        path += QStringLiteral("&nextToken=") + m_nextToken;
    m_client->get(path, this, [this, append](const app::ApiResult& r) {
        if (!r.ok) {
            m_message->setText(r.error);
            m_message->show();
            return;
        }
        m_message->hide();
        const QJsonObject page = r.json.object();
        const QJsonArray items = page.value(QStringLiteral("items")).toArray();
        if (append)
            m_model->appendRows(items);
        else
            m_model->setRows(items);
        m_nextToken = page.value(QStringLiteral("nextToken")).toString();
        m_more->setEnabled(!m_nextToken.isEmpty());
        m_count->setText(
            tr("%1 of %2 entries").arg(m_model->rowCount()).arg(page.value(QStringLiteral("total")).toInt()));
    });
}

void AuditLogPage::exportLog(const QString& format, const QString& fileName) {
    const bool csv = format == QLatin1String("csv");
    const QString target =
        !fileName.isEmpty() ? fileName
        : csv ? QFileDialog::getSaveFileName(this, tr("Export audit log"), QStringLiteral("cove-audit.csv"),
                                             tr("CSV files (*.csv)"))
              : QFileDialog::getSaveFileName(this, tr("Export audit log"), QStringLiteral("cove-audit.json"),
                                             tr("JSON files (*.json)"));
    if (target.isEmpty())
        return;
    QString path = QStringLiteral("/api/audit?format=") + format;
    if (!query().isEmpty())
        path += QLatin1Char('&') + query();
    m_client->get(path, this, [this, target](const app::ApiResult& r) {
        QSaveFile out(target);
        if (!r.ok || !out.open(QIODevice::WriteOnly) || out.write(r.body) != r.body.size() || !out.commit()) {
            m_message->setText(r.ok ? tr("Cannot write %1: %2").arg(target, out.errorString()) : r.error);
            m_message->show();
            return;
        }
        m_message->setText(tr("Exported to %1.").arg(target));
        m_message->show();
    });
}

void AuditLogPage::addLive(const QJsonObject& entry) {
    // Only while live and unfiltered: a filtered list shows what the service matched, nothing else.
    if (!m_live->isChecked() || !query().isEmpty())
        return;
    m_model->prependRow(entry);
}

void AuditLogPage::showDetails(int row) {
    if (row < 0 || row >= m_model->rowCount())
        return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Audit entry"));
    auto* text = new QPlainTextEdit(&dialog);
    text->setReadOnly(true);
    text->setPlainText(QString::fromUtf8(QJsonDocument(m_model->rowAt(row)).toJson(QJsonDocument::Indented)));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(text);
    layout->addWidget(buttons);
    dialog.resize(560, 420);
    dialog.exec();
}

} // namespace cove::ui
