// The Secrets page: the organization's secrets (name, description, hosts, placeholder, times), an Add/Edit
// dialog whose value field is write-only (the service never sends a value back: left empty on an edit, the
// stored value stays), copying a placeholder, and deleting with a confirmation that names the sandboxes
// mounting it (the service refuses while any does).
#pragma once

#include "app/SecretsApi.h"

#include <QDialog>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace cove::app {
class SecretModel;
} // namespace cove::app

namespace cove::ui {

class SecretDialog : public QDialog {
    Q_OBJECT
public:
    // `existing`: the secret being edited (its fields filled in, never its value); none to add one.
    explicit SecretDialog(const app::Secret* existing, QWidget* parent = nullptr);
    app::SecretFields fields() const;
    QLineEdit* valueField() const { return m_value; }

private:
    void updateOk();

    bool m_editing;
    QLineEdit* m_name;
    QLineEdit* m_value;
    QLineEdit* m_description;
    QPlainTextEdit* m_hosts;
    QLabel* m_problem;
    QPushButton* m_ok;
};

class SecretsPage : public QWidget {
    Q_OBJECT
public:
    explicit SecretsPage(app::ApiClient* client, QWidget* parent = nullptr);
    app::SecretModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QString message() const; // the error shown, empty when none

public slots:
    void refresh();
    void addSecret();
    void editSelected();
    void deleteSelected();
    void copyPlaceholder();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void updateButtons();

    app::SecretsApi m_api;
    app::SecretModel* m_model;
    QTableView* m_view;
    QSortFilterProxyModel* m_proxy;
    QLabel* m_title;
    QLabel* m_intro;
    QPushButton* m_add;
    QPushButton* m_edit;
    QPushButton* m_copy;
    QPushButton* m_delete;
    QLabel* m_message;
};

} // namespace cove::ui
