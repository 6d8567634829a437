// Connection settings: the service URL and API key, with "local service" as the empty default.
#pragma once

#include <QDialog>

class QLineEdit;

namespace cove::ui {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget* parent = nullptr);
    void accept() override;

private:
    QLineEdit* m_url;
    QLineEdit* m_key;
};

} // namespace cove::ui
