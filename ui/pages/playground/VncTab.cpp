// Each action makes the playground sandbox ready first (with the Sandbox tab's Management parameters),
// then calls the toolbox's computeruse routes; the service's own words explain what went wrong.
#include "ui/pages/playground/VncTab.h"

#include "app/ApiClient.h"
#include "ui/pages/playground/PlaygroundSandbox.h"
#include "ui/pages/playground/SandboxTab.h"
#include "ui/pages/playground/SnippetView.h"
#include "ui/widgets/PageKit.h"
#include "ui/widgets/vnc/VncView.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

namespace cove::ui::playground {

namespace {
const QString kDesktopSnapshot = QStringLiteral("cove-desktop");

// A form label whose mnemonic focuses `buddy`.
QLabel* buddyLabel(QWidget* buddy, QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setBuddy(buddy);
    return label;
}

QPushButton* button(QWidget* parent, VncTab* tab, void (VncTab::*slot)()) {
    auto* b = new QPushButton(parent);
    QObject::connect(b, &QPushButton::clicked, tab, slot);
    return b;
}
} // namespace

VncTab::VncTab(PlaygroundSandbox* sandbox, SandboxTab* parameters, QWidget* parent)
    : QWidget(parent)
    , m_sandbox(sandbox)
    , m_parameters(parameters)
    , m_note(new QLabel(this))
    , m_useDesktop(new QPushButton(this))
    , m_message(new QLabel(this))
    , m_text(new QLineEdit(QStringLiteral("Hello from Cove"), this))
    , m_key(new QLineEdit(QStringLiteral("Return"), this))
    , m_hotkey(new QLineEdit(QStringLiteral("ctrl+a"), this))
    , m_x(new QSpinBox(this))
    , m_y(new QSpinBox(this))
    , m_button(new QComboBox(this))
    , m_direction(new QComboBox(this))
    , m_amount(new QSpinBox(this))
    , m_screenshot(new QLabel(this))
    , m_viewerSlot(new QVBoxLayout)
    , m_snippet(new SnippetView(this)) {
    m_note->setObjectName(QStringLiteral("desktopNote"));
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("#desktopNote { background: #fff4ce; color: #4a3600; "
                                         "border: 1px solid #e0c060; border-radius: 4px; padding: 4px; }"));
    connect(m_useDesktop, &QPushButton::clicked, this, &VncTab::useDesktopSnapshot);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setObjectName(QStringLiteral("vncMessage"));
    for (QSpinBox* s : {m_x, m_y})
        s->setRange(0, 9999);
    m_x->setValue(512);
    m_y->setValue(384);
    for (const QString& b : {QStringLiteral("left"), QStringLiteral("middle"), QStringLiteral("right")})
        m_button->addItem(QString(), b); // named by retranslateUi
    for (const QString& d :
         {QStringLiteral("down"), QStringLiteral("up"), QStringLiteral("left"), QStringLiteral("right")})
        m_direction->addItem(QString(), d);
    m_amount->setRange(1, 100);
    m_amount->setValue(3);

    // The controls, in groups, on the left.
    m_desktopBox = new QGroupBox(this);
    auto* desktopRow = new QHBoxLayout(m_desktopBox);
    m_startButton = button(m_desktopBox, this, &VncTab::startDesktop);
    m_infoButton = button(m_desktopBox, this, &VncTab::displayInfo);
    m_screenshotButton = button(m_desktopBox, this, &VncTab::takeScreenshot);
    for (QPushButton* b : {m_startButton, m_infoButton, m_screenshotButton})
        desktopRow->addWidget(b);

    m_keyboardBox = new QGroupBox(this);
    auto* k = new QFormLayout(m_keyboardBox);
    auto* typeRow = new QHBoxLayout;
    typeRow->addWidget(m_text, 1);
    m_typeButton = button(m_keyboardBox, this, &VncTab::typeText);
    typeRow->addWidget(m_typeButton);
    m_textLabel = buddyLabel(m_text, m_keyboardBox);
    k->addRow(m_textLabel, typeRow);
    auto* keyRow = new QHBoxLayout;
    keyRow->addWidget(m_key, 1);
    m_pressButton = button(m_keyboardBox, this, &VncTab::pressKey);
    keyRow->addWidget(m_pressButton);
    m_keyLabel = buddyLabel(m_key, m_keyboardBox);
    k->addRow(m_keyLabel, keyRow);
    auto* hotkeyRow = new QHBoxLayout;
    hotkeyRow->addWidget(m_hotkey, 1);
    m_hotkeyButton = button(m_keyboardBox, this, &VncTab::hotkey);
    hotkeyRow->addWidget(m_hotkeyButton);
    m_hotkeyLabel = buddyLabel(m_hotkey, m_keyboardBox);
    k->addRow(m_hotkeyLabel, hotkeyRow);

