// Reads the log through AuditApi (scope read:audit_logs) with the page's filters, and exports it.
#include "ui/pages/audit/AuditLogPage.h"

#include "app/AuditLogModel.h"
#include "ui/Appearance.h"
#include "ui/widgets/PageKit.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace cove::ui {

namespace {

constexpr int kPageSize = 200;

// The actions the filter offers; any other can be typed.
constexpr const char* kActions[] = {"create",
                                    "delete",
                                    "start",
                                    "stop",
                                    "archive",
                                    "update",
                                    "replace_labels",
                                    "update_quota",
                                    "authenticate",
                                    "toolbox_execute_command",
                                    "toolbox_upload_file",
                                    "toolbox_download_file"};

class OutcomeDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override {
        QStyledItemDelegate::initStyleOption(option, index);
        option->palette.setColor(
            QPalette::Text, AuditLogPage::outcomeColour(index.data(app::AuditLogModel::FailedRole).toBool()));
    }
};

} // namespace

AuditLogPage::AuditLogPage(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_api(client)
    , m_model(new app::AuditLogModel(this))
    , m_view(new QTableView(this))
    , m_proxy(kit::setUpTable(m_view, m_model))
    , m_title(kit::pageTitle(QString(), this))
    , m_action(new QComboBox(this))
    , m_outcome(new QComboBox(this))
    , m_target(new QLineEdit(this))
    , m_export(new QPushButton(this))
    , m_exportMenu(new QMenu(m_export))
    , m_more(new QPushButton(this))
    , m_live(new QCheckBox(this))
    , m_count(new QLabel(this))
    , m_message(kit::messageLine(this)) {
    m_action->setEditable(true);
    m_action->addItem(QString(), QString()); // "All actions", named by retranslateUi
    for (const char* a : kActions)
        m_action->addItem(QLatin1String(a), QLatin1String(a));
    m_outcome->addItem(QString(), QString());
    m_outcome->addItem(QString(), QStringLiteral("success"));
    m_outcome->addItem(QString(), QStringLiteral("error"));
    m_target->setClearButtonEnabled(true);
    m_exportMenu->addAction(QString(), this, [this] { exportLog(QStringLiteral("csv")); });
    m_exportMenu->addAction(QString(), this, [this] { exportLog(QStringLiteral("json")); });
    m_export->setMenu(m_exportMenu);
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
    filters->addWidget(m_export);

    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(app::AuditLogModel::Outcome, QHeaderView::Stretch);
    m_view->setItemDelegateForColumn(app::AuditLogModel::Outcome, new OutcomeDelegate(m_view));
    connect(m_view, &QTableView::activated, this,
            [this](const QModelIndex& index) { showDetails(m_proxy->mapToSource(index).row()); });

    auto* footer = new QHBoxLayout;
    footer->addWidget(m_count, 1);
    footer->addWidget(m_more);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(filters);
    layout->addWidget(m_message);
    layout->addWidget(m_view, 1);
    layout->addLayout(footer);
    retranslateUi();
}

void AuditLogPage::retranslateUi() {
    m_title->setText(tr("Audit Logs"));
    // Item 0 is "all"; while it is current its text is the combo's, so the filter stays empty.
    const QSignalBlocker quiet(m_action);
    m_action->setItemText(0, tr("All actions"));
    if (m_action->currentIndex() == 0)
        m_action->setEditText(m_action->itemText(0));
    m_action->setAccessibleName(tr("Action"));
    m_outcome->setItemText(0, tr("All outcomes"));
    m_outcome->setItemText(1, tr("Success"));
    m_outcome->setItemText(2, tr("Error"));
    m_outcome->setAccessibleName(tr("Outcome"));
    m_target->setPlaceholderText(tr("Target ID"));
    m_export->setText(tr("&Export…"));
    m_exportMenu->actions().at(0)->setText(tr("As &CSV…"));
    m_exportMenu->actions().at(1)->setText(tr("As &JSON…"));
    m_live->setText(tr("&Live"));
    m_live->setToolTip(tr("Show new entries as they happen"));
    m_more->setText(tr("Load &more"));
    m_view->setAccessibleName(tr("Audit log"));
    m_view->setToolTip(tr("Double-click or press Enter for the whole entry"));
    m_model->retranslate();
    showCount();
}

void AuditLogPage::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

QColor AuditLogPage::outcomeColour(bool failed) {
    // Lighter on a dark theme.
    const bool dark = appearance::isDark();
    if (failed)
        return dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xc2, 0x30, 0x30);
    return dark ? QColor(0x7e, 0xe7, 0x87) : QColor(0x1a, 0x7f, 0x37);
}

app::AuditFilter AuditLogPage::filter() const {
    app::AuditFilter f;
    if (!(m_action->currentIndex() == 0 && m_action->currentText() == m_action->itemText(0)))
        f.action = m_action->currentText().trimmed();
    f.outcome = m_outcome->currentData().toString();
    f.targetId = m_target->text().trimmed();
    return f;
}

void AuditLogPage::refresh() {
    load(false);
}

void AuditLogPage::loadMore() {
    load(true);
}

void AuditLogPage::load(bool append) {
    m_api.list(filter(), kPageSize, append ? m_nextToken : QString(), this,
               [this, append](const app::Result<app::AuditPage>& r) {
                   if (!r.ok())
                       return kit::showMessage(m_message, r.error().text);
                   kit::showMessage(m_message, QString());
                   if (append)
                       m_model->appendRecords(r.value().items);
                   else
                       m_model->setRecords(r.value().items);
                   m_nextToken = r.value().nextToken;
                   m_total = r.value().total;
                   m_more->setEnabled(!m_nextToken.isEmpty());
                   showCount();
               });
}

void AuditLogPage::showCount() {
    m_count->setText(m_total < 0 ? QString() : tr("%1 of %2 entries").arg(m_model->rowCount()).arg(m_total));
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
    m_api.exportLog(filter(), format, this, [this, target](const app::Result<QByteArray>& r) {
        if (!r.ok())
            return kit::showMessage(m_message, r.error().text);
        QSaveFile out(target);
        if (!out.open(QIODevice::WriteOnly) || out.write(r.value()) != r.value().size() || !out.commit())
            return kit::showMessage(m_message, tr("Cannot write %1: %2").arg(target, out.errorString()));
        kit::showMessage(m_message, tr("Exported to %1.").arg(target));
    });
}

void AuditLogPage::addLive(const QJsonObject& entry) {
    // Only while live and unfiltered: a filtered list shows what the service matched, nothing else.
    if (!m_live->isChecked() || !filter().isEmpty())
        return;
    m_model->prependRecord(app::AuditEntry::fromJson(entry));
}

void AuditLogPage::showDetails(int row) {
    if (row < 0 || row >= m_model->rowCount())
        return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Audit entry"));
    auto* text = new QPlainTextEdit(&dialog);
    text->setReadOnly(true);
    text->setPlainText(
        QString::fromUtf8(QJsonDocument(m_model->at(row).raw).toJson(QJsonDocument::Indented)));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(text);
    layout->addWidget(buttons);
    dialog.resize(560, 420);
    dialog.exec();
}

} // namespace cove::ui
