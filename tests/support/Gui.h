// Small helpers the GUI tests share.
#pragma once

#include "app/ApiClient.h"
#include "support/CovedProcess.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCryptographicHash>
#include <QMessageBox>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

namespace cove::test {

// Answers the next modal dialog of type T with `act` once it is up.
template <class T, class F> void whenModal(QObject* context, F act) {
    QTimer::singleShot(0, context, [act] {
        QTRY_VERIFY(qobject_cast<T*>(QApplication::activeModalWidget()));
        act(qobject_cast<T*>(QApplication::activeModalWidget()));
    });
}

// Answers the next confirmation box with `button`, once it is shown.
inline void answerNextQuestion(QObject* context, QMessageBox::StandardButton button) {
    QTimer::singleShot(0, context, [button] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY(box);
        box->button(button)->click();
    });
}

// Answers confirmations Yes from the keyboard (Alt+Y is a shortcut of the active window) once one shows
// and has the focus, again on each tick until it is gone: a loaded X server may make it active only after
// it shows.
class KeyboardYes {
public:
    KeyboardYes() {
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box || !box->isActiveWindow())
                return;
            m_answered = true;
            QTest::keyClick(box, Qt::Key_Y, Qt::AltModifier);
        });
        m_timer.start(50);
    }
    bool answered() const { return m_answered; }

private:
    QTimer m_timer;
    bool m_answered = false;
};

// The app's settings go to `dir` for the test's run, never to the user's.
inline void useSettingsIn(const QTemporaryDir& dir) {
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
}

// Starts `coved` without a warm pool and points `client` at it with the admin key.
inline bool startCovedFor(CovedProcess& coved, app::ApiClient& client) {
    if (!coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}))
        return false;
    client.setTarget({coved.url(), coved.adminKey(), QStringLiteral("test")});
    return true;
}

inline QByteArray sha256(const QByteArray& data) {
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

} // namespace cove::test