    m_mouseBox = new QGroupBox(this);
    auto* m = new QFormLayout(m_mouseBox);
    auto* at = new QHBoxLayout;
    m_xLabel = new QLabel(m_mouseBox);
    m_yLabel = new QLabel(m_mouseBox);
    at->addWidget(m_xLabel);
    at->addWidget(m_x);
    at->addWidget(m_yLabel);
    at->addWidget(m_y);
    at->addStretch(1);
    m_positionLabel = new QLabel(m_mouseBox);
    m->addRow(m_positionLabel, at);
    kit::addFormRow(m, m_button);
    auto* scroll = new QHBoxLayout;
    scroll->addWidget(m_direction);
    scroll->addWidget(m_amount);
    scroll->addStretch(1);
    m_scrollLabel = buddyLabel(m_direction, m_mouseBox);
    m->addRow(m_scrollLabel, scroll);
    auto* mouseButtons = new QHBoxLayout;
    m_moveButton = button(m_mouseBox, this, &VncTab::mouseMove);
    m_clickButton = button(m_mouseBox, this, &VncTab::mouseClick);
    m_scrollButton = button(m_mouseBox, this, &VncTab::mouseScroll);
    for (QPushButton* b : {m_moveButton, m_clickButton, m_scrollButton})
        mouseButtons->addWidget(b);
    m->addRow(mouseButtons);

    auto* controls = new QWidget(this);
    auto* left = new QVBoxLayout(controls);
    left->setContentsMargins(0, 0, 0, 0);
    left->addWidget(m_desktopBox);
    left->addWidget(m_keyboardBox);
    left->addWidget(m_mouseBox);
    left->addWidget(m_message);
    left->addWidget(m_snippet, 1);
    controls->setMinimumWidth(340);
    controls->setMaximumWidth(460);

    // On the right: the place for the live viewer, then the last screenshot.
    auto* viewerFrame = new QFrame(this);
    viewerFrame->setObjectName(QStringLiteral("vncViewSlot"));
    viewerFrame->setFrameShape(QFrame::StyledPanel);
    m_live = new VncView(m_sandbox->client(), viewerFrame);
    m_viewerSlot->setParent(nullptr);
    viewerFrame->setLayout(m_viewerSlot);
    m_viewerSlot->addWidget(m_live);
    connect(m_live, &VncView::stateChanged, this, &VncTab::updateNote);
    // The live view follows the playground sandbox while it has a desktop.
    connect(m_sandbox, &PlaygroundSandbox::sandboxChanged, this,
            [this](const QString& id, const QString& snapshot) {
                m_live->setSandbox(snapshot == kDesktopSnapshot ? id : QString());
                if (!m_live->sandboxId().isEmpty() && isVisible())
                    m_live->connectToDesktop();
            });
    m_screenshot->setAlignment(Qt::AlignCenter);
    auto* shotArea = new QScrollArea(this);
    shotArea->setWidget(m_screenshot);
    shotArea->setWidgetResizable(true);
    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(viewerFrame);
    right->addWidget(shotArea);
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 3);
    right->setChildrenCollapsible(false);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(controls);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    auto* noteRow = new QHBoxLayout;
    noteRow->addWidget(m_note, 1);
    noteRow->addWidget(m_useDesktop);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(noteRow);
    layout->addWidget(split, 1);

    connect(m_parameters, &SandboxTab::paramsChanged, this, &VncTab::updateNote);
    connect(m_sandbox, &PlaygroundSandbox::sandboxChanged, this, [this] {
        updateNote();
        m_snippet->show(m_parameters->params(), m_shownAction, m_shownArgs); // with the sandbox's values
    });
    connect(m_sandbox, &PlaygroundSandbox::progress, this, [this](const QString& text) {
        if (!text.isEmpty())
            m_message->setText(text);
    });
    retranslateUi();
    m_shownArgs = args();
    m_snippet->show(m_parameters->params(), m_shownAction, m_shownArgs);
}

