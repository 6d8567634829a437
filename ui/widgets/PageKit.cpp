#include "ui/widgets/PageKit.h"

#include <QAction>
#include <QCoreApplication>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace cove::ui::kit {

QLabel* pageTitle(const QString& text, QWidget* parent) {
    auto* title = new QLabel(text, parent);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.5);
    f.setBold(true);
    title->setFont(f);
    return title;
}

QLabel* pageIntro(const QString& text, QWidget* parent) {
    auto* intro = new QLabel(text, parent);
    intro->setWordWrap(true);
    return intro;
}

QVBoxLayout* pageLayout(QWidget* page, QLabel* title, QLabel* intro, QLayout* buttons, QLabel* message,
                        QWidget* body) {
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addLayout(buttons);
    layout->addWidget(message);
    layout->addWidget(body, 1);
    return layout;
}

QLabel* messageLine(QWidget* parent) {
    auto* line = new QLabel(parent);
    line->setWordWrap(true);
    line->setTextInteractionFlags(Qt::TextSelectableByMouse);
    line->setStyleSheet(QStringLiteral("color: #b3261e;"));
    line->hide();
    return line;
}

void showMessage(QLabel* line, const QString& text) {
    line->setText(text);
    line->setVisible(!text.isEmpty());
}

namespace {
constexpr int kBusyBarChars = 12; // wide enough to be seen moving, narrow enough to sit beside buttons
} // namespace

StatusLine::StatusLine(QWidget* parent)
    : QLabel(parent) {
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    hide();
}

void StatusLine::say(const std::function<QString()>& text) {
    m_text = text;
    showMessage(this, text ? text() : QString());
}

void StatusLine::retranslate() {
    if (m_text)
        setText(m_text());
}

QString StatusLine::shown() const {
    return isHidden() ? QString() : text();
}

QAction* action(QWidget* parent) {
    auto* a = new QAction(parent);
    a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    return a;
}

QToolButton* toolButton(QAction* action, QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return b;
}

QProgressBar* busyBar(QWidget* parent) {
    auto* bar = new QProgressBar(parent);
    bar->setRange(0, 0);
    bar->setTextVisible(false);
    bar->setMaximumWidth(bar->fontMetrics().averageCharWidth() * kBusyBarChars);
    bar->hide();
    return bar;
}

void addFormRow(QFormLayout* form, QWidget* field) {
    auto* label = new QLabel(form->parentWidget());
    label->setBuddy(field);
    form->addRow(label, field);
}

void setFormLabel(QWidget* field, const QString& text) {
    QWidget* box = field->parentWidget();
    auto* form = box ? qobject_cast<QFormLayout*>(box->layout()) : nullptr;
    if (auto* label = form ? qobject_cast<QLabel*>(form->labelForField(field)) : nullptr)
        label->setText(text);
}

QSortFilterProxyModel* setUpTable(QTableView* view, QAbstractItemModel* model,
                                  const QString& accessibleName) {
    auto* proxy = new QSortFilterProxyModel(view);
    proxy->setSourceModel(model);
    proxy->setSortRole(kSortRole);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->sortByColumn(-1, Qt::AscendingOrder); // the service's order until a header is clicked
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->setTextElideMode(Qt::ElideRight);
    view->setWordWrap(false);
    view->setAccessibleName(accessibleName);
    return proxy;
}

int selectedRow(QTableView* view, QSortFilterProxyModel* proxy) {
    const auto rows = view->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : proxy->mapToSource(rows.first()).row();
}

JsonTableModel::Column textColumn(const QString& header, const QString& key) {
    return {header, [key](const QJsonObject& row, int role) -> QVariant {
                return role == Qt::DisplayRole || role == kSortRole ? row.value(key).toVariant() : QVariant();
            }};
}

JsonTableModel::Column dateColumn(const QString& header, const QString& key) {
    return {header, [key](const QJsonObject& row, int role) -> QVariant {
                if (role == Qt::DisplayRole)
                    return JsonTableModel::when(row.value(key));
                if (role == Qt::ToolTipRole || role == kSortRole)
                    return row.value(key).toString();
                return {};
            }};
}

bool confirm(QWidget* parent, const QString& title, const QString& text) {
    return QMessageBox::question(parent, title, text, QMessageBox::Cancel | QMessageBox::Yes,
                                 QMessageBox::Cancel) == QMessageBox::Yes;
}

QString tierName(const app::Usage& usage) {
    return usage.customQuota ? QCoreApplication::translate("cove::ui::kit", "Custom quota")
                             : QCoreApplication::translate("cove::ui::kit", "Tier %1").arg(usage.tier);
}

} // namespace cove::ui::kit
