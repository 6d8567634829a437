// Parts the pages share: the page title, a sortable read-only table over a model (a JsonTableModel for
// keys and audit), columns that show one field, the error line and the confirmation before destruction.
#pragma once

#include "app/GovernanceApi.h"
#include "app/RecordTableModel.h"
#include "ui/widgets/JsonTableModel.h"

#include <QDialog>
#include <QLabel>

#include <functional>

class QAbstractItemModel;
class QAction;
class QFormLayout;
class QLayout;
class QProgressBar;
class QToolButton;
class QSortFilterProxyModel;
class QTableView;
class QVBoxLayout;
class QWidget;

namespace cove::ui::kit {

// What the tables sort by: the raw value (bytes, ISO dates), not the text shown.
constexpr int kSortRole = app::kSortRole;

QLabel* pageTitle(const QString& text, QWidget* parent);
QLabel* pageIntro(const QString& text, QWidget* parent);
// A hidden, word-wrapped label for what went wrong, in the service's own words.
QLabel* messageLine(QWidget* parent);
void showMessage(QLabel* line, const QString& text);
// A page's layout from the top: its title, introduction, row of buttons, error line, then `body`, which
// takes the room left.
QVBoxLayout* pageLayout(QWidget* page, QLabel* title, QLabel* intro, QLayout* buttons, QLabel* message,
                        QWidget* body);

// What a page says it did, under its buttons: a hidden, word-wrapped line that keeps what makes its text, so
// a new language can say it again.
class StatusLine : public QLabel {
public:
    explicit StatusLine(QWidget* parent);
    // Shows what `text` says; null hides the line.
    void say(const std::function<QString()>& text);
    // Says it again in the language of the day.
    void retranslate();
    // The text shown; empty when the line is hidden.
    QString shown() const;

private:
    std::function<QString()> m_text;
};

// An action whose shortcut works while the focus is in `parent` or below it.
QAction* action(QWidget* parent);
// A text-only tool button for `action`.
QToolButton* toolButton(QAction* action, QWidget* parent);
// A hidden, narrow progress bar that moves without saying how far (the service does not say).
QProgressBar* busyBar(QWidget* parent);

// A form row for `field` whose label, named later by setFormLabel, gives the focus to the field.
void addFormRow(QFormLayout* form, QWidget* field);
// Names the label of the form row of `field` (a retranslateUi sets it in the language of the day).
void setFormLabel(QWidget* field, const QString& text);

// The view shows `model` through a sorting proxy; rows are selected whole, one at a time.
QSortFilterProxyModel* setUpTable(QTableView* view, QAbstractItemModel* model,
                                  const QString& accessibleName = {});
// The source row of the selected row, or -1.
int selectedRow(QTableView* view, QSortFilterProxyModel* proxy);

JsonTableModel::Column textColumn(const QString& header, const QString& key);
JsonTableModel::Column dateColumn(const QString& header, const QString& key);

// The Add and Edit flow of a page: runs `dialog`; when it is accepted, clears the error line and hands the
// dialog's fields to `send` with the function to answer, which says `failed` (%1: the service's words)
// when the service refused them. The page is refreshed either way.
template <class Dialog, class Send>
void submit(Dialog& dialog, QLabel* message, const QString& failed, Send send,
            const std::function<void()>& refresh) {
    if (dialog.exec() != QDialog::Accepted)
        return;
    showMessage(message, {});
    send(dialog.fields(), [message, failed, refresh](const auto& result) {
        if (!result.ok())
            showMessage(message, failed.arg(result.error().text));
        refresh();
    });
}

// Asks before something is destroyed; true when the user said yes.
bool confirm(QWidget* parent, const QString& title, const QString& text);

// The organization's tier as a person reads it: "Tier 2", or "Custom quota" when the admin set one.
QString tierName(const app::Usage& usage);

} // namespace cove::ui::kit