void VncTab::retranslateUi() {
    m_useDesktop->setText(tr("&Use the cove-desktop snapshot"));
    const char* const buttons[] = {QT_TR_NOOP("left"), QT_TR_NOOP("middle"), QT_TR_NOOP("right")};
    for (int i = 0; i < m_button->count(); ++i)
        m_button->setItemText(i, tr(buttons[i]));
    const char* const directions[] = {QT_TR_NOOP("down"), QT_TR_NOOP("up"), QT_TR_NOOP("left"),
                                      QT_TR_NOOP("right")};
    for (int i = 0; i < m_direction->count(); ++i)
        m_direction->setItemText(i, tr(directions[i]));
    m_key->setToolTip(tr("An X key name such as Return, Escape, Tab, F5 or a letter"));
    m_hotkey->setToolTip(tr("Keys joined by +, such as ctrl+c or ctrl+alt+t"));

    m_desktopBox->setTitle(tr("Desktop"));
    m_startButton->setText(tr("Start des&ktop"));
    m_infoButton->setText(tr("Display &info"));
    m_screenshotButton->setText(tr("&Screenshot"));

    m_keyboardBox->setTitle(tr("Keyboard"));
    m_textLabel->setText(tr("Te&xt"));
    m_typeButton->setText(tr("&Type"));
    m_keyLabel->setText(tr("Ke&y"));
    m_pressButton->setText(tr("&Press"));
    m_hotkeyLabel->setText(tr("&Hotkey"));
    m_hotkeyButton->setText(tr("Sen&d hotkey"));

    m_mouseBox->setTitle(tr("Mouse"));
    m_positionLabel->setText(tr("Position"));
    m_xLabel->setText(tr("x"));
    m_yLabel->setText(tr("y"));
    kit::setFormLabel(m_button, tr("Butto&n"));
    m_scrollLabel->setText(tr("Scro&ll"));
    m_moveButton->setText(tr("&Move"));
    m_clickButton->setText(tr("&Click"));
    m_scrollButton->setText(tr("Scr&oll"));

    m_screenshot->setAccessibleName(tr("Screenshot"));
    if (m_screenshot->pixmap().isNull())
        m_screenshot->setText(tr("No screenshot yet."));
    updateNote();
}

void VncTab::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

bool VncTab::hasDesktopSnapshot() const {
    return m_parameters->params().snapshot == kDesktopSnapshot;
}

QString VncTab::message() const {
    return m_message->text();
}

void VncTab::updateNote() {
    const QString chosen = m_parameters->params().snapshot;
    // With the desktop on screen, there is nothing to explain.
    const bool live = m_live && m_live->vnc()->state() == VncClient::State::Connected;
    m_note->setVisible(!live || chosen != kDesktopSnapshot);
    if (chosen != kDesktopSnapshot) {
        m_note->setText(
            tr("The playground sandbox is made from %1, which has no desktop. These actions need a "
               "sandbox from the %2 snapshot: choose it under Management on the Sandbox tab (the "
               "playground sandbox is then replaced), or press the button.")
                .arg(chosen, kDesktopSnapshot));
        m_useDesktop->show();
    } else if (!m_sandbox->id().isEmpty() && m_sandbox->snapshot() != kDesktopSnapshot) {
        m_note->setText(tr("The next action replaces the playground sandbox (made from %1) with one from %2.")
                            .arg(m_sandbox->snapshot(), kDesktopSnapshot));
        m_useDesktop->hide();
    } else {
        m_note->setText(tr("Press Start desktop first; the keyboard, mouse and screenshot actions need it "
                           "running."));
        m_useDesktop->hide();
    }
}

void VncTab::useDesktopSnapshot() {
    m_parameters->setSnapshot(kDesktopSnapshot);
    updateNote();
}

ActionArgs VncTab::args(const QString& text) const {
    ActionArgs a;
    a.text = text;
    a.x = m_x->value();
    a.y = m_y->value();
    a.direction = m_direction->currentData().toString();
    a.amount = m_amount->value();
    return a;
}

void VncTab::call(Action action, const QByteArray& verb, const QString& rest, const QJsonObject& body,
                  const QString& what, std::function<void(const QJsonObject&)> done) {
    const QString text =
        body.value(QStringLiteral("text"))
            .toString(
                body.value(QStringLiteral("key")).toString(body.value(QStringLiteral("keys")).toString()));
    m_shownAction = action;
    m_shownArgs = args(text);
    m_snippet->show(m_parameters->params(), action, m_shownArgs);
    m_message->setStyleSheet(QString());
    m_message->setText(what);
    m_sandbox->toolbox(m_parameters->params(), verb, rest, body, this,
                       [this, done = std::move(done)](const app::ApiResult& r) {
                           if (!r.ok) {
                               m_message->setStyleSheet(QStringLiteral("color: #b3261e;"));
                               QString error = r.error;
                               if (r.status == 503 || r.status == 409)
                                   error += QLatin1Char(' ') + (hasDesktopSnapshot()
                                                                    ? tr("Press Start desktop first.")
                                                                    : tr("Use the cove-desktop snapshot."));
                               m_message->setText(error);
                               return;
                           }
                           done(r.json.object());
                       });
}

void VncTab::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    if (!m_live->sandboxId().isEmpty() && m_live->vnc()->state() != VncClient::State::Connected)
        m_live->connectToDesktop();
}

void VncTab::hideEvent(QHideEvent* e) {
    m_live->disconnectFromDesktop();
    QWidget::hideEvent(e);
}

