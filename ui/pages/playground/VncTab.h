// The Playground's VNC tab: the desktop of the playground sandbox (it needs the cove-desktop snapshot):
// start it, read the display, type and press keys, move, click and scroll the mouse, take screenshots.
// A live viewer (VncView) is to be embedded in the place marked for it.
#pragma once

#include "ui/pages/playground/SdkSnippet.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QVBoxLayout;

namespace cove::ui::playground {

class PlaygroundSandbox;
class SandboxTab;
class SnippetView;

class VncTab : public QWidget {
    Q_OBJECT
public:
    VncTab(PlaygroundSandbox* sandbox, SandboxTab* parameters, QWidget* parent = nullptr);

    // Where a live VNC viewer goes (VncView(ApiClient*, QWidget*) with setSandbox(id)): add it to this
    // layout and hide the placeholder label in it.
    QVBoxLayout* viewerSlot() const { return m_viewerSlot; }
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

private:
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
    QVBoxLayout* m_viewerSlot;
    SnippetView* m_snippet;
};

} // namespace cove::ui::playground
