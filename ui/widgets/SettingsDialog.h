// The settings: the service URL and API key ("local service" when empty), language, theme and how
// often charts refresh. Each field edits one entry of app::Settings.
#pragma once

#include <QDialog>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace cove::ui {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget* parent = nullptr);
    void accept() override;

    QLineEdit* urlEdit() const { return m_url; }
    QLineEdit* keyEdit() const { return m_key; }
    QComboBox* languageBox() const { return m_language; }
    QComboBox* themeBox() const { return m_theme; }

private:
    QLineEdit* m_url;
    QLineEdit* m_key;
    QComboBox* m_language;
    QComboBox* m_theme;
    QSpinBox* m_refresh;
};

} // namespace cove::ui