void VncTab::startDesktop() {
    call(Action::DesktopStart, "POST", QStringLiteral("/computeruse/start"), {},
         tr("Starting the desktop (Xvfb, a window manager and VNC)…"), [this](const QJsonObject&) {
             m_message->setText(tr("The desktop is running."));
             m_live->connectToDesktop();
         });
}

void VncTab::displayInfo() {
    call(Action::DisplayInfo, "GET", QStringLiteral("/computeruse/display/info"), {},
         tr("Reading the display…"), [this](const QJsonObject& o) {
             QStringList shown;
             for (const auto& v : o.value(QStringLiteral("displays")).toArray()) {
                 const QJsonObject d = v.toObject();
                 shown << tr("Display %1: %2×%3 at %4,%5")
                              .arg(d.value(QStringLiteral("id")).toInt())
                              .arg(d.value(QStringLiteral("width")).toInt())
                              .arg(d.value(QStringLiteral("height")).toInt())
                              .arg(d.value(QStringLiteral("x")).toInt())
                              .arg(d.value(QStringLiteral("y")).toInt());
                 m_x->setMaximum(d.value(QStringLiteral("width")).toInt() - 1);
                 m_y->setMaximum(d.value(QStringLiteral("height")).toInt() - 1);
             }
             m_message->setText(shown.isEmpty() ? tr("No display reported.") : shown.join(QLatin1Char('\n')));
         });
}

void VncTab::takeScreenshot() {
    call(Action::Screenshot, "GET", QStringLiteral("/computeruse/screenshot"), {}, tr("Taking a screenshot…"),
         [this](const QJsonObject& o) {
             QPixmap shot;
             shot.loadFromData(
                 QByteArray::fromBase64(o.value(QStringLiteral("screenshot")).toString().toLatin1()));
             if (shot.isNull()) {
                 m_message->setText(tr("The screenshot could not be read as an image."));
                 return;
             }
             m_screenshot->setPixmap(shot);
             const QJsonObject cursor = o.value(QStringLiteral("cursorPosition")).toObject();
             m_message->setText(tr("Screenshot %1×%2; the pointer is at %3,%4.")
                                    .arg(shot.width())
                                    .arg(shot.height())
                                    .arg(cursor.value(QStringLiteral("x")).toInt())
                                    .arg(cursor.value(QStringLiteral("y")).toInt()));
         });
}

void VncTab::typeText() {
    call(Action::TypeText, "POST", QStringLiteral("/computeruse/keyboard/type"),
         {{QStringLiteral("text"), m_text->text()}}, tr("Typing…"),
         [this](const QJsonObject&) { m_message->setText(tr("Typed.")); });
}

void VncTab::pressKey() {
    call(Action::PressKey, "POST", QStringLiteral("/computeruse/keyboard/key"),
         {{QStringLiteral("key"), m_key->text().trimmed()}}, tr("Pressing %1…").arg(m_key->text().trimmed()),
         [this](const QJsonObject&) { m_message->setText(tr("Pressed.")); });
}

void VncTab::hotkey() {
    call(Action::Hotkey, "POST", QStringLiteral("/computeruse/keyboard/hotkey"),
         {{QStringLiteral("keys"), m_hotkey->text().trimmed()}},
         tr("Sending %1…").arg(m_hotkey->text().trimmed()),
         [this](const QJsonObject&) { m_message->setText(tr("Sent.")); });
}

void VncTab::mouseMove() {
    call(Action::MouseMove, "POST", QStringLiteral("/computeruse/mouse/move"),
         {{QStringLiteral("x"), m_x->value()}, {QStringLiteral("y"), m_y->value()}},
         tr("Moving the pointer…"), [this](const QJsonObject& o) {
             m_message->setText(tr("The pointer is at %1,%2.")
                                    .arg(o.value(QStringLiteral("x")).toInt())
                                    .arg(o.value(QStringLiteral("y")).toInt()));
         });
}

void VncTab::mouseClick() {
    call(Action::MouseClick, "POST", QStringLiteral("/computeruse/mouse/click"),
         {{QStringLiteral("x"), m_x->value()},
          {QStringLiteral("y"), m_y->value()},
          {QStringLiteral("button"), m_button->currentData().toString()}},
         tr("Clicking…"), [this](const QJsonObject&) {
             m_message->setText(tr("Clicked at %1,%2.").arg(m_x->value()).arg(m_y->value()));
         });
}

void VncTab::mouseScroll() {
    call(Action::MouseScroll, "POST", QStringLiteral("/computeruse/mouse/scroll"),
         {{QStringLiteral("x"), m_x->value()},
          {QStringLiteral("y"), m_y->value()},
          {QStringLiteral("direction"), m_direction->currentData().toString()},
          {QStringLiteral("amount"), m_amount->value()}},
         tr("Scrolling…"), [this](const QJsonObject&) { m_message->setText(tr("Scrolled.")); });
}

} // namespace cove::ui::playground
