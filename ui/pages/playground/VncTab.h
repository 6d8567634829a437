// The Playground's VNC tab: the desktop of the playground sandbox (it needs the cove-desktop snapshot):
// start it, read the display, type and press keys, move, click and scroll the mouse, take screenshots.
// Beside them, the live desktop (VncView) of the playground sandbox.
#pragma once

#include "ui/pages/playground/SdkSnippet.h"

#include <QWidget>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QVBoxLayout;

namespace cove::ui {
class VncView;
}

namespace cove::ui::playground {

class PlaygroundSandbox;
class SandboxTab;
class SnippetView;

class VncTab : public QWidget {
    Q_OBJECT
public:
    VncTab(PlaygroundSandbox* sandbox, SandboxTab* parameters, QWidget* parent = nullptr);

    VncView* liveView() const { return m_live; }
    QLabel* screenshot() const { return m_screenshot; }
    QString message() const;
    bool hasDesktopSnapshot() const;

public slots:
    void useDesktopSnapshot();
    void startDesktop();
    void displayInfo();
    void takeScreenshot();
    void typeText();
    void pressKey();
    void hotkey();
    void mouseMove();
    void mouseClick();
    void mouseScroll();
    void updateNote();

protected:
    // The live view connects while the tab is shown, and only then.
    void showEvent(QShowEvent* e) override;
    void hideEvent(QHideEvent* e) override;
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void call(Action action, const QByteArray& verb, const QString& rest, const QJsonObject& body,
              const QString& what, std::function<void(const QJsonObject&)> done);
    ActionArgs args(const QString& text = {}) const;

    PlaygroundSandbox* m_sandbox;
    SandboxTab* m_parameters;
    QLabel* m_note;
    QPushButton* m_useDesktop;
    QLabel* m_message;
    QLineEdit* m_text;
    QLineEdit* m_key;
    QLineEdit* m_hotkey;
    QSpinBox* m_x;
    QSpinBox* m_y;
    QComboBox* m_button;
    QComboBox* m_direction;
    QSpinBox* m_amount;
    QLabel* m_screenshot;
    // The groups of controls, their labels and buttons.
    QGroupBox* m_desktopBox;
    QPushButton* m_startButton;
    QPushButton* m_infoButton;
    QPushButton* m_screenshotButton;
    QGroupBox* m_keyboardBox;
    QLabel* m_textLabel;
    QPushButton* m_typeButton;
    QLabel* m_keyLabel;
    QPushButton* m_pressButton;
    QLabel* m_hotkeyLabel;
    QPushButton* m_hotkeyButton;
    QGroupBox* m_mouseBox;
    QLabel* m_positionLabel;
    QLabel* m_xLabel;
    QLabel* m_yLabel;
    QLabel* m_scrollLabel;
    QPushButton* m_moveButton;
    QPushButton* m_clickButton;
    QPushButton* m_scrollButton;
    QVBoxLayout* m_viewerSlot;
    VncView* m_live = nullptr;
    Action m_shownAction = Action::DesktopStart; // what the SDK code shows, and with what
    ActionArgs m_shownArgs;
    SnippetView* m_snippet;
};

} // namespace cove::ui::playground
