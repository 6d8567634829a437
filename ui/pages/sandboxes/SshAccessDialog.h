// Create SSH Access, as Daytona's dashboard offers it: how long the token should last, then the `ssh`
// command to copy (shown this once: coved keeps only a hash of the token), and revoking every token of the
// sandbox.
#pragma once

#include "app/SandboxesApi.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace cove::ui {

class SshAccessDialog : public QDialog {
    Q_OBJECT
public:
    SshAccessDialog(app::SandboxesApi* api, QString sandboxId, const QString& sandboxName, QWidget* parent);

    QString command() const; // the shown `ssh` command; empty before one was made

private:
    void create();
    void revokeAll();
    void setBusy(bool busy);

    app::SandboxesApi* m_api;
    QString m_id;
    QSpinBox* m_minutes;
    QPushButton* m_create;
    QLineEdit* m_command;
    QPushButton* m_copy;
    QLabel* m_expiry;
    QPushButton* m_revoke;
    QLabel* m_message;
};

} // namespace cove::ui
