// The API Keys page: the organization's keys (values masked), a dialog to make one with chosen scopes
// and an optional expiry (its value shown once, with Copy), and revoking with confirmation.
#pragma once

#include <QDialog>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class JsonTableModel;

class CreateKeyDialog : public QDialog {
    Q_OBJECT
public:
    explicit CreateKeyDialog(QWidget* parent = nullptr);
    QJsonObject request() const;                    // the body of POST /api/api-keys
    static QList<QPair<QString, QString>> scopes(); // scope, what it allows
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
    JsonTableModel* model() const { return m_model; }

public slots:
    void refresh();
    void createKey();
    void revokeSelected();

signals:
    // A new key's value, shown once (tests read it here).
    void keyCreated(const QString& name, const QString& value);

private:
    app::ApiClient* m_client;
    JsonTableModel* m_model;
    QTableView* m_view;
    QPushButton* m_revoke;
    QLabel* m_message;
};

} // namespace cove::ui
