// The API Keys page: the organization's keys (values masked), a dialog to make one with chosen scopes
// and an optional expiry (its value shown once, with Copy), and revoking with confirmation.
#pragma once

#include "app/GovernanceApi.h"

#include <QDialog>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace cove::app {
class ApiClient;
class ApiKeyModel;
} // namespace cove::app

namespace cove::ui {

class CreateKeyDialog : public QDialog {
    Q_OBJECT
public:
    explicit CreateKeyDialog(QWidget* parent = nullptr);
    app::CreateKeyRequest request() const;
    // The scopes a key can be given (app::kGrantableScopes), each with what it allows.
    static QList<QPair<QString, QString>> scopes();
    struct Preset {
        QString name;
        QStringList scopes;
    };
    static QList<Preset> presets();
    // Picks a preset (its index in presets(); the last is Custom) and ticks its scopes.
    void setPreset(int index);
    int presetIndex() const;

private:
    void matchPreset();

    QLineEdit* m_name;
    QComboBox* m_preset;
    QList<QCheckBox*> m_scopes;
    QCheckBox* m_expires;
    QDateTimeEdit* m_expiresAt;
    QPushButton* m_ok;
};

class ApiKeysPage : public QWidget {
    Q_OBJECT
public:
    explicit ApiKeysPage(app::ApiClient* client, QWidget* parent = nullptr);
    app::ApiKeyModel* model() const { return m_model; }

public slots:
    void refresh();
    void createKey();
    void revokeSelected();

signals:
    // A new key's value, shown once (tests read it here).
    void keyCreated(const QString& name, const QString& value);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void showKeyOnce(const app::ApiKey& key);

    app::KeysApi m_api;
    app::ApiKeyModel* m_model;
    QTableView* m_view;
    QSortFilterProxyModel* m_proxy;
    QLabel* m_title;
    QLabel* m_intro;
    QPushButton* m_create;
    QPushButton* m_revoke;
    QLabel* m_message;
};

} // namespace cove::ui
