// The Registries page: the organization's private registries, an Add/Edit dialog (name, URL, username,
// password, project) and deleting with confirmation. The service never sends a password back, so the
// password field is always empty when a registry is edited: left empty, the stored one stays.
#pragma once

#include "app/ResourcesApi.h"

#include <QDialog>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace cove::app {
class ApiClient;
class RegistryModel;
} // namespace cove::app

namespace cove::ui {

class RegistryDialog : public QDialog {
    Q_OBJECT
public:
    // `existing`: the registry being edited (its fields filled in, never its password); none to add one.
    explicit RegistryDialog(const app::Registry* existing, QWidget* parent = nullptr);
    app::RegistryFields fields() const;
    QLineEdit* passwordField() const { return m_password; }

private:
    void updateOk();

    bool m_editing;
    QLineEdit* m_name;
    QLineEdit* m_url;
    QLineEdit* m_username;
    QLineEdit* m_password;
    QLineEdit* m_project;
    QPushButton* m_ok;
};

class RegistriesPage : public QWidget {
    Q_OBJECT
public:
    explicit RegistriesPage(app::ApiClient* client, QWidget* parent = nullptr);
    app::RegistryModel* model() const { return m_model; }
    QString message() const; // the error shown, empty when none

public slots:
    void refresh();
    void addRegistry();
    void editSelected();
    void deleteSelected();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();

    app::RegistriesApi m_api;
    app::RegistryModel* m_model;
    QTableView* m_view;
    QSortFilterProxyModel* m_proxy;
    QLabel* m_title;
    QLabel* m_intro;
    QPushButton* m_add;
    QPushButton* m_edit;
    QPushButton* m_delete;
    QLabel* m_message;
};

} // namespace cove::ui
